/**
 * LOG (libxt_LOG.c): write a kernel log line and carry on. Only the prefix
 * and level are modelled; iptables-save omits the default level 4.
 */
import type { TargetExt } from './extension.ts';
import type { NfTarget } from './rule.ts';
import { parseCUint, saveString } from './values.ts';

type LogTarget = Extract<NfTarget, { kind: 'LOG' }>;

// --log-level names libxtables accepts (xtopt_parse_sysloglevel).
const LEVELS: readonly (readonly [string, number])[] = [
  ['alert', 1],
  ['crit', 2],
  ['debug', 7],
  ['emerg', 0],
  ['error', 3],
  ['info', 6],
  ['notice', 5],
  ['panic', 0],
  ['warning', 4],
];
// What -L prints for a level: the first name in <syslog.h>'s prioritynames, so 4 is "warn".
const PRINT_NAMES = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];
const DEFAULT_LEVEL = 4;
const MAX_PREFIX = 29;

export const logTarget: TargetExt<{ prefix: string; level: number }, LogTarget> = {
  name: 'LOG',
  options: { 'log-prefix': { args: 1, invert: false }, 'log-level': { args: 1, invert: false } },
  start: () => ({ prefix: '', level: DEFAULT_LEVEL }),
  option(d, opt, args) {
    if (opt === 'log-prefix') {
      if (args[0].length > MAX_PREFIX)
        return `Maximum prefix length ${MAX_PREFIX} for --log-prefix`;
      d.prefix = args[0];
      return undefined;
    }
    const level = parseCUint(args[0], 0, 7) ?? LEVELS.find(([n]) => n === args[0])?.[1];
    if (level === undefined) return `log-level "${args[0]}" unknown`;
    d.level = level;
    return undefined;
  },
  finish: (d) => ({ kind: 'LOG', prefix: d.prefix, level: d.level }),
  save(t) {
    let out = t.prefix ? ` --log-prefix${saveString(t.prefix)}` : '';
    if (t.level !== DEFAULT_LEVEL) out += ` --log-level ${t.level}`;
    return out;
  },
  list(t, numeric) {
    let out = numeric ? ` LOG flags 0 level ${t.level}` : ` LOG level ${PRINT_NAMES[t.level]}`;
    if (t.prefix) out += ` prefix "${t.prefix}"`;
    return out;
  },
};
