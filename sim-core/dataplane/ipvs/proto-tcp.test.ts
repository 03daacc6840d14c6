/**
 * IPVS's TCP state table (ip_vs_proto_tcp.c tcp_states[], tcp_timeouts[]):
 * a NAT connection's handshake and close as IPVS sees it — SYN in → SYN_RECV,
 * SYN-ACK out stays SYN_RECV, ACK in → ESTABLISHED; the client's FIN in →
 * CLOSE_WAIT, the server's FIN out → TIME_WAIT; an RST → CLOSE.
 */
import { describe, expect, it } from 'vitest';
import { TCP_TIMEOUTS, tcpNextState } from './proto-tcp.ts';

describe('tcp_states', () => {
  it('walks a connection through the kernel table', () => {
    let s = tcpNextState('NONE', 'INPUT', 0x02);
    expect(s).toBe('SYN_RECV');
    s = tcpNextState(s, 'OUTPUT', 0x12);
    expect(s).toBe('SYN_RECV');
    s = tcpNextState(s, 'INPUT', 0x10);
    expect(s).toBe('ESTABLISHED');
    s = tcpNextState(s, 'INPUT', 0x11);
    expect(s).toBe('CLOSE_WAIT');
    s = tcpNextState(s, 'OUTPUT', 0x11);
    expect(s).toBe('TIME_WAIT');
    expect(tcpNextState(s, 'INPUT', 0x10)).toBe('TIME_WAIT');
    expect(tcpNextState('ESTABLISHED', 'INPUT', 0x14)).toBe('CLOSE');
    expect(tcpNextState('ESTABLISHED', 'INPUT', 0)).toBe('CLOSE');
  });

  it('timeouts: ESTABLISHED 900 s, SYN_RECV 60, FIN_WAIT 120, TIME_WAIT 120, CLOSE 10', () => {
    expect([
      TCP_TIMEOUTS.ESTABLISHED,
      TCP_TIMEOUTS.SYN_RECV,
      TCP_TIMEOUTS.FIN_WAIT,
      TCP_TIMEOUTS.TIME_WAIT,
      TCP_TIMEOUTS.CLOSE,
    ]).toEqual([900, 60, 120, 120, 10]);
  });
});
