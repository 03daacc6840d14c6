/** "Picture": the topology as on screen, downloaded as SVG (self-contained) or PNG. */
import { useEffect, useRef, useState } from 'react';
import { useStore } from '../state/store.ts';
import { Icon } from './Icon.tsx';
import { downloadBytes } from './files.ts';
import { topologyPng, topologySvg } from './exportView.ts';
import './exportMenu.css';

export function ExportMenu() {
  const sim = useStore((s) => s.sim);
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: Event) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('pointerdown', away);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('pointerdown', away);
      document.removeEventListener('keydown', esc);
    };
  }, [open]);

  const save = async (format: 'svg' | 'png') => {
    setOpen(false);
    const { scenarioId, step, showNotice } = useStore.getState();
    const picture = topologySvg();
    if (!picture) return showNotice('There is no topology on screen to export yet.');
    const name = `${scenarioId ?? 'kubewire'}-step-${step}.${format}`;
    try {
      if (format === 'svg')
        downloadBytes(new TextEncoder().encode(picture.svg), name, 'image/svg+xml');
      else downloadBytes(await topologyPng(picture), name, 'image/png');
    } catch (e) {
      showNotice(`The picture could not be made: ${e instanceof Error ? e.message : String(e)}.`);
    }
  };

  return (
    <div className="export-menu" ref={root}>
      <button
        type="button"
        aria-expanded={open}
        aria-controls="export-menu-list"
        disabled={!sim}
        onClick={() => setOpen(!open)}
        title="Download the topology as on screen, as SVG or PNG"
      >
        <Icon name="image" /> <span className="label">Picture</span>
      </button>
      {open && (
        <div id="export-menu-list" className="export-menu-list" role="group" aria-label="Picture">
          <button type="button" onClick={() => void save('svg')}>
            Topology as SVG <span className="muted">vector, styles inlined</span>
          </button>
          <button type="button" onClick={() => void save('png')}>
            Topology as PNG <span className="muted">2× the size on screen</span>
          </button>
        </div>
      )}
    </div>
  );
}
