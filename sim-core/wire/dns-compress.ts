/**
 * DNS name compression (RFC 1035 §4.1.4) as miekg/dns packs a message when
 * it does not fit uncompressed (Msg.Truncate sets Compress): every name
 * suffix written before offset 0x3fff is remembered; the question, owner
 * names and the names inside CNAME, NS, PTR, SOA and MX point back to the
 * longest suffix already written. SRV targets are never compressed (RFC
 * 2782) but their suffixes are remembered for later names.
 * dns-packet cannot compress, so this writer does it for those types and
 * takes the RDATA of any other type from dns-packet unchanged.
 */
import * as dnsPacket from '@leichtgewicht/dns-packet';
import { toType } from '@leichtgewicht/dns-packet/types.js';
import { toClass } from '@leichtgewicht/dns-packet/classes.js';
import type { DnsMessage, DnsRecord } from './dns.ts';
import { dnsFlagsWord } from './dns.ts';

class Writer {
  buf = new Uint8Array(512);
  off = 0;
  readonly names = new Map<string, number>();

  private room(n: number): void {
    if (this.off + n <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.off + n));
    b.set(this.buf);
    this.buf = b;
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.off++] = v & 0xff;
  }
  u16(v: number): void {
    this.u8(v >> 8);
    this.u8(v);
  }
  u32(v: number): void {
    this.u16((v >>> 16) & 0xffff);
    this.u16(v & 0xffff);
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.off);
    this.off += b.length;
  }
  name(n: string, compress: boolean): void {
    const s = n === '.' ? '' : n.replace(/\.$/, '');
    const labels = s === '' ? [] : s.split('.');
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.');
      const at = this.names.get(suffix);
      if (at !== undefined) {
        if (compress) {
          this.u16(0xc000 | at);
          return;
        }
      } else if (this.off < 0x3fff) this.names.set(suffix, this.off);
      const bytes = new TextEncoder().encode(labels[i]);
      this.u8(bytes.length);
      this.bytes(bytes);
    }
    this.u8(0);
  }
}

function rdata(w: Writer, r: DnsRecord): void {
  const lenAt = w.off;
  w.u16(0);
  const start = w.off;
  switch (r.type) {
    case 'CNAME':
    case 'PTR':
    case 'NS':
      w.name(r.data, true);
      break;
    case 'SOA':
      w.name(r.data.mname, true);
      w.name(r.data.rname, true);
      for (const v of [r.data.serial, r.data.refresh, r.data.retry, r.data.expire, r.data.minimum])
        w.u32(v ?? 0);
      break;
    case 'MX':
      w.u16(r.data.preference ?? 0);
      w.name(r.data.exchange, true);
      break;
    case 'SRV':
      w.u16(r.data.priority ?? 0);
      w.u16(r.data.weight ?? 0);
      w.u16(r.data.port ?? 0);
      w.name(r.data.target, false);
      break;
    default: {
      // The RR alone, uncompressed, from dns-packet; its RDATA follows name(1 byte: root) + 10.
      const one = dnsPacket.answer.encode({ ...r, name: '.' } as dnsPacket.Answer);
      w.bytes(one.subarray(11));
    }
  }
  const len = w.off - start;
  w.buf[lenAt] = len >> 8;
  w.buf[lenAt + 1] = len & 0xff;
}

/** The message with compressed names, as miekg/dns writes it with Compress set; OPT last. */
export function emitDnsCompressed(m: DnsMessage): Uint8Array {
  const w = new Writer();
  w.u16(m.id);
  w.u16(dnsFlagsWord(m));
  w.u16(m.questions.length);
  w.u16(m.answers.length);
  w.u16(m.authorities.length);
  w.u16(m.additionals.length + (m.opt ? 1 : 0));
  for (const q of m.questions) {
    w.name(q.name, true);
    w.u16(toType(q.type as dnsPacket.RecordType));
    w.u16(toClass(q.class as dnsPacket.RecordClass));
  }
  for (const r of [...m.answers, ...m.authorities, ...m.additionals]) {
    w.name(r.name, true);
    w.u16(toType(r.type as dnsPacket.RecordType));
    w.u16(toClass((r.class ?? 'IN') as dnsPacket.RecordClass));
    w.u32(r.ttl ?? 0);
    rdata(w, r);
  }
  if (m.opt) {
    w.u8(0);
    w.u16(41);
    w.u16(m.opt.udpPayloadSize);
    w.u8(m.rcode >> 4);
    w.u8(m.opt.version);
    w.u16(m.opt.flags);
    w.u16(m.opt.options.reduce((n, o) => n + 4 + o.data.length, 0));
    for (const o of m.opt.options) {
      w.u16(o.code);
      w.u16(o.data.length);
      w.bytes(o.data);
    }
  }
  return w.buf.slice(0, w.off);
}
