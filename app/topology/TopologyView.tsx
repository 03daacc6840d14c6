/**
 * The cluster as drawn: the Services band, nodes, pods, veth cables, cni0,
 * the node network and the machines outside the cluster on it, and the
 * current step's packet (with its NAT, when the step rewrote it). React owns the DOM; d3 only supplies
 * numbers and path strings. The geometry is fixed per simulation; a step
 * only re-renders the nodes whose contents or highlights it changed, and a
 * big cluster draws in full only the nodes in view (detail.ts).
 *
 * What moves is drawn apart from what stays: the hop's trail, the packet,
 * the hook and NAT tags, and on the map the tile parts the step lights, sit in a second svg laid exactly over the first (same
 * viewBox, same zoom transform) in a layer of its own, so the packet's every
 * frame repaints those few shapes, not the thousands of the map under them.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { zoomIdentity, type ZoomTransform } from 'd3';
import type { Step } from '@kubewire/sim-core';
import { useCurrentStep, usePaneSim, usePaneStep, useSnapshot } from '../state/selectors.ts';
import { useStore } from '../state/store.ts';
import { CANCELLED_NOTICE } from '../state/scenarioSlice.ts';
import { SimProgress } from '../ui/SimProgress.tsx';
import { anchorKey, podSlots, topologyGeometry } from './layout.ts';
import { createLayoutAt } from './layoutAt.ts';
import { podRemovals } from './removals.ts';
import { anchorOf, hookPlace, hopOf } from './hop.ts';
import { hookLabel } from './hook.ts';
import { HookBadge } from './HookBadge.tsx';
import { useFollow } from './useFollow.ts';
import { DETAIL_FROM_PODS, DETAIL_SCALE, fitScale, intersects, visibleRegion } from './detail.ts';
import { NodeBox } from './NodeBox.tsx';
import { NodeTile, TileHighlight } from './NodeTile.tsx';
import { PacketGlyph } from './PacketGlyph.tsx';
import { badgeWidth } from './badge.ts';
import { dropOf } from './drop.ts';
import { DropMark } from './DropMark.tsx';
import { HopTrail } from './HopTrail.tsx';
import { NodeNetwork } from './NodeNetwork.tsx';
import { useZoom } from './useZoom.ts';
import { useFrameSize } from './useFrameSize.ts';
import { ZoomControls } from './ZoomControls.tsx';
import { ExternalHost } from './ExternalHost.tsx';
import { PodCard } from './PodCard.tsx';
import { NodeCard } from './NodeCard.tsx';
import { pressable } from './pressable.ts';
import { ServiceBand, badgePlaces, podFinder } from './ServiceBand.tsx';
import { NatLink, NatSwap } from './NatSwap.tsx';
import { hostOf, natOf, natService } from './nat.ts';
import { serviceAddresses, serviceViews } from './services.ts';
import { servicesByAction } from './inPlay.ts';
import './overlay.css';

/** The current step's places as anchor keys, one newline-joined string per node they are on. */
function activeByNode(step: Step | undefined, nodeOf: ReadonlyMap<string, string>) {
  const keys = new Map<string, string[]>();
  for (const place of step ? [step.place, step.from] : []) {
    if (!place) continue;
    const node = nodeOf.get(place.netns) ?? place.node;
    const list = keys.get(node) ?? [];
    list.push(anchorKey(place.netns, place.iface));
    if (!place.iface) list.push(anchorKey(place.netns));
    keys.set(node, list);
  }
  return new Map([...keys].map(([node, list]) => [node, list.join('\n')]));
}

/** The packet clicked: the Packet tab (the inspector) at this step, in embed's drawer too. */
function openInspector() {
  const s = useStore.getState();
  s.selectPanel('inspector');
  if (s.embed) s.openTables(true);
}

const EMPTY: ReadonlyMap<string, string> = new Map();
const NONE: readonly string[] = [];
const PAD = 8;
/** On screen, at least: the packet glyph at 60% of its size, a tile's node name at 15 px. */
const MIN_GLYPH_SCALE = 0.6;
const MIN_LABEL_PX = 15;
/**
 * Presenter mode's scale, px per user unit: the drawing's smallest text (MACs, "bridge", the
 * eth0 chips: 13 units) at 18 px on a 1280×720 projector. It follows the packet at that scale.
 */
const PRESENTER_SCALE = 18 / 13;

