/**
 * MAC-48 addresses (IEEE 802). The model keeps them as lower-case,
 * colon-separated strings ("0a:58:0a:f4:00:02", the form `ip link` prints);
 * the wire layer converts at the byte boundary.
 */
import type { Mac } from '../model.ts';

export const MAC_BROADCAST: Mac = 'ff:ff:ff:ff:ff:ff';
/** ARP requests carry this as the target hardware address (reference same-node frame 1). */
export const MAC_ZERO: Mac = '00:00:00:00:00:00';

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

export function isMac(s: string): s is Mac {
  return MAC_RE.test(s);
}

/** Reads 6 bytes at `offset` as a Mac. */
export function readMac(buf: Uint8Array, offset: number): Mac {
  if (offset + 6 > buf.length) throw new RangeError(`MAC at ${offset} past end (${buf.length})`);
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(buf[offset + i].toString(16).padStart(2, '0'));
  return parts.join(':');
}

/** Writes `mac` as 6 bytes at `offset`. Throws on a malformed string (upper case is accepted). */
export function writeMac(buf: Uint8Array, offset: number, mac: Mac): void {
  const m = mac.toLowerCase();
  if (!isMac(m)) throw new Error(`invalid MAC ${JSON.stringify(mac)}`);
  for (let i = 0; i < 6; i++) buf[offset + i] = parseInt(m.slice(i * 3, i * 3 + 2), 16);
}

export function macToBytes(mac: Mac): Uint8Array {
  const b = new Uint8Array(6);
  writeMac(b, 0, mac);
  return b;
}

/** I/G bit (bit 0 of the first octet): group address, which includes broadcast. */
export function isMulticastMac(mac: Mac): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

/**
 * The MAC the CNI bridge plugin gives a pod: 0a:58 followed by the IPv4
 * address in hex (10.244.0.2 -> 0a:58:0a:f4:00:02; README "Fixed identities").
 */
export function podMacFromIp(ip: string): Mac {
  const o = ip.split('.').map(Number);
  return ['0a', '58', ...o.map((x) => x.toString(16).padStart(2, '0'))].join(':');
}
