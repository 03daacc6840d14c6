import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/rng.ts';
import { netfilterFixture } from '../../test/fixtures/netfilter/load.ts';
import { describeRestoreError, parseIptablesRestore, type RestoreError } from './restore.ts';

function errors(text: string): readonly RestoreError[] {
  const r = parseIptablesRestore(text);
  if (r.ok) throw new Error('expected the input to be refused');
  return r.errors;
}

/** 1-based column of the first `token` on line `line` of `text`. */
const at = (text: string, line: number, token: string) =>
  text.split('\n')[line - 1].indexOf(token) + 1;

const nat = (...lines: string[]) => `*nat\n${lines.join('\n')}\nCOMMIT\n`;
const filter = (...lines: string[]) => `*filter\n${lines.join('\n')}\nCOMMIT\n`;

// Messages are iptables-restore 1.8.9's own, seen in a network namespace for
// the same lines, and located at the token they are about.
describe('errors', () => {
  it.each([
    [nat('-A PREROUTING -p tcp --dprt 80 -j ACCEPT'), 2, '--dprt', 'unknown option "--dprt"'],
    [nat('-A PREROUTING -j KUBE-FOO'), 2, 'KUBE-FOO', "Chain 'KUBE-FOO' does not exist"],
    [nat('-A NOPE -j ACCEPT'), 2, 'NOPE', 'No chain/target/match by that name.'],
    [filter('-A INPUT -s 10.0.0.300 -j ACCEPT'), 2, '10.0', "host/network `10.0.0.300' not found"],
    [
      filter('-A INPUT -p tcp --dport 99999 -j ACCEPT'),
      2,
      '9',
      "invalid port/service `99999' specified",
    ],
    [filter('-A INPUT -p tcp --dport 5:3 -j ACCEPT'), 2, '5:3', 'invalid portrange (min > max)'],
    [filter('-A INPUT --dport 80 -j ACCEPT'), 2, '--dport', 'unknown option "--dport"'],
    [filter('-A INPUT -p foo -j ACCEPT'), 2, 'foo', 'unknown protocol "foo" specified'],
    [
      filter('-A INPUT -m foo -j ACCEPT'),
      2,
      'foo',
      "Couldn't load match `foo':No such file or directory",
    ],
    [filter('-A INPUT -j ACCEPT extra'), 2, 'extra', "Bad argument `extra'"],
    [
      filter('-A INPUT -s 1.1.1.1 -s 1.1.1.2 -j ACCEPT'),
      2,
      '-s 1.1.1.2',
      'multiple -s flags not allowed',
    ],
    [filter('-A INPUT ! ! -s 1.2.3.4 -j ACCEPT'), 2, '! -s', 'multiple consecutive ! not allowed'],
    [
      filter('-A INPUT ! -m comment --comment x -j ACCEPT'),
      2,
      '!',
      'unexpected ! flag before --match',
    ],
    [
      filter('-A INPUT -m comment ! --comment x -j ACCEPT'),
      2,
      '!',
      'comment: option "--comment" cannot be inverted.',
    ],
    [filter('-A INPUT -j'), 2, '-j', 'option "-j" requires an argument'],
    [filter('-A INPUT -m tcp --dport 80 -j ACCEPT'), 2, '-m', "TCP match requires '-p tcp'"],
    [
      filter('-A INPUT -m multiport --dports 80 -j ACCEPT'),
      2,
      '80',
      "multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'",
    ],
    [
      nat('-A PREROUTING -j DNAT --to-destination 1.2.3.4:80'),
      2,
      '1.2',
      'Need TCP, UDP, SCTP or DCCP with port specification',
    ],
    [nat('-A PREROUTING -p tcp -o eth0 -j ACCEPT'), 2, '-o', "Can't use -o with PREROUTING"],
    [nat('-A POSTROUTING -p tcp -i eth0 -j ACCEPT'), 2, '-i', "Can't use -i with POSTROUTING"],
    [
      filter('-A INPUT -m statistic --probability 0.5 -j ACCEPT'),
      2,
      '-m',
      'statistic: option "--mode" must be specified',
    ],
    [
      filter('-A INPUT -m statistic --mode random --probability 1.5 -j ACCEPT'),
      2,
      '1.5',
      'statistic: bad value for option "--probability", or out of range (0-1).',
    ],
    [
      filter('-A INPUT -m recent --rcheck --set -j ACCEPT'),
      2,
      '--set',
      'recent: option "--set" cannot be used together with "--rcheck".',
    ],
    [
      filter('-A INPUT -m recent --rcheck --reap -j ACCEPT'),
      2,
      '-m',
      'recent: option "--reap" also requires "--seconds".',
    ],
    [
      filter('-A INPUT -m addrtype -j ACCEPT'),
      2,
      '-m',
      'addrtype: you must specify --src-type or --dst-type',
    ],
    [filter('-A INPUT -m addrtype --dst-type ! LOCAL -j ACCEPT'), 2, '!', 'addrtype: bad type "!"'],
    [filter('-A INPUT -m conntrack --ctstate BOGUS -j ACCEPT'), 2, 'BOGUS', 'Bad ctstate "BOGUS"'],
    [
      filter('-A INPUT -j MARK'),
      2,
      'MARK',
      'MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required',
    ],
    [filter('-A INPUT -j REJECT --reject-with foo'), 2, 'foo', 'unknown reject type "foo"'],
    [
      filter('-A INPUT -i eth0123456789012 -j ACCEPT'),
      2,
      'eth0',
      "interface name `eth0123456789012' must be shorter than IFNAMSIZ (15)",
    ],
    [filter('-N FOO', '-N FOO'), 3, 'FOO', 'Chain already exists.'],
    [filter('-P FORWARD ACCEPT extra'), 2, 'extra', "Bad argument `extra'"],
    [filter('-P FOO DROP'), 2, 'FOO', 'No chain/target/match by that name.'],
    [filter('-I INPUT 5 -j ACCEPT'), 2, 'INPUT', 'Index of insertion too big.'],
    [
      filter('-D INPUT -j ACCEPT'),
      2,
      'INPUT',
      'Bad rule (does a matching rule exist in that chain?).',
    ],
    [filter(':INPUT BLAH [0:0]'), 2, 'BLAH', 'Bad policy name.'],
    [
      nat('-A POSTROUTING -j DROP'),
      2,
      'DROP',
      'The "nat" table is not intended for filtering, the use of DROP is therefore inhibited.',
    ],
    ['*foo\nCOMMIT\n', 1, 'foo', "table name 'foo' invalid"],
  ])('%j → line %i at %j: %s', (text, line, token, message) => {
    expect(errors(text)).toEqual([{ line, column: at(text, line, token), message }]);
  });

  it('refuses -m set names the kernel has no set for, when told which exist', () => {
    const text = filter('-A INPUT -m set --match-set NOSUCH src -j ACCEPT');
    const r = parseIptablesRestore(text, { setExists: (name) => name === 'KUBE-CLUSTER-IP' });
    expect(r.ok ? [] : r.errors).toEqual([
      { line: 2, column: at(text, 2, 'src'), message: "Set NOSUCH doesn't exist." },
    ]);
    expect(parseIptablesRestore(text).ok).toBe(true);
  });

  it('reports a missing COMMIT on the line after the last', () => {
    expect(errors('*filter\n-A INPUT -j ACCEPT\n')).toEqual([
      { line: 3, column: 1, message: 'COMMIT expected' },
    ]);
  });

  // The kernel refuses these at COMMIT; iptables-nft prints "RULE_APPEND failed (...)".
  it.each([
    [
      filter('-A INPUT -j DNAT --to-destination 1.2.3.4'),
      'RULE_APPEND failed (Invalid argument): rule in chain INPUT',
    ],
    [
      filter('-A INPUT -j REJECT --reject-with tcp-reset'),
      'RULE_APPEND failed (Invalid argument): rule in chain INPUT',
    ],
    [
      nat('-A PREROUTING -j SNAT --to-source 1.2.3.4'),
      'RULE_APPEND failed (Invalid argument): rule in chain PREROUTING',
    ],
    [
      nat(':X - [0:0]', '-A POSTROUTING -j X', '-A X -j DNAT --to-destination 1.2.3.4'),
      'RULE_APPEND failed (Invalid argument): rule in chain X',
    ],
    [
      filter(':A - [0:0]', '-A A -j A', '-A INPUT -j A'),
      'RULE_APPEND failed (Too many links): rule in chain A',
    ],
    [
      filter(':FOO - [0:0]', '-A INPUT -j FOO', '-X FOO'),
      'CHAIN_DEL failed (Device or resource busy): chain FOO',
    ],
    [
      filter('-A INPUT -m physdev --physdev-out foo -j ACCEPT').replace('INPUT', 'OUTPUT'),
      'RULE_APPEND failed (Invalid argument): rule in chain OUTPUT',
    ],
  ])('%j is refused: %s', (text, start) => {
    const [e] = errors(text);
    expect(e.message.startsWith(start)).toBe(true);
  });

  it('refuses chains nested deeper than nf_tables allows (16 levels from the hook)', () => {
    const depth = (n: number) => {
      const lines = Array.from({ length: n }, (_, i) => `:C${i + 1} - [0:0]`);
      lines.push('-A INPUT -j C1');
      for (let i = 1; i < n; i++) lines.push(`-A C${i} -j C${i + 1}`);
      return filter(...lines, `-A C${n} -j ACCEPT`);
    };
    expect(parseIptablesRestore(depth(15)).ok).toBe(true);
    // iptables-restore with 16 chains: "line 33: ... rule in chain C15" and "line 34: ... rule in chain C16".
    expect(errors(depth(16)).map((e) => [e.line, e.message.split(':')[0]])).toEqual([
      [33, 'RULE_APPEND failed (Too many links)'],
      [34, 'RULE_APPEND failed (Too many links)'],
    ]);
  });

  it('collects every error, in line order, each on its own line', () => {
    const text = [
      '*filter',
      '-A INPUT -p tcp --dprt 80 -j ACCEPT',
      '-A INPUT -j NOPE',
      '-A INPUT -s 1.2.3 -j ACCEPT',
      'COMMIT',
      '*nat',
      '-A PREROUTING -j DROP',
      '',
    ].join('\n');
    expect(errors(text).map((e) => `${e.line}:${e.column}`)).toEqual([
      '2:17',
      '3:13',
      '4:13',
      '7:18',
      '8:1',
    ]);
    expect(describeRestoreError(errors(text)[0])).toBe(
      'iptables-restore: line 2 failed: unknown option "--dprt"',
    );
  });

  it('never throws or hangs on garbage', () => {
    const rng = createRng(7);
    const alphabet = ' \t"\\!-:*[]/,.#0123456789abcdefghijklmnopqrstuvwxyzACDFIJMNOPSTX\n';
    const reference = netfilterFixture('every-match.iptables-restore');
    for (let n = 0; n < 300; n++) {
      const chars = Array.from(
        { length: rng.int(0, 400) },
        () => alphabet[rng.int(0, alphabet.length - 1)],
      );
      expect(() => parseIptablesRestore(chars.join(''))).not.toThrow();
      // ...and on a real file with a few bytes changed.
      const bytes = reference.split('');
      for (let k = 0; k < 5; k++)
        bytes[rng.int(0, bytes.length - 1)] = alphabet[rng.int(0, alphabet.length - 1)];
      const r = parseIptablesRestore(bytes.join(''));
      if (!r.ok)
        expect(r.errors.every((e) => e.line >= 1 && e.column >= 1 && e.message !== '')).toBe(true);
    }
  });
});
