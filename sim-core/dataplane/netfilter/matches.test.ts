import { describe, expect, it } from 'vitest';
import { traverse } from './evaluate.ts';
import type { NfEnv, NfPacket } from './packet.ts';
import type { NetfilterState } from './ruleset.ts';
import { packet, ruleset, testEnv } from './test-env.ts';

/** A filter INPUT/FORWARD chain whose one rule ACCEPTs when `spec` matches; policy DROP. */
function rule(spec: string, chain = 'INPUT'): NetfilterState {
  return ruleset(`*filter\n:${chain} DROP [0:0]\n-A ${chain} ${spec} -j ACCEPT\nCOMMIT\n`);
}

function matches(s: NetfilterState, p: NfPacket, env: NfEnv = testEnv(), chain = 'INPUT'): boolean {
  return traverse(s, 'filter', chain as 'INPUT', p, env).verdict === 'ACCEPT';
}

const tcp = packet({
  src: '10.244.0.4',
  dst: '10.96.0.50',
  sport: 38518,
  dport: 80,
  inIface: 'cni0',
});

describe('the rule header: -s -d -i -o -p -f and their negations', () => {
  it.each([
    ['-s 10.244.0.0/16', true],
    ['! -s 10.244.0.0/16', false],
    ['-s 10.244.1.0/24', false],
    ['-d 10.96.0.50', true],
    ['! -d 10.96.0.50', false],
    ['-d 10.0.0.0/255.0.0.255', false],
    ['-i cni0', true],
    ['-i cni+', true],
    ['! -i cni+', false],
    ['-i eth0', false],
    ['-p tcp', true],
    ['! -p tcp', false],
    ['-p 6', true],
    ['-p udp', false],
    ['-f', false],
    ['! -f', true],
  ])('%s → %s', (spec, want) => expect(matches(rule(spec), tcp)).toBe(want));
  it('-o needs an output interface (none in INPUT, so FORWARD here)', () => {
    const s = rule('-o veth+', 'FORWARD');
    expect(matches(s, { ...tcp, outIface: 'vethA' }, testEnv(), 'FORWARD')).toBe(true);
    expect(matches(s, { ...tcp, outIface: 'eth0' }, testEnv(), 'FORWARD')).toBe(false);
  });
});

describe('tcp, udp, icmp, multiport', () => {
  it.each([
    ['-p tcp --dport 80', tcp, true],
    ['-p tcp --dport 79:81', tcp, true],
    ['-p tcp ! --dport 80', tcp, false],
    ['-p tcp --sport 1024:', tcp, true],
    ['-p tcp --sport :1023', tcp, false],
    ['-p tcp --syn', { ...tcp, tcpFlags: 0x02 }, true],
    ['-p tcp --syn', { ...tcp, tcpFlags: 0x12 }, false],
    ['-p tcp ! --syn', { ...tcp, tcpFlags: 0x10 }, true],
    ['-p udp --dport 53', { ...tcp, protocol: 17, dport: 53 }, true],
    ['-p icmp --icmp-type echo-request', { ...tcp, protocol: 1, icmpType: 8, icmpCode: 0 }, true],
    ['-p icmp --icmp-type 3/4', { ...tcp, protocol: 1, icmpType: 3, icmpCode: 3 }, false],
    [
      '-p icmp --icmp-type destination-unreachable',
      { ...tcp, protocol: 1, icmpType: 3, icmpCode: 13 },
      true,
    ],
    ['-p icmp ! --icmp-type any', { ...tcp, protocol: 1, icmpType: 0 }, false],
    ['-p tcp -m multiport --dports 443,8000:8100', { ...tcp, dport: 8080 }, true],
    ['-p tcp -m multiport --dports 443,8000:8100', tcp, false],
    ['-p tcp -m multiport ! --dports 443', tcp, true],
    ['-p tcp -m multiport --ports 38518', tcp, true],
  ] as const)('%s', (spec, p, want) => expect(matches(rule(spec), p)).toBe(want));
  it('a non-first fragment has no ports: port matches fail on it', () => {
    expect(matches(rule('-p tcp --dport 80'), { ...tcp, fragment: true })).toBe(false);
  });
});

