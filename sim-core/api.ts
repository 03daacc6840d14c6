/** The one handle sim-core gives the app and the CLI. */
import type { Snapshot, Step } from './model.ts';
import type { Loaded, LoadedScenario } from './scenario/types.ts';
import type { ModeTarget } from './scenario/modes.ts';

export interface Simulation {
  readonly scenario: LoadedScenario;
  /** Every step of the scenario's actions, in order; deterministic for (scenario, seed). */
  readonly steps: readonly Step[];
  /** State before the first step. */
  readonly initial: Snapshot;
  /** State after step `index` (index -1 = initial), O(1). */
  stateAt(index: number): Snapshot;
  /** The trace's frames as a classic pcap file (LINKTYPE_ETHERNET), each frame once, where it was sent. */
  exportPcap(): Uint8Array;
  /** Every capture point's view in one pcapng file: one interface per device, direction flags. */
  exportPcapng(): Uint8Array;
  /** The devices frames were seen on ("node-1/cni0", "node-1/default/pod-a/eth0"), in trace order. */
  capturePoints(): readonly string[];
  /** One device's capture as a classic pcap, like `tcpdump -i DEV -w FILE`. */
  exportCapture(point: string): Uint8Array;
  /**
   * The TLS sessions' secrets as curl's SSLKEYLOGFILE writes them (NSS key
   * log lines), so Wireshark decrypts the trace's HTTPS; '' without HTTPS.
   */
  keylog(): string;
}

export type SimulationResult = Loaded<'sim', Simulation>;

/** How far createSimulation has got: reported every few hundred steps, at each pod started and each action done. */
export interface SimulationProgress {
  /** Steps recorded so far. */
  readonly steps: number;
  /** Scenario actions finished, of actionsTotal. */
  readonly actions: number;
  readonly actionsTotal: number;
  /** Pods started (sandbox, CNI ADD, containers), of podsTotal: the work before the first action. */
  readonly pods: number;
  readonly podsTotal: number;
}

export interface SimulationOptions {
  /** Called as the simulation advances; it only reports, and nothing it does changes the trace. */
  readonly onProgress?: (progress: SimulationProgress) => void;
  /** Simulate the scenario re-targeted to another CNI or kube-proxy mode (compare mode; CMP1). */
  readonly modes?: ModeTarget;
}
