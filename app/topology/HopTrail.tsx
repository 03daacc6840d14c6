/** The current hop's route drawn under the packet, with an arrow at the receiving end. */
import type { Hop } from './hop.ts';
import { polylinePath } from './geometry.ts';

export function HopTrail({ hop, scale = 1 }: { readonly hop: Hop; readonly scale?: number }) {
  return (
    <g className={`hop-trail proto-${hop.protocol ?? 'none'}`} aria-hidden="true">
      {hop.paths.map((path, i) =>
        path.length > 1 ? (
          <path key={i} d={polylinePath(path)} markerEnd="url(#hop-arrow)" />
        ) : (
          <circle key={i} className="hop-focus" cx={path[0].x} cy={path[0].y} r={30 * scale} />
        ),
      )}
    </g>
  );
}