describe('mark, addrtype, conntrack, physdev, set', () => {
  it.each([
    ['-m mark --mark 0x4000/0x4000', 0x4001, true],
    ['-m mark --mark 0x4000/0x4000', 0x1, false],
    ['-m mark ! --mark 0x4000/0x4000', 0x1, true],
    ['-m mark --mark 0x1', 0x4001, false],
  ])('%s on mark %i', (spec, mark, want) =>
    expect(matches(rule(spec), { ...tcp, mark })).toBe(want),
  );

  it("addrtype asks the environment, in the packet interface's table with --limit-iface-in", () => {
    const env = testEnv({
      types: { '10.96.0.50': 'UNICAST', '10.96.0.50%cni0': 'LOCAL', '224.0.0.22': 'MULTICAST' },
    });
    expect(matches(rule('-m addrtype --dst-type LOCAL'), tcp, env)).toBe(false);
    expect(matches(rule('-m addrtype --dst-type LOCAL --limit-iface-in'), tcp, env)).toBe(true);
    expect(matches(rule('-m addrtype ! --dst-type MULTICAST,BROADCAST'), tcp, env)).toBe(true);
    expect(
      matches(rule('-m addrtype --dst-type MULTICAST'), { ...tcp, dst: '224.0.0.22' }, env),
    ).toBe(true);
    expect(matches(rule('-m addrtype --src-type UNICAST --dst-type MULTICAST'), tcp, env)).toBe(
      false,
    );
  });

  it('conntrack --ctstate and --ctstatus', () => {
    const est = {
      ...tcp,
      ctState: 'ESTABLISHED' as const,
      ctStatus: ['SEEN_REPLY', 'ASSURED', 'DNAT'] as const,
    };
    expect(matches(rule('-m conntrack --ctstate RELATED,ESTABLISHED'), est)).toBe(true);
    expect(matches(rule('-m conntrack --ctstate NEW'), est)).toBe(false);
    expect(matches(rule('-m conntrack --ctstate DNAT'), est)).toBe(true);
    expect(matches(rule('-m conntrack ! --ctstate INVALID'), est)).toBe(true);
    expect(matches(rule('-m conntrack --ctstatus ASSURED'), est)).toBe(true);
    expect(matches(rule('-m conntrack ! --ctstatus CONFIRMED'), est)).toBe(true);
    expect(matches(rule('-m state --state ESTABLISHED'), est)).toBe(true);
    expect(matches(rule('-m state ! --state NEW,RELATED'), est)).toBe(true);
    const invalid = { ...tcp, ctState: 'INVALID' as const };
    expect(matches(rule('-m conntrack --ctstate INVALID'), invalid)).toBe(true);
    // Without a conntrack entry there is no status to test: a status-only rule never matches.
    expect(matches(rule('-m conntrack ! --ctstatus ASSURED'), invalid)).toBe(false);
  });

  it('physdev: bridged packets by port, others only through negations', () => {
    const bridged = { ...tcp, physIn: 'vethC', physOut: 'vethA', bridged: true };
    const routed = { ...tcp };
    expect(
      matches(rule('-m physdev --physdev-is-bridged', 'FORWARD'), bridged, testEnv(), 'FORWARD'),
    ).toBe(true);
    expect(
      matches(rule('-m physdev --physdev-is-bridged', 'FORWARD'), routed, testEnv(), 'FORWARD'),
    ).toBe(false);
    expect(
      matches(rule('-m physdev ! --physdev-is-bridged', 'FORWARD'), routed, testEnv(), 'FORWARD'),
    ).toBe(true);
    expect(
      matches(
        rule('-m physdev --physdev-in veth+ --physdev-out vethA', 'FORWARD'),
        bridged,
        testEnv(),
        'FORWARD',
      ),
    ).toBe(true);
    expect(
      matches(rule('-m physdev ! --physdev-out vethA', 'FORWARD'), bridged, testEnv(), 'FORWARD'),
    ).toBe(false);
    // Into the host through the bridge (PREROUTING/INPUT): an input port, no output port.
    const toHost = { ...tcp, physIn: 'vethC', bridged: true };
    expect(matches(rule('-m physdev --physdev-is-in ! --physdev-is-out'), toHost)).toBe(true);
    expect(matches(rule('-m physdev --physdev-is-bridged'), toHost)).toBe(false);
  });

  it("set asks NfEnv.ipsetContains with the rule's directions", () => {
    const env = testEnv({
      sets: {
        'KUBE-CLUSTER-IP': (_s, key, dirs) =>
          dirs.join() === 'dst,dst' && key.dst === '10.96.0.50' && key.dport === 80,
      },
    });
    expect(matches(rule('-m set --match-set KUBE-CLUSTER-IP dst,dst'), tcp, env)).toBe(true);
    expect(matches(rule('-m set ! --match-set KUBE-CLUSTER-IP dst,dst'), tcp, env)).toBe(false);
    expect(
      matches(rule('-m set --match-set KUBE-CLUSTER-IP dst,dst'), { ...tcp, dport: 81 }, env),
    ).toBe(false);
    expect(matches(rule('-m set --match-set NO-SUCH-SET src'), tcp, env)).toBe(false);
  });
});

