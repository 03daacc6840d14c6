/**
 * The cluster as drawn: nodes, pods, veth cables, cni0, the node network,
 * and the current step's packet. React owns the DOM; d3 only supplies
 * numbers and path strings.
 */
import { useMemo, useRef } from 'react';
import type { Step } from '@kubewire/sim-core';
import { useCurrentStep, useSnapshot } from '../state/selectors.ts';
import { useStore } from '../state/store.ts';
import { anchorKey, layoutTopology, podAppearances, podSlots } from './layout.ts';
import { hopOf } from './hop.ts';
import { NodeBox } from './NodeBox.tsx';
import { PacketGlyph } from './PacketGlyph.tsx';
import { HopTrail } from './HopTrail.tsx';
import { NodeNetwork } from './NodeNetwork.tsx';
import { useZoom } from './useZoom.ts';
import { ZoomControls } from './ZoomControls.tsx';

function activeKeys(step: Step | undefined): Set<string> {
  const keys = new Set<string>();
  for (const place of step ? [step.place, step.from] : []) {
    if (!place) continue;
    keys.add(anchorKey(place.netns, place.iface));
    if (!place.iface) keys.add(anchorKey(place.netns));
  }
  return keys;
}

export function TopologyView() {
  const snapshot = useSnapshot();
  const step = useCurrentStep();
  const sim = useStore((s) => s.sim);
  // The trace's final state fixes the geometry, so the picture does not jump while scrubbing.
  const frame = useMemo(() => {
    if (!sim) return null;
    const reference = sim.steps.length ? sim.stateAt(sim.steps.length - 1) : sim.initial;
    return {
      reference,
      slots: podSlots(sim.scenario.pods, reference),
      appearedAt: podAppearances((i) => sim.stateAt(i), sim.steps.length),
    };
  }, [sim]);
  const stepIndex = useStore((s) => s.step);
  const layout = useMemo(
    () =>
      snapshot && frame ? layoutTopology({ current: snapshot, step: stepIndex, ...frame }) : null,
    [snapshot, frame, stepIndex],
  );
  const hop = useMemo(() => (layout ? hopOf(layout, step) : null), [layout, step]);
  const active = useMemo(() => activeKeys(step), [step]);
  const svgRef = useRef<SVGSVGElement>(null);
  const layerRef = useRef<SVGGElement>(null);
  const zoomHandle = useZoom(svgRef, layerRef, sim, !!layout);

  if (!layout || !hop) {
    return <div className="topology-empty">Loading the cluster…</div>;
  }
  const pad = 8;
  return (
    <>
      <svg
        ref={svgRef}
        className="topology"
        viewBox={`${-pad} ${-pad} ${layout.width + 2 * pad} ${layout.height + 2 * pad}`}
        preserveAspectRatio="xMidYMid meet"
        role="img"
        aria-label={`Cluster topology: ${layout.nodes.length} node(s), ${snapshot?.pods.length ?? 0} pod(s)`}
      >
        <defs>
          <marker
            id="hop-arrow"
            viewBox="0 0 10 10"
            refX="8"
            refY="5"
            markerWidth="5"
            markerHeight="5"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L10,5 L0,10 z" className="hop-arrow-head" />
          </marker>
        </defs>
        <g ref={layerRef}>
          {layout.nodes.map((n) => (
            <NodeBox key={n.node.name} layout={n} active={active} />
          ))}
          <NodeNetwork layout={layout} cidr={sim?.scenario.cluster.nodeNetwork ?? ''} />
          <HopTrail hop={hop} />
          {step?.frame && <PacketGlyph hop={hop} title={step.summary} />}
        </g>
      </svg>
      <ZoomControls zoom={zoomHandle} />
    </>
  );
}
