/**
 * `ipvsadm -Ln` (and `--stats`, `-Lnc`) as lines, each labelled with what the step's IPVS
 * did: the virtual service a new connection came to, the real server the scheduler (or the
 * client's persistence template) picked, the connection entry it made or used. The text is
 * sim-core's ipvsadm printer's; this only finds the lines again.
 */
import type { Change } from './kubeRows.ts';

/** What an `ipvs.*` step names: the virtual service ("10.96.0.10:80/TCP"), a real server, a client. */
export interface IpvsPick {
  readonly service: string;
  readonly dest?: string;
  readonly client?: string;
  /** The step made a connection entry (a scheduled connection), or used one. */
  readonly change: Change;
}

export interface IpvsLine {
  readonly key: string;
  readonly text: string;
  readonly kind: 'header' | 'service' | 'server' | 'conn';
  readonly change?: Change;
  readonly mark?: string;
}

/** The pick an IPVS fact describes; undefined for other facts. */
export function ipvsPick(facts: {
  readonly type: string;
  readonly service?: string;
  readonly dest?: string;
  readonly client?: string;
  readonly after?: string;
  readonly before?: string;
}): IpvsPick | undefined {
  const { type, service } = facts;
  if (!type.startsWith('ipvs.') || !service) return undefined;
  if (type === 'ipvs.schedule')
    return { service, dest: facts.dest, client: facts.client, change: 'added' };
  if (type === 'ipvs.nat') return { service, dest: facts.after, change: 'read' };
  if (type === 'ipvs.reply') return { service, dest: facts.before, change: 'read' };
  return { service, change: 'read' };
}

const PROTO = /^(TCP|UDP|SCTP) +(\S+)/;
const SERVER = /^ {2}-> (\S+)/;

/** `ipvsadm -Ln` or `--stats` lines, the picked service and real server marked. */
export function ipvsadmLines(text: string, pick: IpvsPick | undefined): IpvsLine[] {
  let service = '';
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line, i): IpvsLine => {
      const vs = PROTO.exec(line);
      if (vs) {
        service = `${vs[2]}/${vs[1]}`;
        const hit = pick?.service === service;
        return {
          key: `vs ${service}`,
          text: line,
          kind: 'service',
          ...(hit ? { change: 'read' as const, mark: 'virtual service' } : {}),
        };
      }
      const rs = service ? SERVER.exec(line) : null;
      if (rs) {
        const hit = pick?.service === service && pick.dest === rs[1];
        return {
          key: `rs ${service} ${rs[1]}`,
          text: line,
          kind: 'server',
          ...(hit ? { change: pick.change, mark: 'real server' } : {}),
        };
      }
      return { key: `line ${i}`, text: line, kind: 'header' };
    });
}

/** `ipvsadm -Lnc` lines: "pro expire state source virtual destination", the step's entry marked. */
export function ipvsConnLines(text: string, pick: IpvsPick | undefined): IpvsLine[] {
  const [vaddr, proto] = pick?.service.split('/') ?? [];
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line, i): IpvsLine => {
      const cols = line.trim().split(/ +/);
      if (i < 2 || cols.length < 6) return { key: `line ${i}`, text: line, kind: 'header' };
      const [pro, , , source, virtual, dest] = cols;
      const hit =
        !!pick &&
        pro === proto &&
        virtual === vaddr &&
        (!pick.dest || dest === pick.dest) &&
        (!pick.client || source === pick.client);
      return {
        key: `conn ${source} ${virtual} ${dest}`,
        text: line,
        kind: 'conn',
        ...(hit
          ? { change: pick.change, mark: pick.change === 'added' ? 'new entry' : 'entry' }
          : {}),
      };
    });
}
