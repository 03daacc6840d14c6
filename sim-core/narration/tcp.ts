/**
 * TCP's life as Linux lives it (tcp_v4_connect, tcp_rcv_state_process,
 * tcp_v4_send_reset, the timers) and the programs on its sockets (nc).
 */
import type { Fact } from './facts.ts';
import { narrate } from './narrate.ts';
import type { FactOf, Narrators } from './types.ts';

const bytes = (n: number, text?: string) =>
  `${n} byte${n === 1 ? '' : 's'}${text === undefined ? '' : ` (${JSON.stringify(text)})`}`;

export type TcpFact =
  | FactOf<
      'tcp.connect',
      {
        who: string;
        target: string;
        port: number;
        local: number;
        low: number;
        high: number;
        mss: number;
        wscale: number;
        window: number;
        /** cil_sock4_connect rewrote the destination: what was asked, and the backend. */
        sockLb?: { asked: string; to: string };
      }
    >
  | FactOf<'tcp.no-port', { dst: string; port: number }>
  | FactOf<'tcp.syn-retransmit', { waitedS: number; n: number; linear: number; nextS: number }>
  | FactOf<
      'tcp.timed-out',
      { syns: number; waitedS: number; totalS: number; linear: number; retransmissions: number }
    >
  | FactOf<'tcp.connect-error', { dst: string; reason: string; errno: string; error: string }>
  | FactOf<'tcp.refused'>
  | FactOf<'tcp.rst-no-listener', { who: string; port: number }>
  | FactOf<
      'tcp.rst-no-socket',
      { who: string; mine: string; from: string; waitingFor?: string; ack: boolean }
    >
  | FactOf<'tcp.rst-listener-ack', { who: string; from: string; port: number }>
  | FactOf<'tcp.rst-bad-ack', { who: string; from: string }>
  | FactOf<
      'tcp.syn-ack',
      { who: string; port: number; owner: string; window: number; segSize: number }
    >
  | FactOf<'tcp.syn-ack-again', { from: string }>
  | FactOf<'tcp.request-reset', { who: string; from: string }>
  | FactOf<'tcp.accepted', { who: string; from: string }>
  | FactOf<'tcp.established', { who: string; windowField: number; wscale: number; rcvWnd: number }>
  | FactOf<'tcp.reset-by-peer', { who: string; peer: string }>
  | FactOf<'tcp.challenge-ack', { who: string; me: string }>
  | FactOf<'tcp.dsack', { who: string; len: number; seq: number; end: number }>
  | FactOf<
      'tcp.data-ack',
      { who: string; me: string; len: number; windowField: number; rcvWnd: number }
    >
  | FactOf<'tcp.close-wait', { who: string; peer: string; delackMs: number }>
  | FactOf<'tcp.closing', { who: string; peer: string }>
  | FactOf<'tcp.time-wait', { who: string; peer: string }>
  | FactOf<'tcp.last-ack-closed', { who: string }>
  | FactOf<'tcp.delayed-ack', { me: string; ms: number }>
  | FactOf<'tcp.close', { closer?: Fact; how: 'rst' | 'fin' | 'last-fin'; unread: number }>
  | FactOf<'tcp.time-wait-over', { who: string; peer: string; seconds: number }>
  | FactOf<'tcp.exit', { who: string; owner: string; local: string; peer: string }>
  | FactOf<'tcp.segment', { n: number; of: number; len: number; mss: number; psh: boolean }>
  | FactOf<'nc.write', { len: number; text?: string; target: string }>
  | FactOf<'nc.shutdown', { peer: string }>
  | FactOf<'nc.idle', { seconds: number }>
  | FactOf<'nc.connect-timeout', { seconds: number; syns: number }>
  | FactOf<'app.read', { who: string; owner: string; len: number; local: string }>
  | FactOf<'app.eof', { owner: string }>;

