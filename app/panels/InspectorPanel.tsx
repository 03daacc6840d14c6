/** The packet inspector: the current step's frame as a layer tree above its hex dump. */
import { useMemo } from 'react';
import { useStore } from '../state/store.ts';
import { useCurrentStep } from '../state/selectors.ts';
import { flattenLayers } from './fieldIndex.ts';
import { LayerTree } from './LayerTree.tsx';
import { HexDump } from './HexDump.tsx';

export function InspectorPanel() {
  const step = useCurrentStep();
  const hover = useStore((s) => s.hover);
  const setHover = useStore((s) => s.setHover);
  const flat = useMemo(() => flattenLayers(step?.layers ?? []), [step]);

  if (!step?.frame) {
    return (
      <div className="inspector empty">
        <p className="panel-empty">
          No frame at this step{step ? ` (${step.kind}: ${step.summary})` : ''}. Step to one where a
          packet is on the wire to see its layers and bytes.
        </p>
      </div>
    );
  }
  return (
    <div className="inspector">
      <div className="inspector-summary">
        <span className="mono">{step.summary}</span>
      </div>
      <LayerTree
        layers={step.layers ?? []}
        frameLength={step.frame.length}
        stepIndex={step.index}
        active={hover?.field ?? null}
        onHover={setHover}
      />
      <HexDump frame={step.frame} flat={flat} highlight={hover} onHover={setHover} />
    </div>
  );
}
