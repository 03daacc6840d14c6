import { describe, expect, it } from 'vitest';
import { getChain, parseIptablesRestore } from '@kubewire/sim-core';
import { walkTable } from './iptablesWalk.ts';

/** The table of a restore text (the reference's nat rules for one ClusterIP, two endpoints). */
function table(text: string) {
  const r = parseIptablesRestore(text);
  if (!r.ok) throw new Error('restore failed');
  const nat = r.ruleset.tables.nat!;
  return (c: string) => getChain(nat, c);
}

const NAT = `*nat
:PREROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-A - [0:0]
:KUBE-SEP-1 - [0:0]
:KUBE-SEP-2 - [0:0]
:KUBE-MARK-MASQ - [0:0]
-A PREROUTING -j KUBE-SERVICES
-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp --dport 443 -j KUBE-SVC-A
-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp --dport 80 -j KUBE-SVC-A
-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-MARK-MASQ
-A KUBE-SVC-A ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-A -m statistic --mode random --probability 0.5 -j KUBE-SEP-1
-A KUBE-SVC-A -j KUBE-SEP-2
-A KUBE-SEP-1 -s 10.244.0.3/32 -j KUBE-MARK-MASQ
-A KUBE-SEP-1 -p tcp -j DNAT --to-destination 10.244.0.3:8080
-A KUBE-SEP-2 -s 10.244.1.2/32 -j KUBE-MARK-MASQ
-A KUBE-SEP-2 -p tcp -j DNAT --to-destination 10.244.1.2:8080
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
COMMIT
`;

describe('walkTable: ipt_do_table tests each rule of a chain in turn until one matches', () => {
  it('a DNAT through KUBE-SERVICES rule 2: rule 1 missed, the SVC rules before the pick missed, the walk ends at the DNAT', () => {
    const hits = [
      { chain: 'PREROUTING', rule: 1 },
      { chain: 'KUBE-SERVICES', rule: 2 },
      { chain: 'KUBE-SVC-A', rule: 3 },
      { chain: 'KUBE-SEP-2', rule: 2 },
    ];
    const w = walkTable('PREROUTING', hits, table(NAT));
    expect(Object.fromEntries(w.fates.get('KUBE-SERVICES')!)).toEqual({
      1: 'missed',
      2: 'matched',
    });
    expect(Object.fromEntries(w.fates.get('KUBE-SVC-A')!)).toEqual({
      1: 'missed',
      2: 'missed',
      3: 'matched',
    });
    expect(Object.fromEntries(w.fates.get('KUBE-SEP-2')!)).toEqual({ 1: 'missed', 2: 'matched' });
    // KUBE-SERVICES rule 3 comes after the DNAT ended the walk: never tested.
    expect(w.fates.get('KUBE-SERVICES')!.has(3)).toBe(false);
    expect(w.fates.has('KUBE-SEP-1')).toBe(false);
    expect(w.tested).toBe(1 + 2 + 3 + 2);
    expect(w.entered).toEqual(['PREROUTING', 'KUBE-SERVICES', 'KUBE-SVC-A', 'KUBE-SEP-2']);
  });

  it('a jump to a chain that falls off its end returns to the next rule of the caller (MARK goes on)', () => {
    // A source outside the pod CIDR: KUBE-SVC-A 1 jumps to KUBE-MARK-MASQ, whose MARK goes
    // on to the end of that chain and back to KUBE-SVC-A rule 2.
    const hits = [
      { chain: 'PREROUTING', rule: 1 },
      { chain: 'KUBE-SERVICES', rule: 2 },
      { chain: 'KUBE-SVC-A', rule: 1 },
      { chain: 'KUBE-MARK-MASQ', rule: 1 },
      { chain: 'KUBE-SVC-A', rule: 2 },
      { chain: 'KUBE-SEP-1', rule: 2 },
    ];
    const w = walkTable('PREROUTING', hits, table(NAT));
    expect(Object.fromEntries(w.fates.get('KUBE-SVC-A')!)).toEqual({ 1: 'matched', 2: 'matched' });
    expect(Object.fromEntries(w.fates.get('KUBE-MARK-MASQ')!)).toEqual({ 1: 'matched' });
    expect(w.tested).toBe(1 + 2 + 2 + 1 + 2);
  });

  it('no rule matched: every rule of the hook chain and of no other is tested (the policy decides)', () => {
    const w = walkTable(
      'PREROUTING',
      [],
      table(
        '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -d 10.0.0.1/32 -j ACCEPT\n-A PREROUTING -d 10.0.0.2/32 -j ACCEPT\nCOMMIT\n',
      ),
    );
    expect(Object.fromEntries(w.fates.get('PREROUTING')!)).toEqual({ 1: 'missed', 2: 'missed' });
    expect(w.tested).toBe(2);
  });
});
