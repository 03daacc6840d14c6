/**
 * --sport/--dport ranges shared by the tcp, udp and sctp matches
 * (parse_tcp_ports, print_ports and tcp_save in libxt_tcp.c; libxt_udp.c and
 * libxt_sctp.c are copies). "80:" is 80-65535, ":80" is 0-80, and a range
 * covering every port is not printed at all.
 */
import type { PortRange } from './rule.ts';
import { portToService } from './protocols.ts';
import { parsePort } from './values.ts';

export const ANY_PORT: PortRange = { min: 0, max: 65535, invert: false };

export function parsePortRange(text: string, invert: boolean): PortRange | string {
  const colon = text.indexOf(':');
  const bad = (p: string): string => `invalid port/service \`${p}' specified`;
  if (colon < 0) {
    const p = parsePort(text);
    return p === undefined ? bad(text) : { min: p, max: p, invert };
  }
  const lo = text.slice(0, colon);
  const hi = text.slice(colon + 1);
  const min = lo === '' ? 0 : parsePort(lo);
  const max = hi === '' ? 65535 : parsePort(hi);
  if (min === undefined) return bad(lo);
  if (max === undefined) return bad(hi);
  if (min > max) return 'invalid portrange (min > max)';
  return { min, max, invert };
}

export function isAnyPort(r: PortRange): boolean {
  return r.min === 0 && r.max === 65535 && !r.invert;
}

export function portInRange(r: PortRange, port: number | undefined): boolean {
  const p = port ?? 0;
  return (p >= r.min && p <= r.max) !== r.invert;
}

function portName(port: number, numeric: boolean): string {
  return (numeric ? undefined : portToService(port)) ?? String(port);
}

/** " dpt:80", " spts:53:60", " dpts:!1000:2000" (print_ports). */
export function listPorts(name: 'spt' | 'dpt', r: PortRange, numeric: boolean): string {
  if (r.min === 0 && r.max === 65535 && !r.invert) return '';
  const inv = r.invert ? '!' : '';
  if (r.min === r.max) return ` ${name}:${inv}${portName(r.min, numeric)}`;
  return ` ${name}s:${inv}${portName(r.min, numeric)}:${portName(r.max, numeric)}`;
}

/** " --dport 80", " ! --sport 53:60". An inverted full range is dropped, as tcp_save does. */
export function savePorts(opt: 'sport' | 'dport', r: PortRange): string {
  if (r.min === 0 && r.max === 65535) return '';
  const range = r.min === r.max ? `${r.min}` : `${r.min}:${r.max}`;
  return `${r.invert ? ' !' : ''} --${opt} ${range}`;
}
