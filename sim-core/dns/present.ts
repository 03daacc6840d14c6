/**
 * Resource records in presentation format (RFC 1035 §5.1), as dig prints
 * them: names fully qualified with the trailing dot, SRV as
 * "priority weight port target.", SOA's seven fields, TXT quoted.
 */
import type { DnsRecord } from '../wire/dns.ts';

export const fq = (n: string) => (n === '.' || n.endsWith('.') ? n : `${n}.`);

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** The RDATA as dig shows it. */
export function rdataText(r: DnsRecord): string {
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return r.data;
    case 'CNAME':
    case 'PTR':
    case 'NS':
    case 'DNAME':
      return fq(r.data);
    case 'SRV':
      return `${r.data.priority ?? 0} ${r.data.weight ?? 0} ${r.data.port ?? 0} ${fq(r.data.target)}`;
    case 'SOA': {
      const d = r.data;
      return `${fq(d.mname)} ${fq(d.rname)} ${d.serial ?? 0} ${d.refresh ?? 0} ${d.retry ?? 0} ${d.expire ?? 0} ${d.minimum ?? 0}`;
    }
    case 'MX':
      return `${r.data.preference ?? 0} ${fq(r.data.exchange)}`;
    case 'TXT': {
      const parts = Array.isArray(r.data) ? r.data : [r.data];
      return parts
        .map((p) => `"${typeof p === 'string' ? p : new TextDecoder().decode(p)}"`)
        .join(' ');
    }
    default: {
      const d = (r as { data: unknown }).data;
      if (d instanceof Uint8Array) return `\\# ${d.length} ${hex(d)}`;
      return JSON.stringify(d);
    }
  }
}
