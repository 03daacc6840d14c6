/**
 * The packet inspector: the current step's frame as a layer tree above its
 * hex dump. At a step that rewrote the packet (the step carries the frame
 * `before` as well), two trees — before and after, like Packet Tracer's In
 * Layers and Out Layers: at a NAT the changed fields marked (the addresses
 * and ports, and the checksums the kernel fixed up), at a VXLAN encap the
 * four outer headers marked as added, at a decap as stripped; the new or
 * changed bytes marked in the hex dump of the frame after.
 */
import { useMemo } from 'react';
import { decodeFrame, type Simulation, type Step } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { useCurrentStep } from '../state/selectors.ts';
import { flattenLayers } from './fieldIndex.ts';
import { rewriteOf, type Rewrite } from './rewrite.ts';
import { LayerTree } from './LayerTree.tsx';
import { HexDump } from './HexDump.tsx';
import { natOf } from '../topology/nat.ts';
import { HttpRewrite, proxyFactOf } from './HttpRewrite.tsx';
import './inspector.css';

/** How far the encap note looks for the frame that carries the VXLAN header. */
const SEARCH = 400;

const isVxlan = (s: Step) => !!s.layers?.some((l) => l.protocol === 'vxlan');

/**
 * The step where an encap step's packet is on the node network (the next step
 * of the same action whose frame has a VXLAN header), or where a decap
 * step's came from (the last such step before it).
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

/** The pair's titles and headings, by what the step did. */
function sides(step: Step, rw: Rewrite, what: string) {
  const before = step.before!.length;
  const after = step.frame!.length;
  const delta = `${rw.delta > 0 ? '+' : '−'}${Math.abs(rw.delta)} bytes`;
  if (rw.kind === 'encap')
    return {
      title: 'VXLAN encap',
      before: `${before} bytes: the frame flannel.1 was handed`,
      after: `Frame ${step.index}: ${after} bytes (${delta}: outer Ethernet, IPv4, UDP, VXLAN)`,
    };
  if (rw.kind === 'decap')
    return {
      title: 'decap',
      before: `${before} bytes, as it arrived on eth0`,
      after: `Frame ${step.index}: ${after} bytes (${delta}: the outer headers stripped)`,
    };
  return {
    title: `the ${what}`,
    before: `${before} bytes, as the packet arrived`,
    after: `Frame ${step.index}: ${after} bytes, as it goes on`,
  };
}

export function InspectorPanel() {
  const step = useCurrentStep();
  const sim = useStore((s) => s.sim);
  const seek = useStore((s) => s.seek);
  const hover = useStore((s) => s.hover);
  const setHover = useStore((s) => s.setHover);
  const flat = useMemo(() => flattenLayers(step?.layers ?? []), [step]);
  const before = useMemo(() => (step?.before ? decodeFrame(step.before) : null), [step]);
  const rw = useMemo(() => (step && before ? rewriteOf(step, before) : null), [step, before]);
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
  const proxy = proxyFactOf(step);
  const text = rw && sides(step, rw, nat ? nat.kind : 'rewrite');
  const marks = {
    before: rw?.kind === 'decap' ? ('removed' as const) : ('changed' as const),
    after: rw?.kind === 'encap' ? ('added' as const) : ('changed' as const),
  };
  return (
    <div className="inspector">
      <div className="inspector-summary">
        <span className="mono">{step.summary}</span>
      </div>
      {proxy && <HttpRewrite fact={proxy} />}
      {before && step.before && rw && text ? (
        <div className="inspector-pair" data-testid="inspector-pair" data-kind={rw.kind}>
          <section className="inspector-side before" aria-label="Before">
            <h3 className="inspector-side-title">
              <span className="side-tag">In</span> before {text.title}
            </h3>
            <LayerTree
              className="before"
              label={rw.kind === 'nat' ? 'Packet before the rewrite' : 'Frame before'}
              heading={text.before}
              layers={before}
              frameLength={step.before.length}
              stepIndex={step.index}
              active={rw.kind === 'nat' ? (hover?.field ?? null) : null}
              onHover={rw.kind === 'nat' ? setHover : () => {}}
              changed={rw.before}
              mark={marks.before}
            />
          </section>
          <section className="inspector-side after" aria-label="After">
            <h3 className="inspector-side-title">
              <span className="side-tag">Out</span> after {text.title}
            </h3>
            <LayerTree
              className="after"
              label={rw.kind === 'nat' ? 'Packet after the rewrite' : 'Frame after'}
              heading={text.after}
              layers={step.layers ?? []}
              frameLength={step.frame.length}
              stepIndex={step.index}
              active={hover?.field ?? null}
              onHover={setHover}
              changed={rw.after}
              mark={marks.after}
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
            ? 'eth0 writes the outer Ethernet header as it sends the packet, from its neighbour entry for the other node; the packet is on the wire at '
            : 'The outer frame was on the node network at '}
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
        changed={rw?.bytes}
      />
    </div>
  );
}
