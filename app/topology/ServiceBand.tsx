/**
 * The Services band above the nodes. A Service's ClusterIP is on no
 * interface of any node: kube-proxy writes rules for it on every node
 * (iptables mode) or binds it to each node's kube-ipvs0 (IPVS mode). So each
 * Service is a dashed "VIP" badge of its own, owned by the cluster, with its
 * type and the number of endpoints its EndpointSlices list. Hovering or
 * focusing a badge lists the endpoints (address, node, ready) and rings their
 * pods. Too many Services for two rows collapse into a count and the
 * Services the current connection uses.
 */
import { memo, useState } from 'react';
import type { Rect } from './geometry.ts';
import type { ServiceBandGeometry } from './layout.ts';
import type { PodLayout, TopologyLayout } from './layoutAt.ts';
import { endpointCount, type ServiceView } from './services.ts';
import { truncate } from '../ui/text.ts';
import './services.css';

/** Where each Service's badge is at this step: its own slot, or (collapsed) a slot after the count. */
export function badgePlaces(
  band: ServiceBandGeometry,
  inPlay: readonly string[],
): Map<string, Rect> {
  const out = new Map<string, Rect>();
  if (!band.collapsed) band.services.forEach((key, i) => out.set(key, band.slots[i]));
  else inPlay.slice(0, band.slots.length - 1).forEach((key, i) => out.set(key, band.slots[i + 1]));
  return out;
}

const podIndex = new WeakMap<TopologyLayout, Map<string, PodLayout>>();
/** A pod of the layout by "namespace/name" or by IP (built once per layout, on first use). */
export function podFinder(layout: TopologyLayout): (keyOrIp: string) => PodLayout | undefined {
  let index = podIndex.get(layout);
  if (!index) {
    index = new Map();
    for (const n of layout.nodes)
      for (const p of n.pods) {
        index.set(p.key, p);
        if (p.pod?.ip) index.set(p.pod.ip, p);
      }
    podIndex.set(layout, index);
  }
  return (k) => index.get(k);
}

const MAX_LISTED = 8;
const ROW = 22;

function describe(v: ServiceView): string {
  const eps = v.endpoints
    .slice(0, MAX_LISTED)
    .map((e) => `${e.address}${e.node ? ` on ${e.node}` : ''}${e.ready ? '' : ' (not ready)'}`);
  const more =
    v.endpoints.length > MAX_LISTED ? `, and ${v.endpoints.length - MAX_LISTED} more` : '';
  const what = v.vip ? `virtual IP ${v.address}` : v.address;
  return `Service ${v.namespace}/${v.name}, ${v.typeLabel}, ${what}, ${endpointCount(v)}${eps.length ? `: ${eps.join(', ')}${more}` : ''}`;
}

interface BadgeProps {
  readonly at: Rect;
  /** Drawing units per badge unit (ServiceBandGeometry.scale). */
  readonly scale: number;
  readonly view: ServiceView | undefined;
  readonly name: string;
  readonly inPlay: boolean;
  readonly open: boolean;
  readonly onOpen: (open: boolean) => void;
}

/** A badge's content is drawn in badge units from its corner; `at` is in drawing units. */
const placed = (at: Rect, scale: number) =>
  scale === 1 ? undefined : `translate(${at.x} ${at.y}) scale(${scale})`;

function Badge({ at, scale, view, name, inPlay, open, onOpen }: BadgeProps) {
  const local = scale !== 1;
  const [x, y] = local ? [0, 0] : [at.x, at.y];
  const [w, h] = [at.w / scale, at.h / scale];
  const transform = placed(at, scale);
  if (!view)
    return (
      <g className="vip ghost" data-service={name} transform={transform}>
        <rect className="vip-box" x={x} y={y} width={w} height={h} rx={12} />
        <text className="vip-name" x={x + 14} y={y + 28}>
          {truncate(name, 30)}
        </text>
        <text className="vip-detail" x={x + 14} y={y + 54}>
          not created yet
        </text>
      </g>
    );
  const headless = !view.vip;
  return (
    <g
      className={`vip${view.quiet ? ' quiet' : ''}${inPlay ? ' in-play' : ''}${open ? ' open' : ''}${headless ? ' headless' : ''}`}
      data-service={view.key}
      data-testid="vip"
      role="button"
      tabIndex={0}
      aria-expanded={open}
      aria-label={describe(view)}
      transform={transform}
      onMouseEnter={() => onOpen(true)}
      onMouseLeave={() => onOpen(false)}
      onFocus={() => onOpen(true)}
      onBlur={() => onOpen(false)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onOpen(false);
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onOpen(!open);
        }
      }}
    >
      <rect className="vip-box" x={x} y={y} width={w} height={h} rx={12} />
      <g className="vip-tag">
        <rect x={x + 12} y={y + 12} width={headless ? 78 : 36} height={20} rx={10} />
        <text x={x + 12 + (headless ? 39 : 18)} y={y + 26.5}>
          {headless ? 'HEADLESS' : 'VIP'}
        </text>
      </g>
      <text className="vip-name" x={x + (headless ? 100 : 58)} y={y + 28}>
        {truncate(view.name, headless ? 14 : 17)}
      </text>
      <text className="vip-type" x={x + w - 14} y={y + 28}>
        {truncate(view.typeLabel, 22)}
      </text>
      <text className="vip-address" x={x + 14} y={y + 56}>
        {truncate(view.address, 24)}
      </text>
      <text className={`vip-count${view.ready ? '' : ' none'}`} x={x + w - 14} y={y + 56}>
        {endpointCount(view)}
      </text>
    </g>
  );
}

