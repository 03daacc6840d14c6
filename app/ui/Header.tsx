/** The app bar: brand, scenario picker, Open…, Edit YAML, Export pcap (and TLS keys), Present. */
import { useMemo, useRef, type ChangeEvent } from 'react';
import { useStore } from '../state/store.ts';
import { CUSTOM_ID } from '../state/scenarioSlice.ts';
import { groupCatalog, scenarioStem } from '../state/catalog.ts';
import { hashNow, openFileText, openScenario } from '../state/boot.ts';
import { Icon } from './Icon.tsx';
import { downloadBytes } from './files.ts';
import { Logo } from './Logo.tsx';
import { enterPresenter } from './presenter.ts';
import { ThemeToggle } from './ThemeToggle.tsx';
import { ExportMenu } from './ExportMenu.tsx';
import { ChallengeToggle } from '../challenge/ChallengeToggle.tsx';
import { ComparePicker } from '../compare/ComparePicker.tsx';
import { SCENARIO_LIMITS } from '@kubewire/sim-core';

/** Larger files are refused before they are read (a scenario of 50,000 pods is about 8 MiB). */
const MAX_FILE_BYTES = SCENARIO_LIMITS.fileBytes;

export function Header() {
  const catalog = useStore((s) => s.catalog);
  const groups = useMemo(() => groupCatalog(catalog), [catalog]);
  const scenarioId = useStore((s) => s.scenarioId);
  const sim = useStore((s) => s.sim);
  const editorOpen = useStore((s) => s.editorOpen);
  const { openEditor } = useStore.getState();
  const fileInput = useRef<HTMLInputElement>(null);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      useStore
        .getState()
        .showNotice(
          `${file.name} was not opened: it is ${(file.size / 2 ** 20).toFixed(1)} MiB, and a scenario file may be at most ${MAX_FILE_BYTES / 2 ** 20} MiB. Nothing was changed.`,
        );
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch (err) {
      useStore.getState().showNotice(`${file.name} could not be read: ${String(err)}.`);
      return;
    }
    void openFileText(text, file.name);
  };
  const share = async () => {
    const { scenarioId: id, step } = useStore.getState();
    if (!id) return;
    const url = new URL(window.location.href);
    url.hash = hashNow();
    try {
      await navigator.clipboard.writeText(url.href);
      useStore.getState().showNotice(`Link to step ${step} copied: ${url.href}`);
    } catch {
      // No clipboard (an insecure origin, a denied permission): the link is still there to copy.
      useStore.getState().showNotice(`Link to step ${step}: ${url.href}`);
    }
  };
  const exportPcap = () =>
    sim &&
    downloadBytes(
      sim.exportPcap(),
      `${scenarioId ?? 'kubewire'}.pcap`,
      'application/vnd.tcpdump.pcap',
    );
  // curl's SSLKEYLOGFILE lines when the trace has HTTPS: Wireshark decrypts the pcap with them.
  const keylog = useMemo(() => sim?.keylog() ?? '', [sim]);
  const exportKeys = () => {
    const name = `${scenarioId ?? 'kubewire'}.keys`;
    downloadBytes(new TextEncoder().encode(keylog), name, 'text/plain');
    useStore
      .getState()
      .showNotice(
        `${name} holds the TLS session keys. Wireshark reads it from Preferences → Protocols → TLS → (Pre)-Master-Secret log filename; open ${scenarioId ?? 'kubewire'}.pcap and the HTTPS shows as HTTP.`,
      );
  };
  return (
    <header className="app-header">
      <div className="brand">
        <Logo />
        <span className="brand-name">Kubewire</span>
        <span className="brand-tag">Kubernetes networking, packet by packet</span>
      </div>
      <label className="scenario-picker">
        <span className="visually-hidden">Scenario</span>
        <select value={scenarioId ?? ''} onChange={(e) => void openScenario(e.target.value)}>
          {groups.map((g) => (
            <optgroup key={g.label} label={g.label}>
              {g.entries.map((c) => (
                <option key={c.file} value={scenarioStem(c.file)}>
                  {c.title}
                </option>
              ))}
            </optgroup>
          ))}
          {scenarioId === CUSTOM_ID && <option value={CUSTOM_ID}>Custom scenario</option>}
        </select>
      </label>
      <nav className="header-actions" aria-label="Scenario actions">
        <button
          type="button"
          className="keep-label"
          onClick={() => fileInput.current?.click()}
          title="Open a scenario file from disk"
        >
          <Icon name="open" /> <span className="label">Open…</span>
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".yaml,.yml,text/yaml"
          hidden
          onChange={(e) => void onFile(e)}
          data-testid="file-input"
        />
        <button
          type="button"
          className="keep-label"
          aria-pressed={editorOpen}
          onClick={() => openEditor(!editorOpen)}
        >
          <Icon name="edit" /> <span className="label">Edit YAML</span>
        </button>
        <button
          type="button"
          onClick={exportPcap}
          disabled={!sim}
          title="Download the trace as a pcap (Wireshark, tshark)"
        >
          <Icon name="download" /> <span className="label">Export pcap</span>
        </button>
        {keylog && (
          <button
            type="button"
            onClick={exportKeys}
            title="Download the TLS keys (SSLKEYLOGFILE) for the pcap. Wireshark: Preferences → Protocols → TLS → (Pre)-Master-Secret log filename"
          >
            <Icon name="key" /> <span className="label">TLS keys (SSLKEYLOGFILE)</span>
          </button>
        )}
        <ExportMenu />
        <ComparePicker />
        <ChallengeToggle disabled={!sim} />
        <button
          type="button"
          onClick={() => void share()}
          disabled={!sim}
          title="Copy a link to this step"
        >
          <Icon name="link" /> <span className="label">Share</span>
        </button>
        <button
          type="button"
          className="keep-label"
          onClick={enterPresenter}
          title="Presenter mode: full screen, large type, keyboard only (Esc to leave)"
        >
          <Icon name="present" /> <span className="label">Present</span>
        </button>
        <ThemeToggle />
      </nav>
    </header>
  );
}
