/** A non-blocking notice (a bad link, a failed fetch) that the user can dismiss. */
import { useStore } from '../state/store.ts';
import { Icon } from './Icon.tsx';
import { undoFault } from '../state/faults.ts';

export function NoticeBar() {
  const notice = useStore((s) => s.notice);
  const showNotice = useStore((s) => s.showNotice);
  const undo = useStore((s) => !!s.notice && s.faultUndo?.notice === s.notice);
  if (!notice) return null;
  return (
    <div className="notice" role="status">
      <Icon name="info" />
      <span>{notice}</span>
      {undo && (
        <button type="button" className="notice-undo" onClick={() => void undoFault()}>
          Undo the fault
        </button>
      )}
      <button
        type="button"
        className="icon-button"
        aria-label="Dismiss notice"
        onClick={() => showNotice(null)}
      >
        <Icon name="close" size={18} />
      </button>
    </div>
  );
}
