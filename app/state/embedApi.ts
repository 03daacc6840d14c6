/**
 * The postMessage API for pages that embed Kubewire in an iframe (README,
 * "Embed in your docs"). Every message is an object with a `kubewire` field
 * naming the command or event.
 *
 * Commands (host page → Kubewire):
 *   {kubewire: 'load', scenario: 'service-clusterip', step?}   a built-in, by name
 *   {kubewire: 'load', yaml: '…', step?}                      a scenario's text
 *   {kubewire: 'goto', step: 12}      {kubewire: 'step', by?: 1 | -1}
 *   {kubewire: 'play'}  {kubewire: 'pause'}
 *   {kubewire: 'setPanel', panel: 'iptables'}   opens the tables drawer at it, pinned
 * Events (Kubewire → host page):
 *   {kubewire: 'ready', scenario, count, api: 1}               once, and after each load
 *   {kubewire: 'stepchange', scenario, step, count, headline, summary}
 *   {kubewire: 'error', message, errors?: [{line, column, message}], command?}
 *
 * `?origin=https://docs.example.org` (comma-separated, exact origins) is the
 * allowlist: commands from any other origin are ignored, and events go to the
 * parent only if its origin is allowed. Without it any page may drive the
 * view, and events go to any parent ('*'): they carry nothing but what is on
 * screen. A malformed command gets an `error` event naming what is wrong, never
 * an exception. The older commands `seek`, `next`, `prev` and `open` still work.
 */
import { narrate, SCENARIO_LIMITS } from '@kubewire/sim-core';
import { useStore } from './store.ts';
import { openScenario } from './boot.ts';
import { CUSTOM_ID } from './scenarioSlice.ts';
import type { PanelId } from './uiSlice.ts';

/**
 * Every panel id, for checking `setPanel`. A PanelId added to uiSlice.ts and
 * missing here fails to compile below: add it to this list too.
 */
export const PANEL_IDS = [
  'neighbors',
  'fdb',
  'routes',
  'ipam',
  'bird',
  'bpf',
  'iptables',
  'conntrack',
  'sockets',
  'services',
  'endpointslices',
  'ipvs',
  'ipsets',
  'ingress',
  'dns',
  'scaling',
  'inspector',
] as const satisfies readonly PanelId[];
type Unlisted = Exclude<PanelId, (typeof PANEL_IDS)[number]>;
const everyPanelListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyPanelListed;

export const EMBED_API_VERSION = 1;
const COMMANDS = ['load', 'goto', 'step', 'play', 'pause', 'setPanel'] as const;
const LEGACY = ['seek', 'next', 'prev', 'open'] as const;
/** A YAML text larger than this is refused (the same limit as Open…). */
const MAX_YAML = SCENARIO_LIMITS.fileBytes;

export type EmbedCommand =
  | { kubewire: 'load'; scenario: string; step?: number }
  | { kubewire: 'load'; yaml: string; step?: number }
  | { kubewire: 'goto'; step: number }
  | { kubewire: 'step'; by: 1 | -1 }
  | { kubewire: 'play' | 'pause' }
  | { kubewire: 'setPanel'; panel: PanelId };

type Parsed = { ok: true; command: EmbedCommand } | { ok: false; message: string };

const isStep = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Checks a message against the API's shapes; never throws, whatever `data` is. */
export function parseCommand(data: unknown): Parsed | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const m = data as Record<string, unknown>;
  const name = m.kubewire;
  // Not addressed to us (another widget's messages on the same page): ignored, not an error.
  if (typeof name !== 'string') return null;
  const bad = (message: string): Parsed => ({ ok: false, message: `${name}: ${message}` });
  switch (name) {
    case 'load': {
      if ('step' in m && !isStep(m.step)) return bad('step must be a whole number ≥ 0');
      const step = isStep(m.step) ? { step: m.step } : {};
      if (typeof m.scenario === 'string' && m.yaml === undefined) {
        if (!/^[a-z0-9][a-z0-9-]{0,99}$/.test(m.scenario))
          return bad(
            `scenario must be a built-in's name (like "same-node"), not ${JSON.stringify(m.scenario).slice(0, 60)}`,
          );
        return { ok: true, command: { kubewire: 'load', scenario: m.scenario, ...step } };
      }
      if (typeof m.yaml === 'string' && m.scenario === undefined) {
        if (m.yaml.length > MAX_YAML) return bad(`yaml is larger than ${MAX_YAML / 2 ** 20} MiB`);
        return { ok: true, command: { kubewire: 'load', yaml: m.yaml, ...step } };
      }
      return bad('give exactly one of scenario (a built-in name) or yaml (the text)');
    }
    case 'goto':
    case 'seek':
      if (!isStep(m.step)) return bad('step must be a whole number ≥ 0');
      return { ok: true, command: { kubewire: 'goto', step: m.step } };
    case 'step':
      if (m.by !== undefined && m.by !== 1 && m.by !== -1) return bad('by must be 1 or -1');
      return { ok: true, command: { kubewire: 'step', by: m.by === -1 ? -1 : 1 } };
    case 'next':
    case 'prev':
      return { ok: true, command: { kubewire: 'step', by: name === 'next' ? 1 : -1 } };
    case 'play':
    case 'pause':
      return { ok: true, command: { kubewire: name } };
    case 'setPanel':
      if (typeof m.panel !== 'string' || !(PANEL_IDS as readonly string[]).includes(m.panel))
        return bad(`panel must be one of ${PANEL_IDS.join(', ')}`);
      return { ok: true, command: { kubewire: 'setPanel', panel: m.panel as PanelId } };
    case 'open':
      if (typeof m.scenario !== 'string') return bad('scenario must be a string');
      return parseCommand({ kubewire: 'load', scenario: m.scenario, step: m.step });
    default:
      if (name === 'ready' || name === 'stepchange' || name === 'error' || name === 'step')
        return null;
      return bad(`unknown command (commands: ${COMMANDS.join(', ')})`);
  }
}