/** The endpoints of the open badge: a list under it, and a ring and a line to each endpoint's pod. */
function Endpoints({
  at: drawn,
  scale,
  view,
  find,
}: {
  at: Rect;
  scale: number;
  view: ServiceView;
  find: (keyOrIp: string) => PodLayout | undefined;
}) {
  const listed = view.endpoints.slice(0, MAX_LISTED);
  const rows = Math.max(1, listed.length) + (view.endpoints.length > MAX_LISTED ? 1 : 0);
  // The list is drawn in badge units under the badge; the lines and rings in drawing units.
  const at = scale === 1 ? drawn : { x: 0, y: 0, w: drawn.w / scale, h: drawn.h / scale };
  const top = at.y + at.h + 6;
  const from = { x: drawn.x + drawn.w / 2, y: drawn.y + drawn.h };
  const pods = view.endpoints.flatMap((e) => {
    const p = (e.pod && find(e.pod)) || find(e.address);
    return p ? [{ p, ready: e.ready }] : [];
  });
  return (
    <g className="vip-endpoints" aria-hidden="true">
      {pods.map(({ p, ready }) => (
        <g key={p.key} className={`endpoint-ring${ready ? '' : ' unready'}`}>
          <path
            className="endpoint-line"
            d={`M${from.x},${from.y} C${from.x},${(from.y + p.y) / 2} ${p.x + p.w / 2},${(from.y + p.y) / 2} ${p.x + p.w / 2},${p.y - 6}`}
          />
          <rect x={p.x - 6} y={p.y - 6} width={p.w + 12} height={p.h + 12} rx={16} />
        </g>
      ))}
      <g className="vip-list" transform={placed(drawn, scale)}>
        <rect x={at.x} y={top} width={at.w} height={rows * ROW + 34} rx={10} />
        <text className="vip-list-head" x={at.x + 12} y={top + 22}>
          {view.endpoints.length
            ? 'endpoints (EndpointSlice)'
            : 'no endpoints: no ready pod selected'}
        </text>
        {listed.map((e, i) => (
          <text
            key={`${e.address}-${i}`}
            className="vip-list-row"
            x={at.x + 12}
            y={top + 44 + i * ROW}
          >
            {e.address}
            <tspan className="muted" dx={10}>
              {e.node ?? '—'}
            </tspan>
            <tspan className={e.ready ? 'ready' : 'unready'} dx={10}>
              {e.ready ? 'ready' : e.terminating ? 'terminating' : 'not ready'}
            </tspan>
          </text>
        ))}
        {view.endpoints.length > MAX_LISTED && (
          <text className="vip-list-row muted" x={at.x + 12} y={top + 44 + listed.length * ROW}>
            …and {view.endpoints.length - MAX_LISTED} more
          </text>
        )}
      </g>
    </g>
  );
}

interface Props {
  readonly band: ServiceBandGeometry;
  readonly views: readonly ServiceView[];
  /** Keys of the Services the current connection uses, most relevant first. */
  readonly inPlay: readonly string[];
  readonly layout: TopologyLayout;
}

export const ServiceBand = memo(function ServiceBand({ band, views, inPlay, layout }: Props) {
  const [open, setOpen] = useState<string | null>(null);
  const byKey = new Map(views.map((v) => [v.key, v]));
  const places = badgePlaces(band, inPlay);
  const playing = new Set(inPlay);
  const openView = open ? byKey.get(open) : undefined;
  const openAt = open ? places.get(open) : undefined;
  const count = band.slots[0];
  const s = band.scale;
  const local = s !== 1;
  const c = count && (local ? { x: 0, y: 0, w: count.w / s, h: count.h / s } : count);
  return (
    <g className={`service-band${band.collapsed ? ' collapsed' : ''}`}>
      <rect className="band-box" x={band.x} y={band.y} width={band.w} height={band.h} rx={14 * s} />
      <text
        className="band-heading"
        x={local ? 14 : band.x + 14}
        y={local ? 23 : band.y + 23}
        transform={placed(band, s)}
      >
        Services
        <tspan className="muted" dx={10}>
          virtual IPs: on no node — kube-proxy programs each one on every node
        </tspan>
      </text>
      {band.collapsed && count && c && (
        <g className="vip-summary" data-testid="vip-summary" transform={placed(count, s)}>
          <rect x={c.x} y={c.y} width={c.w} height={c.h} rx={12} />
          <text className="vip-name" x={c.x + 14} y={c.y + 28}>
            {views.length.toLocaleString('en-US')} Services
          </text>
          <text className="vip-detail" x={c.x + 14} y={c.y + 54}>
            {inPlay.length ? 'showing the ones in play →' : 'none in play at this step'}
          </text>
        </g>
      )}
      {[...places].map(([key, at]) => (
        <Badge
          key={key}
          scale={s}
          at={at}
          name={key}
          view={byKey.get(key)}
          inPlay={playing.has(key)}
          open={open === key}
          onOpen={(o) => setOpen((cur) => (o ? key : cur === key ? null : cur))}
        />
      ))}
      {openView && openAt && (
        <Endpoints at={openAt} scale={s} view={openView} find={podFinder(layout)} />
      )}
    </g>
  );
});
