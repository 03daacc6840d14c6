import { describe, expect, it } from 'vitest';
import { traverse } from './evaluate.ts';
import { getChain, ruleCounter, type NetfilterState } from './ruleset.ts';
import { packet, ruleset, testEnv } from './test-env.ts';

const filter = (body: string, policies = ':INPUT ACCEPT [0:0]') =>
  ruleset(`*filter\n${policies}\n${body}\nCOMMIT\n`);
const policyCounter = (s: NetfilterState, chain: string) =>
  s.tables.filter && getChain(s.tables.filter, chain)?.policyCounter;
const pod = packet({ src: '10.244.0.4', dst: '10.96.0.50', sport: 38518, dport: 80 });

describe('jumps, gotos and policies (ipt_do_table)', () => {
  const chains = ':A - [0:0]\n:B - [0:0]\n';
  it('-j returns to the rule after the jump when the user chain RETURNs', () => {
    const s = filter(
      `${chains}-A INPUT -j A\n-A INPUT -j DROP\n-A A -j B\n-A A -j ACCEPT\n-A B -j RETURN\n-A B -j DROP`,
    );
    const r = traverse(s, 'filter', 'INPUT', pod, testEnv());
    expect(r.verdict).toBe('ACCEPT');
    expect(r.hits).toEqual([
      { chain: 'INPUT', rule: 1, target: 'A' },
      { chain: 'A', rule: 1, target: 'B' },
      { chain: 'B', rule: 1, target: 'RETURN' },
      { chain: 'A', rule: 2, target: 'ACCEPT' },
    ]);
  });
  it('a user chain that falls off its end returns too', () => {
    const s = filter(`${chains}-A INPUT -j A\n-A INPUT -j DROP\n-A A -s 1.2.3.4 -j ACCEPT`);
    expect(traverse(s, 'filter', 'INPUT', pod, testEnv()).verdict).toBe('DROP');
  });
  it('-g does not come back: the end of the goto chain is the end of its caller', () => {
    const s = filter(
      `${chains}-A INPUT -j A\n-A INPUT -j ACCEPT\n-A A -g B\n-A A -j ACCEPT\n-A B -s 1.2.3.4 -j ACCEPT`,
      ':INPUT DROP [0:0]',
    );
    const r = traverse(s, 'filter', 'INPUT', pod, testEnv());
    // B falls off → back to INPUT after "-j A" (A's own next rule is skipped).
    expect(r.hits.map((h) => `${h.chain}:${h.rule}`)).toEqual(['INPUT:1', 'A:1', 'INPUT:2']);
    expect(r.verdict).toBe('ACCEPT');
  });
  it('-g from the built-in chain falls through to the policy', () => {
    const s = filter(`${chains}-A INPUT -g A\n-A INPUT -j ACCEPT`, ':INPUT DROP [0:0]');
    const r = traverse(s, 'filter', 'INPUT', pod, testEnv());
    expect(r).toMatchObject({ verdict: 'DROP', policy: 'DROP' });
    expect(ruleCounter(r.state, 'filter', 'INPUT', 1)).toEqual({ packets: 0, bytes: 0 });
    expect(policyCounter(r.state, 'INPUT')).toEqual({ packets: 1, bytes: 60 });
  });
  it('RETURN in a built-in chain applies the policy, which counts the packet', () => {
    const s = filter('-A INPUT -j RETURN\n-A INPUT -j ACCEPT', ':INPUT DROP [0:0]');
    const r = traverse(s, 'filter', 'INPUT', pod, testEnv());
    expect(r).toMatchObject({ verdict: 'DROP', policy: 'DROP' });
    expect(ruleCounter(r.state, 'filter', 'INPUT', 0)).toEqual({ packets: 1, bytes: 60 });
    expect(ruleCounter(r.state, 'filter', 'INPUT', 1)).toEqual({ packets: 0, bytes: 0 });
    expect(policyCounter(r.state, 'INPUT')).toEqual({ packets: 1, bytes: 60 });
  });
  it('counts every rule whose matches all hold, jumps and RETURNs included, in bytes of IP length', () => {
    const s = filter(`${chains}-A INPUT -j A\n-A INPUT -p udp -j DROP\n-A A -j RETURN`);
    const big = { ...pod, length: 1500 };
    const r = traverse(
      traverse(s, 'filter', 'INPUT', big, testEnv()).state,
      'filter',
      'INPUT',
      big,
      testEnv(),
    );
    expect(ruleCounter(r.state, 'filter', 'INPUT', 0)).toEqual({ packets: 2, bytes: 3000 });
    expect(ruleCounter(r.state, 'filter', 'A', 0)).toEqual({ packets: 2, bytes: 3000 });
    expect(ruleCounter(r.state, 'filter', 'INPUT', 1)).toEqual({ packets: 0, bytes: 0 });
    expect(policyCounter(r.state, 'INPUT')).toEqual({ packets: 2, bytes: 3000 });
  });
  it('leaves the input state untouched', () => {
    const s = filter('-A INPUT -j ACCEPT');
    traverse(s, 'filter', 'INPUT', pod, testEnv());
    expect(ruleCounter(s, 'filter', 'INPUT', 0)).toEqual({ packets: 0, bytes: 0 });
  });
  it('passes a packet untouched when the netns has no such table', () => {
    const s = filter('-A INPUT -j DROP');
    const r = traverse(s, 'nat', 'PREROUTING', pod, testEnv());
    expect(r).toMatchObject({ verdict: 'ACCEPT', hits: [] });
    expect(r.state).toBe(s);
  });
  it('refuses a chain that is not a built-in of the table', () => {
    expect(() => traverse(filter(''), 'filter', 'PREROUTING', pod, testEnv())).toThrow(RangeError);
  });
});