export const tcpNarrators: Narrators<TcpFact> = {
  'tcp.connect': (f) => ({
    headline: f.sockLb
      ? `${f.who} connects to ${f.sockLb.asked}, SYN to ${f.sockLb.to}`
      : `${f.who} connects to ${f.target}:${f.port}: SYN`,
    explanation: `${f.sockLb ? `${f.who} called connect() to ${f.sockLb.asked}; cil_sock4_connect rewrote the address inside the call, so the socket is connected to the backend ${f.sockLb.to} and its SYN leaves already addressed to it — no DNAT anywhere on the path. getpeername() still answers ${f.sockLb.asked}.` : `${f.who} calls connect() to ${f.target}:${f.port}.`} The kernel picks ephemeral port ${f.local} (ip_local_port_range ${f.low}–${f.high}; connect() takes even ports, leaving odd ones to bind()) and sends a SYN: MSS ${f.mss} (MTU less 40 bytes of IP and TCP headers), SACK_PERM, timestamps, NOP, window scale ${f.wscale}, window ${f.window}; SYN-SENT, Send-Q 1 (the SYN).`,
  }),
  'tcp.no-port': (f) => ({
    headline: `connect: Cannot assign requested address`,
    explanation: `Every port of ip_local_port_range is in use toward ${f.dst}:${f.port}, so connect() fails with EADDRNOTAVAIL.`,
  }),
  'tcp.syn-retransmit': (f) => ({
    headline: `No SYN-ACK after ${f.waitedS} s: the SYN is sent again`,
    explanation: `No SYN-ACK ${f.waitedS} s after the last SYN: the retransmission timer sends it again (retransmission ${f.n}; same sequence number and options, a new TSval, IP ID +1). With tcp_syn_linear_timeouts = ${f.linear} the first ${f.linear} waits stay at 1 s, then each doubles; the next is ${f.nextS} s.`,
  }),
  'tcp.timed-out': (f) => ({
    headline: `connect: Connection timed out after ${f.syns} SYNs`,
    explanation: `No answer to ${f.syns} SYNs: ${f.waitedS} s after the last one connect() fails with ETIMEDOUT ("Connection timed out"), ${f.totalS} s after it began — tcp_syn_retries + tcp_syn_linear_timeouts (${f.linear}) = ${f.retransmissions} retransmissions.`,
  }),
  'tcp.connect-error': (f) => ({
    headline: `connect: ${f.error}`,
    explanation: `The SYN to ${f.dst} could not be delivered (${f.reason}), so connect() fails with ${f.errno} ("${f.error}"): an error for a SYN-SENT socket ends the attempt at once (tcp_v4_err).`,
  }),
  'tcp.refused': () => ({
    headline: 'connect: Connection refused',
    explanation: `The RST ends the attempt: connect() fails with ECONNREFUSED and the program prints "Connection refused".`,
  }),
  'tcp.rst-no-listener': (f) => ({
    headline: `Nothing listens on port ${f.port}: the kernel answers RST`,
    explanation: `Nothing in ${f.who} listens on TCP port ${f.port}, so its kernel answers the SYN with RST,ACK (IP ID 0).`,
  }),
  'tcp.rst-no-socket': (f) => ({
    headline: `No socket for ${f.mine} ↔ ${f.from}: RST`,
    explanation:
      `No socket in ${f.who} has the 4-tuple ${f.mine} ↔ ${f.from}.` +
      (f.waitingFor
        ? ` ${f.who}'s connect() from ${f.mine} waits for an answer from ${f.waitingFor}, not from ${f.from}: a reply that skipped the reverse NAT (conntrack never saw it) matches no socket.`
        : '') +
      ` The kernel answers with RST (tcp_v4_send_reset): ${f.ack ? "seq = the segment's ack, no ACK flag" : 'RST,ACK acknowledging the segment'}, window 0, no options, IP ID 0.` +
      (f.waitingFor ? ' The connect() keeps waiting and retransmits its SYN.' : ''),
  }),
  'tcp.rst-listener-ack': (f) => ({
    headline: `A listener takes only SYNs: RST for ${f.from}`,
    explanation: `${f.who} has no connection with ${f.from}, only a listener on port ${f.port}, and a listener takes nothing but SYNs: the kernel answers the ACK with RST (seq = its ack, IP ID 0).`,
  }),
  'tcp.rst-bad-ack': (f) => ({
    headline: `The ACK does not fit the SYN-ACK: RST`,
    explanation: `The ACK from ${f.from} does not acknowledge ${f.who}'s SYN-ACK: the kernel answers with RST.`,
  }),
  'tcp.syn-ack': (f) => ({
    headline: `${f.who} answers the SYN with SYN-ACK`,
    explanation: `${f.who} has a listener on port ${f.port} (container "${f.owner}"): the kernel keeps a request socket (SYN-RECV) and answers SYN-ACK from it — IP ID 0, window ${f.window} (65535 rounded down to whole segments of ${f.segSize} bytes: the MSS less 12 for timestamps), same option order.`,
  }),
  'tcp.syn-ack-again': (f) => ({
    headline: `The SYN came again: SYN-ACK again`,
    explanation: `${f.from} sent its SYN again (our SYN-ACK did not reach it, or it did not take it): the request socket sends its SYN-ACK again (inet_rtx_syn_ack) — same ISN, IP ID 0.`,
  }),
  'tcp.request-reset': (f) => ({
    headline: `RST from ${f.from}: the half-open request is dropped`,
    explanation: `The RST from ${f.from} answers ${f.who}'s SYN-ACK: the kernel drops the request socket; no connection is made.`,
  }),
  'tcp.accepted': (f) => ({
    headline: `Handshake complete: ${f.who} accepts the connection`,
    explanation: `The ACK completes the three-way handshake: ${f.who}'s connection from ${f.from} is ESTABLISHED (the request socket becomes a full socket, with a random IP ID base of its own) and accept() hands it to the listening program.`,
  }),
  'tcp.established': (f) => ({
    headline: `${f.who} is ESTABLISHED and sends the final ACK`,
    explanation: `${f.who} gets the SYN-ACK: connect() returns, the connection is ESTABLISHED, and the kernel sends the final ACK (window field ${f.windowField} × 2^${f.wscale}: the ${f.rcvWnd} offered in the SYN rounded up to the scale unit; options NOP, NOP, TS; IP ID +1).`,
  }),
  'tcp.reset-by-peer': (f) => ({
    headline: `Connection reset by peer`,
    explanation: `${f.peer} reset the connection: ${f.who}'s socket is closed at once (tcp_reset), and a program still using it gets ECONNRESET ("Connection reset by peer").`,
  }),
  'tcp.challenge-ack': (f) => ({
    headline: `A duplicate SYN-ACK gets a challenge ACK`,
    explanation: `${f.who} gets a SYN on ${f.me}, which is already synchronized (a duplicate SYN-ACK): the kernel answers with a challenge ACK of what it has (RFC 5961 §4, tcp_send_challenge_ack) and drops the segment.`,
  }),
  'tcp.dsack': (f) => ({
    headline: `A duplicate segment: ACK with a D-SACK block`,
    explanation: `${f.who} already has ${f.len ? `these ${f.len} bytes` : 'this FIN'} (sequence ${f.seq}–${f.end} is before rcv_nxt): a duplicate. The kernel ACKs at once with a D-SACK block reporting it (RFC 2883; tcp_dsack_set) and drops the copy.`,
  }),
  'tcp.data-ack': (f) => ({
    headline: `${f.who} receives ${bytes(f.len)} and ACKs at once`,
    explanation: `${f.who}'s kernel takes the ${bytes(f.len)} into ${f.me}'s receive queue (Recv-Q ${f.len} until the program reads) and ACKs at once: a new connection is in quick-ack mode. Window field ${f.windowField}: the ${f.rcvWnd} it offered in the handshake, rounded up to the 1024-byte scale unit.`,
  }),
  'tcp.close-wait': (f) => ({
    headline: `FIN received: ${f.who}'s socket goes to CLOSE-WAIT`,
    explanation: `${f.peer} has finished sending (FIN): ${f.who}'s socket goes to CLOSE-WAIT and the FIN waits in the receive queue (Recv-Q 1) for the program to read the end of the stream. The kernel delays its ACK (tcp_fin enters pingpong mode, up to ${f.delackMs} ms) in the hope of sending it with the program's own FIN.`,
  }),
  'tcp.closing': (f) => ({
    headline: `Both ends close at once: CLOSING`,
    explanation: `${f.peer}'s FIN crossed ${f.who}'s own, which is not acknowledged yet: both ends are closing at once (CLOSING), and the kernel ACKs the FIN.`,
  }),
  'tcp.time-wait': (f) => ({
    headline: `${f.who} ACKs the FIN and waits in TIME-WAIT`,
    explanation: `${f.peer} closes too (FIN; its ACK covers ${f.who}'s FIN): the kernel ACKs the FIN at once and, having closed first, keeps the 4-tuple in TIME-WAIT for 60 s (TCP_TIMEWAIT_LEN) so a late segment of this connection cannot be taken for a new one.`,
  }),
  'tcp.last-ack-closed': (f) => ({
    headline: `The last ACK arrives: ${f.who}'s socket is closed`,
    explanation: `The ACK of its FIN ends the connection on ${f.who}'s side: LAST-ACK → CLOSED, and the socket is gone. It was the passive closer, so it has no TIME-WAIT to serve.`,
  }),
  'tcp.delayed-ack': (f) => ({
    headline: `The delayed-ACK timer sends the ACK`,
    explanation: `${f.ms} ms passed and ${f.me} had nothing to send: the delayed-ACK timer sends the ACK on its own.`,
  }),
  'tcp.close': (f) => {
    const lead = f.closer ? `${narrate(f.closer).explanation} ` : '';
    if (f.how === 'rst')
      return {
        headline: `Closed with ${bytes(f.unread)} unread: RST,ACK`,
        explanation: `${lead}It had ${bytes(f.unread)} left unread, so the kernel sends RST,ACK instead of a FIN (RFC 2525 §2.17) and the socket is gone.`,
      };
    return {
      headline: f.closer ? narrate(f.closer).headline : 'The socket is closed: FIN,ACK',
      explanation:
        lead +
        (f.how === 'fin'
          ? 'The kernel sends FIN,ACK and waits in FIN-WAIT-1 for its ACK.'
          : "The kernel sends its own FIN (LAST-ACK until it is acknowledged); the ACK of the peer's FIN, delayed until now, rides on it: FIN,ACK."),
    };
  },
  'tcp.time-wait-over': (f) => ({
    headline: `TIME-WAIT is over: the 4-tuple is free again`,
    explanation: `${f.seconds} s (TCP_TIMEWAIT_LEN) after the last ACK, ${f.who}'s TIME-WAIT socket for ${f.peer} is gone: a late duplicate of the old connection can no longer be taken for a new one, and the 4-tuple is free again.`,
  }),
  'tcp.exit': (f) => ({
    headline: `Container ${f.owner} exits: its sockets are closed`,
    explanation: `Container "${f.owner}" of ${f.who} exits: the kernel closes every socket its process held, ${f.local} ↔ ${f.peer} among them.`,
  }),
  'tcp.segment': (f) => ({
    headline: `Segment ${f.n} of ${f.of} of one write: ${bytes(f.len)}${f.psh ? ', PSH' : ''}`,
    explanation: `The program wrote more than one segment holds, so the kernel cut the write into segments of ${f.mss} bytes (the MSS both ends agreed in the handshake, less 12 bytes for the timestamps option). This is segment ${f.n} of ${f.of}, ${bytes(f.len)}${f.psh ? '; PSH marks the end of what was written' : ', no PSH: more of the same write follows'}. (On a real node, GSO/TSO lets such a write cross veth and the bridge as one large segment that a physical NIC cuts up; Kubewire shows the segments as the wire carries them.)`,
  }),
  'nc.write': (f) => ({
    headline: `nc writes ${bytes(f.len)}: PSH,ACK`,
    explanation: `connect() returned, so nc writes its ${bytes(f.len, f.text)} to the socket: the kernel sends it at once in one segment, PSH,ACK (PSH: the end of what was written), Seq right after the SYN's; it stays in Send-Q until ${f.target} acknowledges it. NOP, NOP, TS; IP ID +1.`,
  }),
  'nc.shutdown': (f) => ({
    headline: `nc shuts down its sending side: FIN,ACK`,
    explanation: `nc's stdin is at its end, so with -N it calls shutdown(SHUT_WR): the kernel sends FIN,ACK (FIN-WAIT-1; the FIN takes one sequence number) and nc goes on reading until ${f.peer} closes too.`,
  }),
  'nc.idle': (f) => ({
    headline: `nc gives up after ${f.seconds} s idle and closes`,
    explanation: `Nothing has happened on the connection for ${f.seconds} s (nc -w ${f.seconds}), so nc exits and its socket is closed.`,
  }),
  'nc.connect-timeout': (f) => ({
    headline: `nc -w ${f.seconds}: the connect timed out`,
    explanation: `connect() is still waiting after ${f.seconds} s (nc -w ${f.seconds}), so nc gives up and closes its SYN-SENT socket. Closing a socket that never connected sends nothing — no RST, no FIN (reference 4b) — and nc exits with status 1${f.syns > 1 ? ` after ${f.syns} SYNs` : ''}.`,
  }),
  'app.read': (f) => ({
    headline: `${f.owner} reads ${bytes(f.len)}`,
    explanation: `The program in container "${f.owner}" of ${f.who} wakes up and read()s ${bytes(f.len)} from ${f.local}: Recv-Q back to 0.`,
  }),
  'app.eof': (f) => ({
    headline: `${f.owner} reads the end of the stream and closes`,
    explanation: `The program in container "${f.owner}" read()s the end of the stream (the peer's FIN) and closes its socket.`,
  }),
};