/** The `?origin=` allowlist; null when none is set (any origin). */
export function allowedOrigins(search: string): readonly string[] | null {
  const raw = new URLSearchParams(search).get('origin');
  if (raw === null) return null;
  return raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .flatMap((o) => {
      try {
        return [new URL(o).origin];
      } catch {
        return [];
      }
    });
}

export function startEmbedApi(): void {
  if (window.parent === window) return;
  const allowed = allowedOrigins(window.location.search);
  const parentOrigin = (() => {
    try {
      return document.referrer ? new URL(document.referrer).origin : null;
    } catch {
      return null;
    }
  })();
  // Events go to the allowed parent only; with no allowlist, to whoever embeds us.
  const target =
    allowed === null ? '*' : parentOrigin && allowed.includes(parentOrigin) ? parentOrigin : null;
  const post = (message: Record<string, unknown>) => {
    if (target) window.parent.postMessage({ ...message }, target);
  };
  const fail = (message: string, extra: Record<string, unknown> = {}) =>
    post({ kubewire: 'error', message, ...extra });

  async function run(command: EmbedCommand): Promise<void> {
    const s = useStore.getState();
    switch (command.kubewire) {
      case 'load': {
        if ('yaml' in command) {
          const outcome = await s.runText(
            CUSTOM_ID,
            command.yaml,
            command.step ?? 0,
            'The embedding page’s scenario',
          );
          if (outcome === 'cancelled' || outcome === 'superseded')
            return fail(
              `load: the scenario was not applied: ${outcome} by the viewer or a later load`,
              {
                command: 'load',
              },
            );
          if (outcome === 'refused') {
            const { errors } = useStore.getState();
            return fail(`load: the scenario was not applied: ${errors.length} error(s)`, {
              command: 'load',
              errors: errors.map(({ line, column, message }) => ({ line, column, message })),
            });
          }
        } else {
          if (!s.catalog.some((e) => e.file.replace(/\.ya?ml$/, '') === command.scenario))
            return fail(`load: there is no built-in scenario "${command.scenario}"`, {
              command: 'load',
            });
          await openScenario(command.scenario, command.step?.toString());
        }
        return announceReady();
      }
      case 'goto': {
        const count = s.sim?.steps.length ?? 0;
        if (command.step >= count)
          return fail(`goto: step ${command.step} is past the last step (${count - 1})`, {
            command: 'goto',
          });
        return s.seek(command.step);
      }
      case 'step':
        return command.by === 1 ? s.stepForward() : s.stepBack();
      case 'play':
        return s.play();
      case 'pause':
        return s.pause();
      case 'setPanel':
        s.selectPanel(command.panel);
        s.openTables(true);
        return s.pinPanel(true);
    }
  }

  window.addEventListener('message', (e: MessageEvent) => {
    if (allowed !== null && !allowed.includes(e.origin)) return;
    if (e.source !== window.parent) return;
    const parsed = parseCommand(e.data);
    if (!parsed) return;
    if (!parsed.ok) return fail(parsed.message);
    run(parsed.command).catch((err: unknown) => fail(`${parsed.command.kubewire}: ${String(err)}`));
  });

  const stepEvent = () => {
    const s = useStore.getState();
    const step = s.sim?.steps[s.step];
    post({
      kubewire: 'stepchange',
      scenario: s.scenarioId,
      step: s.step,
      count: s.sim?.steps.length ?? 0,
      headline: step ? narrate(step.facts).headline : '',
      summary: step?.summary ?? '',
    });
  };
  function announceReady(): void {
    const s = useStore.getState();
    post({
      kubewire: 'ready',
      api: EMBED_API_VERSION,
      scenario: s.scenarioId,
      count: s.sim?.steps.length ?? 0,
    });
  }
  let ready = false;
  useStore.subscribe((s, prev) => {
    if (!ready && s.sim) {
      ready = true;
      announceReady();
    }
    if (s.sim && (s.step !== prev.step || s.sim !== prev.sim)) stepEvent();
  });
}

export { LEGACY as LEGACY_EMBED_COMMANDS };