describe('targets', () => {
  it('DNAT ends the nat traversal with a request for conntrack', () => {
    const s = ruleset(
      '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp -j DNAT --to-destination 10.244.0.2:8080\n-A PREROUTING -j DNAT --to-destination 10.9.9.9\nCOMMIT\n',
    );
    const r = traverse(s, 'nat', 'PREROUTING', pod, testEnv());
    expect(r.verdict).toBe('ACCEPT');
    expect(r.nat).toEqual({
      kind: 'DNAT',
      addr: '10.244.0.2',
      port: 8080,
      random: false,
      randomFully: false,
      persistent: false,
    });
    expect(r.hits).toHaveLength(1);
  });
  it('MASQUERADE --random-fully and SNAT ranges come back as asked', () => {
    const s = ruleset(
      '*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -p udp -j SNAT --to-source 1.2.3.4-1.2.3.9:1000-2000\n-A POSTROUTING -j MASQUERADE --random-fully\nCOMMIT\n',
    );
    expect(traverse(s, 'nat', 'POSTROUTING', pod, testEnv()).nat).toEqual({
      kind: 'MASQUERADE',
      random: false,
      randomFully: true,
      persistent: false,
    });
    const udp = { ...pod, protocol: 17 };
    expect(traverse(s, 'nat', 'POSTROUTING', udp, testEnv()).nat).toMatchObject({
      kind: 'SNAT',
      addr: '1.2.3.4',
      addrRange: ['1.2.3.4', '1.2.3.9'],
      port: 1000,
      portRange: [1000, 2000],
    });
  });
  it('MARK continues and computes mark = (mark & ~mask) ^ value', () => {
    const s = ruleset(
      [
        '*mangle',
        ':PREROUTING ACCEPT [0:0]',
        '-A PREROUTING -j MARK --set-xmark 0x4000/0x4000',
        '-A PREROUTING -m mark --mark 0x4000/0x4000 -j MARK --xor-mark 0x1',
        '-A PREROUTING -j MARK --and-mark 0xff01',
        '-A PREROUTING -j MARK --set-mark 0x20/0xf0',
        'COMMIT',
        '',
      ].join('\n'),
    );
    const r = traverse(s, 'mangle', 'PREROUTING', { ...pod, mark: 0x12345 }, testEnv());
    // 0x12345 → set 0x4000 in mask 0x4000 → 0x16345 → xor 1 → 0x16344 → and 0xff01 → 0x6300
    // → --set-mark 0x20/0xf0 is value 0x20 mask 0xf0: (0x6300 & ~0xf0) ^ 0x20 = 0x6320
    expect(r.mark).toBe(0x6320);
    expect(r.hits).toHaveLength(4);
    expect(r).toMatchObject({ verdict: 'ACCEPT', policy: 'ACCEPT' });
  });
  it('REJECT reports its ICMP type', () => {
    const s = filter(
      '-A INPUT -p udp -j REJECT\n-A INPUT -p tcp -j REJECT --reject-with tcp-reset',
    );
    expect(traverse(s, 'filter', 'INPUT', pod, testEnv())).toMatchObject({
      verdict: 'REJECT',
      rejectWith: 'tcp-reset',
    });
    const udp = { ...pod, protocol: 17 };
    expect(traverse(s, 'filter', 'INPUT', udp, testEnv()).rejectWith).toBe('icmp-port-unreachable');
  });
  it('NOTRACK and CT --zone set flags and continue', () => {
    const s = ruleset(
      '*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j CT --zone 7\n-A PREROUTING -p tcp -j NOTRACK\nCOMMIT\n',
    );
    const r = traverse(s, 'raw', 'PREROUTING', pod, testEnv());
    expect(r).toMatchObject({ verdict: 'ACCEPT', notrack: true, ctZone: 7 });
    expect(r.hits.map((h) => h.target)).toEqual(['CT', 'NOTRACK']);
  });
  it('LOG records a line and continues', () => {
    const s = filter('-A INPUT -j LOG --log-prefix "in: "\n-A INPUT -j DROP');
    const r = traverse(s, 'filter', 'INPUT', pod, testEnv());
    expect(r.logs).toEqual([{ chain: 'INPUT', rule: 1, prefix: 'in: ', level: 4 }]);
    expect(r.verdict).toBe('DROP');
  });
});