describe('recent', () => {
  const ssh = ruleset(
    [
      '*filter',
      ':INPUT ACCEPT [0:0]',
      '-A INPUT -p tcp --dport 22 -m recent --name SSH --rcheck --seconds 60 --hitcount 3 -j DROP',
      '-A INPUT -p tcp --dport 22 -m recent --name SSH --set',
      'COMMIT',
      '',
    ].join('\n'),
  );
  const conn = { ...tcp, dport: 22 };
  const at = (s: NetfilterState, seconds: number) =>
    traverse(s, 'filter', 'INPUT', conn, testEnv({ nowUs: seconds * 1e6 }));

  it('--set remembers the source, --rcheck --seconds --hitcount counts recent sightings', () => {
    let s = ssh;
    const verdicts: string[] = [];
    for (const t of [0, 10, 20, 30, 100]) {
      const r = at(s, t);
      verdicts.push(r.verdict);
      s = r.state;
    }
    // Three sightings within 60 s drop the fourth attempt; at 100 s none is recent any more.
    expect(verdicts).toEqual(['ACCEPT', 'ACCEPT', 'ACCEPT', 'DROP', 'ACCEPT']);
    expect([...(s.recent.get('SSH')?.values() ?? [])][0].stamps).toEqual([0, 10e6, 20e6, 100e6]);
  });
  it('--update refreshes the entry only when it matched; --remove forgets it', () => {
    const s = ruleset(
      [
        '*filter',
        ':INPUT ACCEPT [0:0]',
        '-A INPUT -s 10.0.0.1 -p udp -m recent --name L --remove -j ACCEPT',
        '-A INPUT -s 10.0.0.1 -m recent --name L --set',
        '-A INPUT -m recent --name L --update --seconds 5 --rdest -j DROP',
        '-A INPUT -m recent --name L --update --seconds 5 -j REJECT',
        'COMMIT',
        '',
      ].join('\n'),
    );
    const from = (src: string, t: number, st: NetfilterState, protocol = 6) =>
      traverse(st, 'filter', 'INPUT', { ...tcp, src, protocol }, testEnv({ nowUs: t * 1e6 }));
    const a = from('10.0.0.1', 0, s);
    expect(a.verdict).toBe('REJECT'); // just set, so seen within 5 s
    expect(from('10.0.0.1', 3, a.state).state.recent.get('L')?.get(0x0a000001)?.stamps).toEqual([
      0, 0, 3e6, 3e6,
    ]);
    expect(a.state.recent.get('L')?.has(0x0a000001)).toBe(true);
    expect(from('10.0.0.1', 1, a.state, 17).state.recent.get('L')?.has(0x0a000001)).toBe(false);
    expect(from('10.0.0.9', 1, a.state).verdict).toBe('ACCEPT');
  });
});
