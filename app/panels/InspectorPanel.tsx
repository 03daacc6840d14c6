/**
 * The packet inspector: the current step's frame as a layer tree above its
 * hex dump. At a step that rewrote the packet (a NAT: the step carries the
 * frame `before` as well), two trees — before and after, like Packet
 * Tracer's In Layers and Out Layers — with the changed fields marked (the
 * addresses and ports, and the checksums the kernel fixed up), and the
 * changed bytes marked in the hex dump of the frame after.
 */
import { useMemo } from 'react';
import { decodeFrame, type Simulation, type Step } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { useCurrentStep } from '../state/selectors.ts';
import { changedBytes, changedPaths, flattenLayers } from './fieldIndex.ts';
import { LayerTree } from './LayerTree.tsx';
import { HexDump } from './HexDump.tsx';
import { natOf } from '../topology/nat.ts';
import './inspector.css';

/** How far the encap note looks for the frame that carries the VXLAN header. */
const SEARCH = 400;

const isVxlan = (s: Step) => !!s.layers?.some((l) => l.protocol === 'vxlan');

/**
 * VXLAN encap and decap steps hold the inner frame only. The outer frame is
 * the one that leaves (or reached) the node's eth0 with the VXLAN header:
 * the next (or last) step of the same action whose frame has one.
 */
function outerStep(sim: Simulation | null, step: Step): number | null {
  if (!sim || (step.kind !== 'encap' && step.kind !== 'decap')) return null;
  const dir = step.kind === 'encap' ? 1 : -1;
  for (
    let i = step.index + dir, n = 0;
    i >= 0 && i < sim.steps.length && n < SEARCH;
    i += dir, n++
  ) {
    const s = sim.steps[i];
    if (s.action !== step.action) break;
    if (isVxlan(s)) return i;
  }
  return null;
}

export function InspectorPanel() {
  const step = useCurrentStep();
  const sim = useStore((s) => s.sim);
  const seek = useStore((s) => s.seek);
  const hover = useStore((s) => s.hover);
  const setHover = useStore((s) => s.setHover);
  const flat = useMemo(() => flattenLayers(step?.layers ?? []), [step]);
  const before = useMemo(() => (step?.before ? decodeFrame(step.before) : null), [step]);
  const changed = useMemo(
    () => (before && step?.layers ? changedPaths(before, step.layers) : null),
    [before, step],
  );
  const bytes = useMemo(
    () => (step?.before && step.frame ? changedBytes(step.before, step.frame) : undefined),
    [step],
  );
  const outer = useMemo(() => (step ? outerStep(sim, step) : null), [sim, step]);

  if (!step?.frame) {
    return (
      <div className="inspector empty">
        <p className="panel-empty">
          No frame at this step{step ? ` (${step.kind}: ${step.summary})` : ''}. Step to one where a
          packet is on the wire to see its layers and bytes.
        </p>
      </div>
    );
  }
  const nat = natOf(step.facts);
  const what = nat ? nat.kind : 'rewrite';
  return (
    <div className="inspector">
      <div className="inspector-summary">
        <span className="mono">{step.summary}</span>
      </div>
      {before && step.before && changed ? (
        <div className="inspector-pair" data-testid="inspector-pair">
          <section className="inspector-side before" aria-label="Before the rewrite">
            <h3 className="inspector-side-title">
              <span className="side-tag">In</span> before the {what}
            </h3>
            <LayerTree
              className="before"
              label="Packet before the rewrite"
              heading={`${step.before.length} bytes, as the packet arrived`}
              layers={before}
              frameLength={step.before.length}
              stepIndex={step.index}
              active={hover?.field ?? null}
              onHover={setHover}
              changed={changed}
            />
          </section>
          <section className="inspector-side after" aria-label="After the rewrite">
            <h3 className="inspector-side-title">
              <span className="side-tag">Out</span> after the {what}
            </h3>
            <LayerTree
              className="after"
              label="Packet after the rewrite"
              heading={`Frame ${step.index}: ${step.frame.length} bytes, as it goes on`}
              layers={step.layers ?? []}
              frameLength={step.frame.length}
              stepIndex={step.index}
              active={hover?.field ?? null}
              onHover={setHover}
              changed={changed}
            />
          </section>
        </div>
      ) : (
        <LayerTree
          layers={step.layers ?? []}
          frameLength={step.frame.length}
          stepIndex={step.index}
          active={hover?.field ?? null}
          onHover={setHover}
        />
      )}
      {outer !== null && (
        <p className="inspector-note" data-testid="encap-note">
          {step.kind === 'encap'
            ? 'This step holds the inner frame only: flannel.1 hands it to the kernel to be wrapped. The outer frame (Ethernet, IP between the nodes, UDP, VXLAN around this one) is on the wire at '
            : 'This step holds the inner frame only, as flannel.1 delivers it. The outer VXLAN frame it came in was on the wire at '}
          <button type="button" className="link-button" onClick={() => seek(outer)}>
            step {outer}
          </button>
          .
        </p>
      )}
      <HexDump
        frame={step.frame}
        flat={flat}
        highlight={hover}
        onHover={setHover}
        changed={bytes}
      />
    </div>
  );
}