describe('statistic', () => {
  const svc = filter(
    [
      '-A INPUT -p udp -m statistic --mode random --probability 0.5 -j DROP',
      '-A INPUT -m statistic --mode random --probability 0.5 -j DROP',
      '-A INPUT -m statistic --mode random --probability 0.5 -j REJECT',
    ].join('\n'),
  );
  it('draws once per statistic match evaluated, never for rules that failed earlier', () => {
    const env = testEnv({ randoms: [0.7, 0.2] });
    const r = traverse(svc, 'filter', 'INPUT', pod, env);
    expect(env.draws).toBe(2);
    expect(r.verdict).toBe('REJECT');
  });
  it('matches when the 31 random bits are below lround(p * 2^31)', () => {
    // 0.5 * 2^31 = 2^30: a draw of exactly 0.5 gives 2^30, which is not below.
    expect(
      traverse(svc, 'filter', 'INPUT', pod, testEnv({ randoms: [0.4999999999] })).verdict,
    ).toBe('DROP');
    expect(traverse(svc, 'filter', 'INPUT', pod, testEnv({ randoms: [0.5, 0.5] })).verdict).toBe(
      'ACCEPT',
    );
  });
  it('! --probability inverts', () => {
    const s = filter('-A INPUT -m statistic --mode random ! --probability 0.25 -j DROP');
    expect(traverse(s, 'filter', 'INPUT', pod, testEnv({ randoms: [0.1] })).verdict).toBe('ACCEPT');
    expect(traverse(s, 'filter', 'INPUT', pod, testEnv({ randoms: [0.3] })).verdict).toBe('DROP');
  });
  it('nth --every 3 --packet 0 matches the 1st, 4th and 7th packet and keeps its count in the state', () => {
    let s = filter('-A INPUT -m statistic --mode nth --every 3 --packet 0 -j DROP');
    const verdicts: string[] = [];
    for (let n = 0; n < 7; n++) {
      const r = traverse(s, 'filter', 'INPUT', pod, testEnv());
      verdicts.push(r.verdict);
      s = r.state;
    }
    expect(verdicts).toEqual(['DROP', 'ACCEPT', 'ACCEPT', 'DROP', 'ACCEPT', 'ACCEPT', 'DROP']);
  });
});
