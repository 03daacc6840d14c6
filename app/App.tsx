/** The page: topology, timeline and step list on the left; narration and tables on the right. */
import type { ReactNode } from 'react';
import { useStore } from './state/store.ts';
import { usePlayback } from './state/usePlayback.ts';
import { useKeyboard } from './timeline/useKeyboard.ts';
import { Header } from './ui/Header.tsx';
import { NoticeBar } from './ui/NoticeBar.tsx';
import { WarningsNotice } from './ui/WarningsNotice.tsx';
import { ErrorBanner } from './ui/ErrorBanner.tsx';
import { EditorPanel } from './ui/EditorPanel.tsx';
import { ErrorBoundary } from './ui/ErrorBoundary.tsx';
import { Narration } from './timeline/Narration.tsx';
import { PlaybackOptions, Transport } from './timeline/Controls.tsx';
import { Scrubber } from './timeline/Scrubber.tsx';
import { StepList } from './timeline/StepList.tsx';
import { TopologyView } from './topology/TopologyView.tsx';
import { PanelTabs } from './panels/PanelTabs.tsx';
import { PresenterView } from './ui/PresenterView.tsx';
import { EmbedView } from './ui/EmbedView.tsx';
import { SimProgress } from './ui/SimProgress.tsx';
import { ChallengeCard } from './challenge/ChallengeCard.tsx';
import { useChallenge } from './challenge/store.ts';
import { useCompare } from './compare/store.ts';
import { CompareView } from './compare/CompareView.tsx';

/**
 * An error boundary that retries at every step (and new simulation). Only it
 * subscribes to the step: its children re-render for their own reasons.
 */
function StepBoundary({ region, children }: { region: string; children: ReactNode }) {
  const step = useStore((s) => s.step);
  const sim = useStore((s) => s.sim);
  return (
    <ErrorBoundary region={region} resetKey={`${step} ${sim ? 'sim' : ''}`}>
      {children}
    </ErrorBoundary>
  );
}

export function App() {
  const embed = useStore((s) => s.embed);
  const presenter = useStore((s) => s.presenter);
  const sim = useStore((s) => s.sim);
  const challenge = useChallenge((s) => s.on);
  // The picture, in whichever layout shows it (embed, presenter or the full page).
  const topology = (
    <StepBoundary region="topology">
      <TopologyView />
    </StepBoundary>
  );
  // Compare mode takes the stage for two panes; presenter mode and the embed show one view.
  const comparing = useCompare((s) => s.target !== null) && !embed && !presenter;
  usePlayback();
  useKeyboard();
  return (
    <div className={`app${embed ? ' embed' : ''}${presenter ? ' presenter' : ''}`}>
      {!embed && !presenter && <Header />}
      <NoticeBar />
      {!embed && <WarningsNotice />}
      <ErrorBanner />
      {embed ? (
        <EmbedView
          topology={topology}
          tables={
            <StepBoundary region="tables">
              <PanelTabs />
            </StepBoundary>
          }
        />
      ) : presenter ? (
        <PresenterView
          topology={topology}
          tables={
            <StepBoundary region="tables">
              {challenge ? <ChallengeCard /> : <PanelTabs />}
            </StepBoundary>
          }
        />
      ) : (
        <main className={`workspace${comparing ? ' comparing' : ''}`}>
          <div className="stage">
            {comparing ? (
              <ErrorBoundary region="comparison" resetKey={sim}>
                <CompareView />
              </ErrorBoundary>
            ) : (
              <div className="topology-frame">
                {topology}
                <SimProgress over />
              </div>
            )}
            <div className="timeline">
              <Transport />
              <Scrubber />
              <PlaybackOptions />
            </div>
            {!embed && !presenter && (
              <ErrorBoundary region="step list" resetKey={sim}>
                <StepList />
              </ErrorBoundary>
            )}
          </div>
          <div className="side">
            <StepBoundary region="narration">
              {challenge ? <ChallengeCard /> : <Narration />}
            </StepBoundary>
            <StepBoundary region="tables">
              <PanelTabs />
            </StepBoundary>
            {!embed && <EditorPanel />}
          </div>
        </main>
      )}
    </div>
  );
}
