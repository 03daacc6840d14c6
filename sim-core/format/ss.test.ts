/**
 * [SS1] formatSs prints what iproute2 6.1's `ss -tan` printed into a file
 * for the same sockets (test/fixtures/ss/, captured in a network namespace):
 * column widths from the widest cell, right-aligned addresses, "*" for a
 * listener's peer port, the padded empty Process column.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Netns, Socket } from '../model.ts';
import { formatSs, ssLines } from './ss.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../test/fixtures/ss/ss-tan-${name}.txt`, import.meta.url), 'utf8');

const ns = (sockets: Socket[]): Netns => ({
  id: 'kwt-ss',
  node: 'node-1',
  kind: 'pod',
  ifaces: [],
  routes: [],
  neighbors: [],
  fdb: [],
  sockets,
});

const tcp = (
  state: string,
  local: string,
  peer: string | undefined,
  recvQ: number,
  sendQ: number,
): Socket => {
  const [localAddr, localPort] = local.split(':');
  const [peerAddr, peerPort] = peer ? peer.split(':') : [];
  return {
    protocol: 'tcp',
    state,
    localAddr,
    localPort: Number(localPort),
    ...(peer ? { peerAddr, peerPort: Number(peerPort) } : {}),
    owner: 'app',
    recvQ,
    sendQ,
  };
};

const listener = tcp('LISTEN', '0.0.0.0:8080', undefined, 0, 4096);
const synSent = tcp('SYN-SENT', '10.244.0.3:48978', '10.9.9.9:80', 0, 1);

describe('ss -tan', () => {
  it('[SS1] prints the header alone for a namespace without TCP sockets', () => {
    expect(formatSs(ns([])) + '\n').toBe(fixture('empty'));
  });

  it('[SS1] a listener: Send-Q is the backlog, the peer is 0.0.0.0:*', () => {
    expect(formatSs(ns([listener])) + '\n').toBe(fixture('listen'));
  });

  it('[SS1] ESTAB with unread data, SYN-SENT with its SYN in Send-Q', () => {
    const sockets = [
      listener,
      tcp('ESTAB', '10.244.0.3:8080', '10.244.0.3:44538', 1, 0),
      synSent,
      tcp('ESTAB', '10.244.0.3:44538', '10.244.0.3:8080', 0, 0),
    ];
    expect(formatSs(ns(sockets)) + '\n').toBe(fixture('estab-unread'));
  });

  it('[SS1] CLOSE-WAIT with the FIN unread (Recv-Q 1) widens the State column', () => {
    const sockets = [
      listener,
      tcp('CLOSE-WAIT', '10.244.0.3:8080', '10.244.0.3:44538', 1, 0),
      synSent,
      tcp('FIN-WAIT-2', '10.244.0.3:44538', '10.244.0.3:8080', 0, 0),
    ];
    expect(formatSs(ns(sockets)) + '\n').toBe(fixture('closing'));
  });

  it('[SS1] no peer port longer than "Port": Peer Address:PortProcess closes up', () => {
    const sockets = [
      listener,
      synSent,
      tcp('TIME-WAIT', '10.244.0.3:44538', '10.244.0.3:8080', 0, 0),
    ];
    expect(formatSs(ns(sockets)) + '\n').toBe(fixture('time-wait'));
  });

  it('[SS1] lists listeners first and leaves UDP sockets out', () => {
    const udp: Socket = {
      protocol: 'udp',
      state: 'UNCONN',
      localAddr: '0.0.0.0',
      localPort: 8472,
      owner: 'flannel.1',
    };
    const lines = ssLines(ns([synSent, udp, listener]));
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['State', 'LISTEN', 'SYN-SENT']);
  });
});
