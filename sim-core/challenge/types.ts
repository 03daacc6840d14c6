/**
 * Challenge mode's questions ("predict the next hop", after Packet Tracer's
 * Challenge mode): at a decision point of the trace the student picks where
 * the packet goes next and which table row decided it, before the step shows it.
 */

/** The table a reason row comes from, as the command that prints it. */
export type ReasonTable = 'route' | 'fdb' | 'neighbor' | 'iptables' | 'conntrack' | 'socket';

/** The command that lists each reason table, for labels ("ip route", "bridge fdb show"). */
export const REASON_COMMANDS: Readonly<Record<ReasonTable, string>> = {
  route: 'ip route',
  fdb: 'bridge fdb show',
  neighbor: 'ip neigh',
  iptables: 'iptables-save -t nat',
  conntrack: 'conntrack -L',
  socket: 'ss -uan',
};

/** One row of a table, as its command prints it. */
export interface ReasonRow {
  readonly table: ReasonTable;
  /** Where the table lives: a netns id ("node-1", "@network"). */
  readonly netns: string;
  readonly row: string;
}

/** What decides at the hop. */
export type QuestionKind = 'route' | 'bridge' | 'encap' | 'decap' | 'nat' | 'deliver' | 'drop';

export interface Question {
  /** The step that reveals the answer: the timeline stops at the step before it. */
  readonly step: number;
  readonly kind: QuestionKind;
  /** The namespace that takes the decision. */
  readonly netns: string;
  /** "node-1 has the packet on cni0: where does it go next?" */
  readonly prompt: string;
  /** Where the packet can go next ("flannel.1 of node-1", "dropped"); `device` is the right one. */
  readonly devices: readonly string[];
  readonly device: number;
  /** Rows that could have decided it; `reason` is the row that did. */
  readonly reasons: readonly ReasonRow[];
  readonly reason: number;
  /** After the answer: what happened and the deciding row, in one or two sentences. */
  readonly why: string;
}
