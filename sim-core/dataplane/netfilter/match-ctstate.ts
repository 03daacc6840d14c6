/**
 * The conntrack match, revision 3 (libxt_conntrack.c, xt_conntrack.c), for
 * its --ctstate and --ctstatus tests. The caller's conntrack decides the
 * state; this file only asks "is it one of these". Packets without a
 * conntrack entry (INVALID, UNTRACKED) pass only a --ctstate test: a
 * --ctstatus test needs an entry to look at.
 */
import type { MatchExt } from './extension.ts';
import type { CtState, CtStatus } from './packet.ts';
import type { CtMatch, StateMatch } from './rule.ts';

// In conntrack_dump's print order; the bit values are ours, only the order is printed.
const STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'] as const;
// xt_conntrack's strncasecmp chain tries them in this order, so "E" means ESTABLISHED.
const STATE_PARSE_ORDER = ['INVALID', 'NEW', 'ESTABLISHED', 'RELATED', 'UNTRACKED', 'SNAT', 'DNAT'];
const STATUSES = ['EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'] as const;

const bit = (list: readonly string[], name: string) => 1 << list.indexOf(name);

function parseList(arg: string, order: readonly string[], all: readonly string[], what: string) {
  let mask = 0;
  for (const item of arg.split(',')) {
    const up = item.toUpperCase();
    const name = up === '' ? undefined : order.find((n) => n.startsWith(up));
    if (!name) return `Bad ${what} "${item}"`;
    if (name !== 'NONE') mask |= bit(all, name);
  }
  return mask;
}

function names(mask: number, all: readonly string[], none: boolean): string {
  const list = all.filter((n) => mask & bit(all, n));
  return list.length ? list.join(',') : none ? 'NONE' : '';
}

type Draft = { state?: CtMatch['state']; status?: CtMatch['status'] };

function describe(m: CtMatch, prefix: string): string {
  let out = '';
  if (m.state)
    out += `${m.state.invert ? ' !' : ''} ${prefix}ctstate ${names(m.state.mask, STATES, false)}`;
  if (m.status)
    out += `${m.status.invert ? ' !' : ''} ${prefix}ctstatus ${names(m.status.mask, STATUSES, true)}`;
  return out;
}

function stateBits(state: CtState, status: readonly CtStatus[]): number {
  let bits = bit(STATES, state);
  if (status.includes('SNAT')) bits |= bit(STATES, 'SNAT');
  if (status.includes('DNAT')) bits |= bit(STATES, 'DNAT');
  return bits;
}

function testState(m: CtMatch['state'] & object, state: CtState, status: readonly CtStatus[]) {
  const tracked = state !== 'INVALID' && state !== 'UNTRACKED';
  return ((m.mask & stateBits(state, tracked ? status : [])) !== 0) !== m.invert;
}

export const ctstateMatch: MatchExt<Draft, CtMatch> = {
  name: 'conntrack',
  options: { ctstate: { args: 1, invert: true }, ctstatus: { args: 1, invert: true } },
  start: () => ({}),
  option(d, opt, args, invert) {
    const mask =
      opt === 'ctstate'
        ? parseList(args[0], STATE_PARSE_ORDER, STATES, 'ctstate')
        : parseList(args[0], ['NONE', ...STATUSES], STATUSES, 'ctstatus');
    if (typeof mask === 'string') return mask;
    d[opt === 'ctstate' ? 'state' : 'status'] = { mask, invert };
    return undefined;
  },
  finish(d) {
    if (!d.state && !d.status) return 'conntrack: At least one option is required';
    return {
      module: 'conntrack',
      ...(d.state ? { state: d.state } : {}),
      ...(d.status ? { status: d.status } : {}),
    };
  },
  save: (m) => describe(m, '--'),
  list: (m) => describe(m, ''),
  test(m, { pkt }) {
    const state = pkt.ctState ?? 'INVALID';
    const status = pkt.ctStatus ?? [];
    const tracked = state !== 'INVALID' && state !== 'UNTRACKED';
    if (m.state && !testState(m.state, state, status)) return false;
    if (!tracked) return m.state !== undefined;
    if (m.status) {
      const bits = STATUSES.reduce((b, s) => (status.includes(s) ? b | bit(STATUSES, s) : b), 0);
      if (((m.status.mask & bits) !== 0) === m.status.invert) return false;
    }
    return true;
  },
};

/** -m state (libxt_state, an alias the kernel serves with xt_conntrack): --state only. */
export const stateMatch: MatchExt<{ state?: StateMatch['state'] }, StateMatch> = {
  name: 'state',
  options: { state: { args: 1, invert: true } },
  start: () => ({}),
  option(d, _opt, args, invert) {
    const mask = parseList(args[0], STATE_PARSE_ORDER.slice(0, 5), STATES, 'state');
    if (typeof mask === 'string') return mask;
    d.state = { mask, invert };
    return undefined;
  },
  finish: (d) =>
    d.state ? { module: 'state', state: d.state } : 'state: option "--state" must be specified',
  save: (m) => `${m.state.invert ? ' !' : ''} --state ${names(m.state.mask, STATES, false)}`,
  list: (m) => `${m.state.invert ? ' !' : ''} state ${names(m.state.mask, STATES, false)}`,
  test: (m, { pkt }) => testState(m.state, pkt.ctState ?? 'INVALID', pkt.ctStatus ?? []),
};
