/**
 * `?embed=1`: what fits a documentation page's iframe (800×500, 600×400)
 * without a scrollbar: the picture, the step's one-line headline as a
 * caption, and one compact row of controls. The tables open as a drawer over
 * the picture; "Open in Kubewire" opens the full app at the same step.
 */
import type { ReactNode } from 'react';
import { narrate } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { useCurrentStep, selectStepCount } from '../state/selectors.ts';
import { formatHash } from '../state/urlHash.ts';
import { Transport } from '../timeline/Controls.tsx';
import { Scrubber } from '../timeline/Scrubber.tsx';
import { Icon } from './Icon.tsx';

/** The full app's address for what the embed shows (the same build, without ?embed). */
function fullAppHref(scenarioId: string | null, step: number): string {
  const url = new URL(window.location.href);
  url.searchParams.delete('embed');
  url.searchParams.delete('origin');
  url.hash = scenarioId ? formatHash(scenarioId, step) : '';
  return url.href;
}

function Caption() {
  const step = useCurrentStep();
  const index = useStore((s) => s.step);
  const count = useStore(selectStepCount);
  const title = useStore((s) => s.sim?.scenario.scenario.title);
  const headline = step ? narrate(step.facts).headline : '';
  return (
    <p className="embed-caption">
      <output className="embed-count" aria-label="Current step">
        <strong>{count ? index : '–'}</strong>/{Math.max(0, count - 1)}
      </output>
      <span className="embed-headline" title={headline} aria-live="polite" data-testid="headline">
        {headline || title}
      </span>
    </p>
  );
}

export function EmbedView({
  topology,
  tables,
}: {
  readonly topology: ReactNode;
  readonly tables: ReactNode;
}) {
  const drawer = useStore((s) => s.tablesOpen);
  const setDrawer = useStore((s) => s.openTables);
  const scenarioId = useStore((s) => s.scenarioId);
  const step = useStore((s) => s.step);
  return (
    <main className="embed-main">
      <div className="topology-frame">{topology}</div>
      <Caption />
      <div className="embed-bar">
        <Transport />
        <div className="embed-scrub">
          <Scrubber />
        </div>
        <button
          type="button"
          className="embed-tables"
          aria-expanded={drawer}
          aria-controls="embed-drawer"
          onClick={() => setDrawer(!drawer)}
        >
          <Icon name="table" size={16} /> Tables
        </button>
        <a
          className="embed-open"
          href={fullAppHref(scenarioId, step)}
          target="_blank"
          rel="noopener"
          title="Open this step in the full Kubewire app"
        >
          Open in Kubewire <span aria-hidden="true">↗</span>
        </a>
      </div>
      {drawer && (
        <aside id="embed-drawer" className="embed-drawer" aria-label="Tables">
          <button
            type="button"
            className="icon-button embed-drawer-close"
            aria-label="Close tables"
            onClick={() => setDrawer(false)}
          >
            <Icon name="close" size={18} />
          </button>
          {tables}
        </aside>
      )}
    </main>
  );
}