export function TopologyView() {
  const snapshot = useSnapshot();
  const step = useCurrentStep();
  const stepIndex = usePaneStep();
  const sim = usePaneSim();
  const presenting = useStore((s) => s.presenter);
  // Before the first trace: the worker's progress, or (a first load cancelled) what to do next.
  const simulating = useStore((s) => s.simulating !== null);
  const cancelled = useStore((s) => !!s.notice?.startsWith(CANCELLED_NOTICE));
  const emptyText = cancelled
    ? 'No scenario is shown: pick one above, or open a file.'
    : 'Loading the cluster…';
  // The trace's final state fixes the geometry, so the picture does not jump while scrubbing.
  const geometry = useMemo(() => {
    if (!sim) return null;
    const reference = sim.steps.length ? sim.stateAt(sim.steps.length - 1) : sim.initial;
    return topologyGeometry(reference, podSlots(sim.scenario.pods, reference));
  }, [sim]);
  const layoutAt = useMemo(
    () => (sim && geometry ? createLayoutAt(geometry, podRemovals(sim)) : null),
    [sim, geometry],
  );
  const layout = useMemo(
    () => (snapshot && layoutAt ? layoutAt(snapshot, stepIndex) : null),
    [snapshot, layoutAt, stepIndex],
  );
  const hop = useMemo(() => (layout ? hopOf(layout, step) : null), [layout, step]);
  const drop = useMemo(
    () => dropOf(step, stepIndex > 0 ? sim?.steps[stepIndex - 1] : undefined),
    [step, stepIndex, sim],
  );
  const active = useMemo(
    () => (layout ? activeByNode(step, layout.nodeOf) : EMPTY),
    [step, layout],
  );
  const views = useMemo(() => serviceViews(snapshot?.api), [snapshot?.api]);
  const services = snapshot?.api?.services;
  const nodes = snapshot?.nodes;
  const addresses = useMemo(() => serviceAddresses(services ?? [], nodes ?? []), [services, nodes]);
  const nat = useMemo(() => natOf(step?.facts), [step]);
  const natLinked = useMemo(() => nat && natService(nat, addresses), [nat, addresses]);
  const actionServices = sim && step ? servicesByAction(sim).get(step.action) : undefined;
  const inPlay = useMemo(() => {
    const list = actionServices ?? NONE;
    if (!natLinked || list[0] === natLinked.service) return list;
    return [natLinked.service, ...list.filter((k) => k !== natLinked.service)];
  }, [actionServices, natLinked]);
  const svgRef = useRef<SVGSVGElement>(null);
  const layerRef = useRef<SVGGElement>(null);
  const overlayRef = useRef<SVGGElement>(null);
  const size = useFrameSize(svgRef, !!layout);
  const [zoom, setZoom] = useState<ZoomTransform>(zoomIdentity);
  const [following, setFollowing] = useState(false);
  // A new simulation starts unzoomed, not following.
  const [followedSim, setFollowedSim] = useState(sim);
  if (followedSim !== sim) {
    setFollowedSim(sim);
    setFollowing(false);
  }
  // Panning or zooming by hand stops following the packet.
  const stopFollowing = useCallback(() => setFollowing(false), []);
  const zoomHandle = useZoom(
    svgRef,
    layerRef,
    sim,
    !!layout,
    geometry,
    stopFollowing,
    setZoom,
    overlayRef,
  );
  const box = layout && { x: -PAD, y: -PAD, w: layout.width + 2 * PAD, h: layout.height + 2 * PAD };
  const view = box && size && { ...size, box, k: zoom.k, x: zoom.x, y: zoom.y };
  useFollow(
    following || presenting,
    hop,
    view,
    zoomHandle.zoomTo,
    presenting ? PRESENTER_SCALE : undefined,
  );
  // Leaving presenter mode leaves its zoom too.
  const { reset } = zoomHandle;
  useEffect(() => {
    if (!presenting) reset();
  }, [presenting, reset]);

  if (!layout || !hop || !geometry || !box) {
    return (
      <div className="topology-empty">{simulating ? <SimProgress over={false} /> : emptyText}</div>
    );
  }
  const scale = view ? fitScale(view) * zoom.k : 1;
  const levels = geometry.nodes.reduce((n, g) => n + g.pods.length, 0) > DETAIL_FROM_PODS;
  const far = levels && scale < DETAIL_SCALE;
  const region = levels && !far && view ? visibleRegion(view, 0.1) : null;
  const detailed = (n: { x: number; y: number; w: number; h: number }) =>
    !levels || (!far && (!region || intersects(n, region)));
  // Tile names in a few sizes only, so zooming re-renders tiles at those steps, not every frame.
  const label = 2 ** Math.ceil(Math.log2(MIN_LABEL_PX / Math.max(scale, 1e-3)));
  const glyph = levels ? Math.max(1, MIN_GLYPH_SCALE / scale) : 1;
  const hook = hookLabel(step);
  const hookAt = hook && step ? hookPlace(layout, step, hook) : undefined;
  const natPath = hop.paths[0];
  const dropPath = drop && hop.paths.length === 1 ? hop.paths[0] : undefined;
  const dropAt = drop && (dropPath?.[dropPath.length - 1] ?? anchorOf(layout, drop.place));
  const badgeClear = hop.badge && step?.frame ? badgeWidth(hop.badge.label) / 2 : 0;
  const natAt =
    nat && step ? (natPath?.[natPath.length - 1] ?? anchorOf(layout, step.place)) : undefined;
  const natBadge =
    natLinked && layout.band && badgePlaces(layout.band, inPlay).get(natLinked.service);
  const natPod = natLinked && podFinder(layout)(hostOf(natLinked.endpoint));
  const svgClass = `topology${levels ? ' levels' : ''}${far ? ' far' : ''}`;
  const viewBox = `${box.x} ${box.y} ${box.w} ${box.h}`;
  const sized = size ? { width: size.width, height: size.height } : undefined;
  return (
    <>
      <svg
        ref={svgRef}
        className={svgClass}
        viewBox={viewBox}
        preserveAspectRatio="xMidYMid meet"
        style={sized}
        role="group"
        aria-label="Cluster topology"
      >
        <g ref={layerRef}>
          <g
            role="group"
            aria-label={`Cluster topology: ${layout.nodes.length} node(s), ${snapshot?.pods.length ?? 0} pod(s)${layout.externals.length ? `, ${layout.externals.length} host(s) outside the cluster` : ''}, ${views.length} Service(s)`}
          >
            {layout.nodes.map((n) =>
              detailed(n) ? (
                <NodeBox key={n.node.name} layout={n} active={active.get(n.node.name) ?? ''} />
              ) : (
                <NodeTile key={n.node.name} layout={n} label={Math.min(label, n.w / 6)} />
              ),
            )}
            <NodeNetwork layout={geometry} cidr={sim?.scenario.cluster.nodeNetwork ?? ''} />
            {layout.externals.map((e) => {
              const keys = active.get(e.netns.id)?.split('\n') ?? [];
              return (
                <ExternalHost
                  key={e.netns.id}
                  layout={e}
                  active={keys.includes(e.netns.id)}
                  eth0Active={!!e.chip && keys.includes(`${e.netns.id}#${e.chip.iface.name}`)}
                />
              );
            })}
          </g>
          {layout.band && (
            <ServiceBand band={layout.band} views={views} inPlay={inPlay} layout={layout} />
          )}
          {drop && dropAt && (
            <DropMark
              drop={drop}
              at={dropAt}
              clear={step?.frame ? (hop.encapsulated ? 26 : 20) : 0}
              width={layout.width}
              scale={glyph}
            />
          )}
        </g>
      </svg>
      <svg
        className={`${svgClass} topology-overlay`}
        viewBox={viewBox}
        preserveAspectRatio="xMidYMid meet"
        style={sized}
        role="group"
        aria-label="The step's packet"
      >
        <defs>
          <ArrowMarker id="hop-arrow" size={5} head="hop-arrow-head" />
          <ArrowMarker id="nat-arrow" size={4} head="nat-arrow-head" />
        </defs>
        <g ref={overlayRef}>
          <g aria-hidden="true">
            {layout.nodes.map((n) => {
              const keys = active.get(n.node.name);
              return keys && !detailed(n) ? (
                <TileHighlight
                  key={n.node.name}
                  layout={n}
                  active={keys}
                  label={Math.min(label, n.w / 6)}
                />
              ) : null;
            })}
            {natBadge && natPod && nat && (
              <NatLink badge={natBadge} pod={natPod} reply={nat.reply} />
            )}
            <HopTrail hop={hop} scale={glyph} />
          </g>
          {step?.frame && (
            // Packet Tracer opens the envelope on click: the inspector, on this packet's layers.
            <g className="packet-button" {...pressable(`Packet: ${step.summary}`, openInspector)}>
              <PacketGlyph hop={hop} title={step.summary} scale={glyph} />
            </g>
          )}
          <g aria-hidden="true">
            {hook && hookAt && (
              <HookBadge at={hookAt.at} label={hook} lifted={hookAt.lifted} scale={glyph} />
            )}
            {nat && natAt && (
              <NatSwap key={stepIndex} at={natAt} nat={nat} scale={glyph} clear={badgeClear} />
            )}
          </g>
        </g>
      </svg>
      <ZoomControls
        zoom={zoomHandle}
        canFollow={levels}
        following={following}
        onFollow={setFollowing}
      />
      <PodCard />
      <NodeCard />
    </>
  );
}

/** An arrowhead for the hop trail and the NAT swap (markers are drawn at the path's end). */
function ArrowMarker({ id, size, head }: { id: string; size: number; head: string }) {
  return (
    <marker
      id={id}
      viewBox="0 0 10 10"
      refX="8"
      refY="5"
      markerWidth={size}
      markerHeight={size}
      orient="auto-start-reverse"
    >
      <path d="M0,0 L10,5 L0,10 z" className={head} />
    </marker>
  );
}
