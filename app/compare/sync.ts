/**
 * Ties compare mode to the app store: moving the primary brings the other side
 * back to following it, and a new simulation (another scenario, an applied
 * edit) is compared again under the same mode — or, when that mode makes no
 * sense for it, compare mode ends with a notice saying why.
 */
import { useStore } from '../state/store.ts';
import { useCompare } from './store.ts';
import { refusal, targetLabel } from './target.ts';

let installed = false;

export function installCompareSync(): void {
  if (installed) return;
  installed = true;
  useStore.subscribe((s, prev) => {
    const c = useCompare.getState();
    if (s.step !== prev.step && c.own !== null) c.setOwn(null);
    if (s.sim === prev.sim || !s.sim || !c.target) return;
    const why = refusal(c.target, s.sim.scenario);
    if (!why) return void c.open(c.target);
    c.leave();
    s.showNotice(`Compare mode ended: ${why} (${targetLabel(c.target)}).`);
  });
}
