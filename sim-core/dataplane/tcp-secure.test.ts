/**
 * [TCP13] ISN and TS offset from the 4-tuple's keyed hash (secure_tcp_seq,
 * secure_tcp_ts_off), against reference 4b: the endpoint answered three SYNs
 * of one 4-tuple (10.244.0.2:8080 → 10.244.0.4:36214) with three SYN-ACKs.
 */
import { describe, expect, it } from 'vitest';
import { fixtureFields } from '../test/fixtures/index.ts';
import { ISN_TICKS_PER_US, portOffset, secureSeq, secureTsOff } from './tcp-secure.ts';

const synAcks = fixtureFields('clusterip/clusterip-no-brnf-client')
  .filter((r) => r['tcp.flags'] === '0x0012')
  .map((r) => ({
    us: Math.round(Number(r['frame.time_relative']) * 1e6),
    isn: Number(r['tcp.seq_raw']),
    tsval: Number(r['tcp.options.timestamp.tsval']),
  }));

const tuple = ['10.244.0.2', '10.244.0.4', 8080, 36214] as const;

describe('secure sequence numbers and timestamp offsets', () => {
  it('[TCP13] the ISN clock ticks every 64 ns: the reference SYN-ACKs are 15.625 M apart per second', () => {
    expect(synAcks).toHaveLength(3);
    const key = 0x1234abcd;
    for (let i = 1; i < synAcks.length; i++) {
      const ours =
        (secureSeq(key, ...tuple, synAcks[i].us) - secureSeq(key, ...tuple, synAcks[i - 1].us)) >>>
        0;
      const theirs = (synAcks[i].isn - synAcks[i - 1].isn) >>> 0;
      // The capture timestamps are a few µs off the moment the kernel took the clock.
      expect(Math.abs(ours - theirs)).toBeLessThan(10 * ISN_TICKS_PER_US);
    }
  });

  it('[TCP13] one TS offset per 4-tuple: the reference SYN-ACKs’ TSvals differ by the elapsed ms', () => {
    for (let i = 1; i < synAcks.length; i++) {
      const ms = (synAcks[i].us - synAcks[i - 1].us) / 1000;
      expect(Math.abs(synAcks[i].tsval - synAcks[i - 1].tsval - ms)).toBeLessThan(1);
    }
    const key = 99;
    expect(secureTsOff(key, ...tuple)).toBe(secureTsOff(key, ...tuple));
    expect(secureTsOff(key, '10.244.0.2', '10.244.0.4', 8080, 36216)).not.toBe(
      secureTsOff(key, ...tuple),
    );
    expect(secureTsOff(key + 1, ...tuple)).not.toBe(secureTsOff(key, ...tuple));
  });

  it('[TCP13] the port offset depends on the addresses and destination port, not on the source port', () => {
    const a = portOffset(7, '10.244.0.4', '10.96.0.50', 80);
    expect(portOffset(7, '10.244.0.4', '10.96.0.50', 80)).toEqual(a);
    expect(portOffset(7, '10.244.0.4', '10.96.0.50', 443)).not.toEqual(a);
  });
});
