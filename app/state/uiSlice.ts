/** What the user is looking at: the panel tab, the hovered packet field, the editor, notices. */
import type { SliceCreator } from './store.ts';

export type PanelId =
  | 'neighbors'
  | 'fdb'
  | 'routes'
  | 'ipam'
  | 'bird'
  | 'bpf'
  | 'iptables'
  | 'conntrack'
  | 'sockets'
  | 'services'
  | 'endpointslices'
  | 'ipvs'
  | 'ipsets'
  | 'scaling'
  | 'ingress'
  | 'dns'
  | 'inspector';

/** The IPVS panel's printer: `ipvsadm -Ln`, `-Ln --stats` or `-Lnc`. */
export type IpvsView = 'list' | 'stats' | 'connections';

/** The iptables panel's view: `iptables -L -v -n` or `iptables-save -c`. */
export type IptablesView = 'list' | 'save';

/** A byte range of the current frame under the pointer, and the field it belongs to. */
export interface Hover {
  readonly offset: number;
  readonly length: number;
  /** Path of the field in the layer tree ("1.4.0"), or null when only bytes are hovered. */
  readonly field: string | null;
}

export interface FaultUndo {
  readonly id: string;
  readonly text: string;
  readonly step: number;
  /** The notice that offers it: Undo shows only while that notice does. */
  readonly notice: string;
}

export type ObjectCard =
  { readonly kind: 'node'; readonly node: string } | { readonly kind: 'network' };

export interface CaretRequest {
  readonly line: number;
  readonly column: number;
  readonly nonce: number;
}

export interface UiSlice {
  /** The tab the user picked; the step's table may show instead (see panelPinned). */
  panel: PanelId;
  /** The step the user picked `panel` at: at that step the pick wins over the step's table. */
  panelStep: number;
  /** The user pinned the tab: it stays whatever table a step names. */
  panelPinned: boolean;
  ipvsView: IpvsView;
  hover: Hover | null;
  editorOpen: boolean;
  caret: CaretRequest | null;
  /** A non-blocking message (a bad URL hash, a failed fetch). */
  notice: string | null;
  embed: boolean;
  presenter: boolean;
  /** The table panels' filter on a big cluster (pod, node, IP or MAC); shared by every tab. */
  tableFilter: string;
  /**
   * The iptables table the user picked (nat, filter…) and the step they picked it at: at
   * that step it wins; at a later step whose packet walks another table, the panel follows
   * the packet, and elsewhere it keeps the pick.
   */
  iptablesPick: { readonly table: string; readonly step: number } | null;
  iptablesView: IptablesView;
  /** Embed mode: the tables drawer is open. */
  tablesOpen: boolean;
  /** The scenario as it was before the last fault button, to go back to (the notice's Undo). */
  faultUndo: FaultUndo | null;
  setFaultUndo(undo: FaultUndo | null): void;
  /** The pod whose card (IP, dnsPolicy, /etc/resolv.conf) is open over the topology: "ns/name". */
  podCard: string | null;
  openPodCard(pod: string | null): void;
  /** A node's card, or the node network's (its node pairs and their tunnels); null when none is open. */
  objectCard: ObjectCard | null;
  openObjectCard(card: ObjectCard | null): void;
  openTables(open: boolean): void;
  selectPanel(panel: PanelId): void;
  pinPanel(pinned: boolean): void;
  setIpvsView(view: IpvsView): void;
  setHover(hover: Hover | null): void;
  openEditor(open: boolean): void;
  /** Open the editor with the caret at a diagnostic's position. */
  goToLine(line: number, column: number): void;
  showNotice(message: string | null): void;
  setEmbed(embed: boolean): void;
  setPresenter(presenter: boolean): void;
  setTableFilter(filter: string): void;
  pickIptablesTable(table: string): void;
  setIptablesView(view: IptablesView): void;
}

export const createUiSlice: SliceCreator<UiSlice> = (set, get) => ({
  panel: 'neighbors',
  panelStep: -1,
  panelPinned: false,
  ipvsView: 'list',
  hover: null,
  editorOpen: false,
  caret: null,
  notice: null,
  embed: false,
  presenter: false,
  tableFilter: '',
  iptablesPick: null,
  iptablesView: 'list',
  tablesOpen: false,
  podCard: null,
  faultUndo: null,
  setFaultUndo: (faultUndo) => set({ faultUndo }),
  openPodCard: (podCard) => set(podCard ? { podCard, objectCard: null } : { podCard }),
  objectCard: null,
  openObjectCard: (objectCard) => set(objectCard ? { objectCard, podCard: null } : { objectCard }),
  openTables: (tablesOpen) => set({ tablesOpen }),
  selectPanel: (panel) => set({ panel, panelStep: get().step }),
  pinPanel: (panelPinned) => set({ panelPinned }),
  setIpvsView: (ipvsView) => set({ ipvsView }),
  setHover: (hover) => set({ hover }),
  openEditor: (editorOpen) => set({ editorOpen }),
  goToLine: (line, column) =>
    set({ editorOpen: true, caret: { line, column, nonce: Date.now() + Math.random() } }),
  showNotice: (notice) => set({ notice }),
  setEmbed: (embed) => set({ embed }),
  setPresenter: (presenter) => set({ presenter }),
  setTableFilter: (tableFilter) => set({ tableFilter }),
  pickIptablesTable: (table) => set({ iptablesPick: { table, step: get().step } }),
  setIptablesView: (iptablesView) => set({ iptablesView }),
});
