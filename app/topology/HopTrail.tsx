/** The current hop's route drawn under the packet, with an arrow at the receiving end. */
import type { Hop } from './hop.ts';
import { polylinePath } from './geometry.ts';

export function HopTrail({ hop, scale = 1 }: { readonly hop: Hop; readonly scale?: number }) {
  return (
    <g className={`hop-trail proto-${hop.protocol ?? 'none'}`} aria-hidden="true">
      {hop.paths.map((path, i) =>
        path.length > 1 ? (
          <path key={i} d={polylinePath(path)} markerEnd="url(#hop-arrow)" />
        ) : hop.focus ? (
          <rect
            key={i}
            className="hop-focus outline"
            x={hop.focus.x - 6}
            y={hop.focus.y - 6}
            width={hop.focus.w + 12}
            height={hop.focus.h + 12}
            rx={14}
          />
        ) : (
          <circle key={i} className="hop-focus" cx={path[0].x} cy={path[0].y} r={30 * scale} />
        ),
      )}
    </g>
  );
}
