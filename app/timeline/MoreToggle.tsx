/** The "More" / "Less" button beside a headline: shows or hides the full explanation (key M). */
import { useNarrationMore } from './narrationMore.ts';

export function MoreToggle({ controls }: { readonly controls: string }) {
  const more = useNarrationMore((s) => s.more);
  const toggle = useNarrationMore((s) => s.toggleMore);
  return (
    <button
      type="button"
      className="more-toggle"
      aria-expanded={more}
      aria-controls={controls}
      aria-keyshortcuts="M"
      title={more ? 'Hide the full explanation (M)' : 'Show the full explanation (M)'}
      // A click toggles without taking focus, so space still plays.
      onMouseDown={(e) => e.preventDefault()}
      onClick={toggle}
    >
      {more ? 'Less' : 'More'} <kbd>M</kbd>
    </button>
  );
}
