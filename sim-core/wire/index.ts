/**
 * The wire layer: real bytes as Linux emits them (parse/emit per protocol),
 * pcap export and a Wireshark-like decoder. tshark-helper.ts is deliberately
 * not re-exported: it needs node:child_process and is for tests only.
 */
export * from './addr.ts';
export * from './checksum.ts';
export * from './ethernet.ts';
export * from './arp.ts';
export * from './ipv4.ts';
export * from './icmp.ts';
export * from './tcp.ts';
export * from './tcp-options.ts';
export * from './udp.ts';
export * from './vxlan.ts';
export * from './dns.ts';
export { emitDnsCompressed } from './dns-compress.ts';
export * from './pcap.ts';
export { decodeFrame, summarizeFrame } from './describe.ts';
export type { Field, Layer, Protocol } from './layers.ts';
export * from '../net/mac.ts';
