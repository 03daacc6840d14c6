/**
 * Zoom buttons over the topology's corner, for projectors without a wheel,
 * and "follow the packet": on a big cluster the whole picture is a map, and
 * following zooms to each step's hop as the trace plays.
 */
import type { ZoomHandle } from './useZoom.ts';
import { Icon } from '../ui/Icon.tsx';

interface Props {
  readonly zoom: ZoomHandle;
  /** Offer "follow" (a big cluster; a small one is all in view anyway). */
  readonly canFollow: boolean;
  readonly following: boolean;
  readonly onFollow: (following: boolean) => void;
}

export function ZoomControls({ zoom, canFollow, following, onFollow }: Props) {
  const manual = (f: () => void) => () => {
    onFollow(false);
    f();
  };
  return (
    <div className="zoom-controls" role="group" aria-label="Zoom the topology">
      {canFollow && (
        <button
          type="button"
          className="follow"
          aria-pressed={following}
          aria-label="Follow"
          title="Follow the packet: zoom to each step's hop"
          onClick={() => onFollow(!following)}
        >
          <Icon name="follow" />
        </button>
      )}
      <button
        type="button"
        aria-label="Zoom in"
        title="Zoom in (Ctrl + wheel)"
        onClick={manual(() => zoom.zoomBy(1.4))}
      >
        +
      </button>
      <button
        type="button"
        aria-label="Zoom out"
        title="Zoom out"
        onClick={manual(() => zoom.zoomBy(1 / 1.4))}
      >
        −
      </button>
      <button
        type="button"
        aria-label="Reset zoom"
        title="Reset zoom (double-click)"
        onClick={manual(zoom.reset)}
      >
        ⟲
      </button>
    </div>
  );
}
