/**
 * IPv4 addresses as the model keeps them (dotted quads, model.ts `Ip4`),
 * converted to and from the 4 network-order bytes on the wire.
 */
import type { Ip4 } from '../model.ts';

export function isIp4(s: string): boolean {
  const p = s.split('.');
  return p.length === 4 && p.every((x) => /^\d{1,3}$/.test(x) && Number(x) <= 255);
}

export function readIp4(buf: Uint8Array, offset: number): Ip4 {
  if (offset + 4 > buf.length) throw new RangeError(`IPv4 address at ${offset} past end`);
  return `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`;
}

export function writeIp4(buf: Uint8Array, offset: number, ip: Ip4): void {
  if (!isIp4(ip)) throw new Error(`invalid IPv4 address ${JSON.stringify(ip)}`);
  const p = ip.split('.');
  for (let i = 0; i < 4; i++) buf[offset + i] = Number(p[i]);
}

export function ip4ToBytes(ip: Ip4): Uint8Array {
  const b = new Uint8Array(4);
  writeIp4(b, 0, ip);
  return b;
}

/** Big-endian 32-bit value, handy for prefix math. */
export function ip4ToUint(ip: Ip4): number {
  const b = ip4ToBytes(ip);
  return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
}

export function uintToIp4(n: number): Ip4 {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}
