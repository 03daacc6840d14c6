/** The header's "Compare…" menu: the modes the shown scenario can be re-targeted to, and leaving. */
import { useMemo } from 'react';
import { formatModeTarget, parseModeTarget, isModeError } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { Icon } from '../ui/Icon.tsx';
import { useCompare } from './store.ts';
import { offeredTargets, targetLabel } from './target.ts';

export function ComparePicker() {
  const sim = useStore((s) => s.sim);
  const target = useCompare((s) => s.target);
  const targets = useMemo(() => (sim ? offeredTargets(sim.scenario) : []), [sim]);
  const cni = targets.filter((t) => t.layer === 'cni');
  const proxy = targets.filter((t) => t.layer === 'kube-proxy');
  const choose = (value: string) => {
    const c = useCompare.getState();
    if (!value) return c.leave();
    const t = parseModeTarget(value);
    if (!isModeError(t)) void c.open(t);
  };
  const option = (t: (typeof targets)[number]) => (
    <option key={formatModeTarget(t)} value={formatModeTarget(t)}>
      vs {targetLabel(t)}
    </option>
  );
  return (
    // Drawn as a header button; the native select over it, transparent, keeps the keyboard and screen readers.
    <label
      className={`compare-picker${target ? ' on' : ''}${!sim || !targets.length ? ' off' : ''}`}
      title={
        target
          ? `Comparing with ${targetLabel(target)}: pick another mode, or leave`
          : 'Compare: the scenario under another mode, side by side'
      }
    >
      <Icon name="compare" />{' '}
      <span className="label">{target ? `vs ${targetLabel(target)}` : 'Compare…'}</span>
      <select
        aria-label="Compare with another mode"
        value={target ? formatModeTarget(target) : ''}
        disabled={!sim || !targets.length}
        onChange={(e) => choose(e.target.value)}
        data-testid="compare-picker"
      >
        <option value="">{target ? 'Leave compare' : 'Compare…'}</option>
        {cni.length > 0 && <optgroup label="CNI plugin and mode">{cni.map(option)}</optgroup>}
        {proxy.length > 0 && <optgroup label="kube-proxy mode">{proxy.map(option)}</optgroup>}
      </select>
    </label>
  );
}
