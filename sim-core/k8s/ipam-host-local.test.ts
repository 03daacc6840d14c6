import { describe, expect, it } from 'vitest';
import {
  allocate,
  createHostLocal,
  ipamFiles,
  release,
  type HostLocalState,
} from './ipam-host-local.ts';

function take(s: HostLocalState, id: string) {
  const r = allocate(s, id, 'eth0');
  if (!r.ok) throw new Error(r.error);
  return r;
}

describe('host-local IPAM', () => {
  it('[IPAM1] skips the gateway .1 and hands out .2 first, then in order', () => {
    let s = createHostLocal('cbr0', '10.244.0.0/24');
    const a = take(s, 'aaa');
    s = a.state;
    const b = take(s, 'bbb');
    expect([a.ip, b.ip, a.gateway]).toEqual(['10.244.0.2', '10.244.0.3', '10.244.0.1']);
  });

  it('[IPAM2] writes one file per IP with "<id>\\r\\n<ifname>" and last_reserved_ip.0', () => {
    const s = take(createHostLocal('cbr0', '10.244.1.0/24'), 'c0ffee').state;
    const files = ipamFiles(s);
    expect(files.map((f) => f.path)).toEqual([
      '/var/lib/cni/networks/cbr0/10.244.1.2',
      '/var/lib/cni/networks/cbr0/last_reserved_ip.0',
      '/var/lib/cni/networks/cbr0/lock',
    ]);
    expect(files[0].content).toBe('c0ffee\r\neth0');
    expect(files[1].content).toBe('10.244.1.2');
  });

  it('[IPAM3] does not reuse a released IP until the range wraps', () => {
    let s = createHostLocal('cbr0', '10.244.0.0/24');
    s = take(s, 'a').state; // .2
    s = take(s, 'b').state; // .3
    s = release(s, 'a', 'eth0');
    const c = take(s, 'c');
    expect(c.ip).toBe('10.244.0.4');
    expect(ipamFiles(c.state).find((f) => f.path.endsWith('10.244.0.2'))).toBeUndefined();
  });

  it('[IPAM4] wraps around after rangeEnd and finds the freed IPs', () => {
    let s = createHostLocal('cbr0', '10.244.0.0/29'); // .1 gw, .2–.6 usable
    for (const id of ['a', 'b', 'c', 'd', 'e']) s = take(s, id).state;
    expect(s.lastReservedIp).toBe('10.244.0.6');
    s = release(s, 'b', 'eth0'); // frees .3
    const f = take(s, 'f');
    expect(f.ip).toBe('10.244.0.3');
  });

  it("[IPAM5] fails with host-local's own error when the /24 is full", () => {
    let s = createHostLocal('cbr0', '10.244.0.0/24');
    for (let i = 0; i < 253; i++) s = take(s, `c${i}`).state;
    expect(s.lastReservedIp).toBe('10.244.0.254');
    const r = allocate(s, 'one-too-many', 'eth0');
    expect(r).toEqual({
      ok: false,
      error: 'no IP addresses available in range set: 10.244.0.1-10.244.0.254',
    });
  });
});
