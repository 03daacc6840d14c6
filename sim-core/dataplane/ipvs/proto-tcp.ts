/**
 * IPVS's own TCP state machine (net/netfilter/ipvs/ip_vs_proto_tcp.c):
 * tcp_states[] — next state by direction (INPUT = client → real server,
 * OUTPUT = real server → client, INPUT_ONLY for DR/TUN connections that
 * never see replies), by the packet's flag (RST, else SYN, else FIN, else
 * ACK; none of them: CLOSE) and by the current state; and tcp_timeouts[],
 * the seconds a connection lives in each state. UDP has one state, "UDP",
 * for 300 s (ip_vs_proto_udp.c udp_timeouts).
 */

export type IpvsTcpState =
  | 'NONE'
  | 'ESTABLISHED'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'FIN_WAIT'
  | 'TIME_WAIT'
  | 'CLOSE'
  | 'CLOSE_WAIT'
  | 'LAST_ACK'
  | 'LISTEN'
  | 'SYNACK';

export type IpvsDir = 'INPUT' | 'OUTPUT' | 'INPUT_ONLY';

/** tcp_timeouts[] in seconds (the defaults of `ipvsadm --set` are 900 120 300). */
export const TCP_TIMEOUTS: Readonly<Record<IpvsTcpState, number>> = {
  NONE: 2,
  ESTABLISHED: 15 * 60,
  SYN_SENT: 2 * 60,
  SYN_RECV: 60,
  FIN_WAIT: 2 * 60,
  TIME_WAIT: 2 * 60,
  CLOSE: 10,
  CLOSE_WAIT: 60,
  LAST_ACK: 30,
  LISTEN: 2 * 60,
  SYNACK: 120,
};

/** udp_timeouts[IP_VS_UDP_S_NORMAL]. */
export const UDP_TIMEOUT = 5 * 60;

/** The columns of tcp_states[]: sNO, sES, sSS, sSR, sFW, sTW, sCL, sCW, sLA, sLI, sSA. */
const COLUMNS: readonly IpvsTcpState[] = [
  'NONE',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'SYNACK',
];

type Row = readonly IpvsTcpState[];
const r = (s: string): Row =>
  s
    .split(/\s+/)
    .map(
      (x) => COLUMNS[['NO', 'ES', 'SS', 'SR', 'FW', 'TW', 'CL', 'CW', 'LA', 'LI', 'SA'].indexOf(x)],
    );

/** tcp_states[]: per direction, rows syn, fin, ack, rst (the kernel's table, column for column). */
const TABLE: Readonly<Record<IpvsDir, { syn: Row; fin: Row; ack: Row; rst: Row }>> = {
  INPUT: {
    syn: r('SR ES ES SR SR SR SR SR SR SR SR'),
    fin: r('CL CW SS TW TW TW CL CW LA LI TW'),
    ack: r('ES ES SS ES FW TW CL CW CL LI ES'),
    rst: r('CL CL CL SR CL CL CL CL LA LI SR'),
  },
  OUTPUT: {
    syn: r('SS ES SS SR SS SS SS SS SS LI SR'),
    fin: r('TW FW SS TW FW TW CL TW LA LI TW'),
    ack: r('ES ES SS ES FW TW CL CW LA ES ES'),
    rst: r('CL CL SS CL CL TW CL CL CL CL CL'),
  },
  INPUT_ONLY: {
    syn: r('SR ES ES SR SR SR SR SR SR SR SR'),
    fin: r('CL FW SS TW FW TW CL CW LA LI TW'),
    ack: r('ES ES SS ES FW TW CL CW CL LI ES'),
    rst: r('CL CL CL SR CL CL CL CL LA LI CL'),
  },
};

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

/** set_tcp_state's next state: tcp_state_idx picks RST, then SYN, then FIN, then ACK. */
export function tcpNextState(state: IpvsTcpState, dir: IpvsDir, flags: number): IpvsTcpState {
  const rows = TABLE[dir];
  const row =
    flags & RST
      ? rows.rst
      : flags & SYN
        ? rows.syn
        : flags & FIN
          ? rows.fin
          : flags & ACK
            ? rows.ack
            : undefined;
  if (!row) return 'CLOSE';
  return row[COLUMNS.indexOf(state)];
}
