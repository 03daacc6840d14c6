/** Zoom buttons over the topology's corner, for projectors without a wheel. */
import type { ZoomHandle } from './useZoom.ts';

export function ZoomControls({ zoom }: { readonly zoom: ZoomHandle }) {
  return (
    <div className="zoom-controls" role="group" aria-label="Zoom the topology">
      <button
        type="button"
        aria-label="Zoom in"
        title="Zoom in (Ctrl + wheel)"
        onClick={() => zoom.zoomBy(1.4)}
      >
        +
      </button>
      <button
        type="button"
        aria-label="Zoom out"
        title="Zoom out"
        onClick={() => zoom.zoomBy(1 / 1.4)}
      >
        −
      </button>
      <button
        type="button"
        aria-label="Reset zoom"
        title="Reset zoom (double-click)"
        onClick={zoom.reset}
      >
        ⟲
      </button>
    </div>
  );
}
