/**
 * Our ipset and iptables output against the machine's own ipset and iptables,
 * each inside a fresh network namespace: kube-proxy's sets restored with the
 * real `ipset restore` and listed back with `ipset list`; its chains made,
 * jumps prepended and restore text loaded as kube-proxy does, then the real
 * iptables-save compared with ours. Root only; skipped with the reason printed.
 */
import { describe, expect, it } from 'vitest';
import type { EndpointSlice, ProxyNode, Service } from '../../api-types.ts';
import { parseIptablesRestore } from '../../../dataplane/netfilter/restore.ts';
import { iptablesSave } from '../../../dataplane/netfilter/save.ts';
import {
  IPVS_CHAINS,
  IPVS_JUMP_RULES,
  ipsetList,
  ipsetSave,
  jumpRuleCommand,
  setReferences,
  syncIpvsProxier,
} from './index.ts';
import { inNetns, netnsSkipReason } from '../../../test/netns.ts';

const reason = netnsSkipReason(['ipset', 'iptables']);
if (reason) console.warn(`kube-proxy IPVS live tests skipped: ${reason}`);

const node: ProxyNode = { name: 'n1', ip: '192.168.1.10', clusterCIDR: '10.244.0.0/16' };
const base = {
  sessionAffinity: 'None',
  externalTrafficPolicy: 'Cluster',
  internalTrafficPolicy: 'Cluster',
} as const;
const services: Service[] = [
  {
    metadata: { namespace: 'default', name: 'kubernetes' },
    spec: {
      ...base,
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }],
      sessionAffinity: 'ClientIP',
    },
  },
  {
    metadata: { namespace: 'kube-system', name: 'kube-dns' },
    spec: {
      ...base,
      type: 'ClusterIP',
      clusterIP: '10.96.0.10',
      ports: [
        { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
        { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
      ],
    },
  },
  {
    metadata: { namespace: 'default', name: 'web' },
    spec: {
      ...base,
      type: 'LoadBalancer',
      clusterIP: '10.96.100.7',
      externalIPs: ['203.0.113.9'],
      loadBalancerSourceRanges: ['192.168.0.0/16'],
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: 32000,
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }],
    },
    loadBalancerIngress: ['198.51.100.20'],
  },
];
const slices: EndpointSlice[] = [
  {
    metadata: {
      namespace: 'kube-system',
      name: 'kube-dns-a',
      labels: { 'kubernetes.io/service-name': 'kube-dns' },
    },
    addressType: 'IPv4',
    endpoints: [
      {
        addresses: ['10.244.0.3'],
        nodeName: 'n1',
        conditions: { ready: true, serving: true, terminating: false },
      },
    ],
    ports: [
      { name: 'dns', protocol: 'UDP', port: 53 },
      { name: 'dns-tcp', protocol: 'TCP', port: 53 },
    ],
  },
  {
    metadata: {
      namespace: 'default',
      name: 'web-a',
      labels: { 'kubernetes.io/service-name': 'web' },
    },
    addressType: 'IPv4',
    endpoints: [
      {
        addresses: ['10.244.0.5'],
        nodeName: 'n1',
        conditions: { ready: true, serving: true, terminating: false },
      },
      {
        addresses: ['10.244.1.7'],
        nodeName: 'n2',
        conditions: { ready: true, serving: true, terminating: false },
      },
    ],
    ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
  },
];

describe.skipIf(reason !== undefined)(
  `against the real ipset and iptables${reason ? ` (skipped: ${reason})` : ''}`,
  () => {
    const sync = syncIpvsProxier(services, slices, node, {
      localAddresses: ['192.168.1.10', '10.244.0.1', '127.0.0.1'],
    });
    const initvals = new Map(sync.ipsets.map((s, i) => [s.name, (0x9e3779b9 * (i + 1)) >>> 0]));

    it('ipset restore of our ipset save, then ipset list, is our ipset list', () => {
      inNetns('kwipvs', (exec) => {
        // kube-proxy adds entries in sorted order; restore them in that order.
        const text = sync.ipsets
          .map((s) =>
            [
              `create ${s.name} ${ipsetSave([s], (n) => ({ initval: initvals.get(n) }))
                .split('\n')[0]
                .split(' ')
                .slice(2)
                .join(' ')}`,
              ...s.entries.map((e) => `add ${s.name} ${e}`),
            ].join('\n'),
          )
          .join('\n');
        const r = exec(['ipset', 'restore'], `${text}\n`);
        expect(r.stderr).toBe('');
        expect(exec(['ipset', 'list']).stdout).toBe(
          ipsetList(sync.ipsets, (n) => ({ initval: initvals.get(n) })),
        );
        expect(exec(['ipset', 'save']).stdout).toBe(
          ipsetSave(sync.ipsets, (n) => ({ initval: initvals.get(n) })),
        );
      });
    });

    it('chains, prepended jumps and the restore text give our iptables-save, and the sets their References', () => {
      inNetns('kwipvs', (exec) => {
        for (const s of sync.ipsets)
          expect(
            exec([
              'ipset',
              'create',
              s.name,
              s.type,
              ...(s.type === 'bitmap:port' ? ['range', '0-65535'] : []),
            ]).status,
          ).toBe(0);
        for (const table of ['nat', 'filter'] as const)
          for (const chain of IPVS_CHAINS[table])
            expect(exec(['iptables', '-t', table, '-N', chain]).status).toBe(0);
        for (const j of IPVS_JUMP_RULES)
          expect(exec(['iptables', ...jumpRuleCommand(j)]).stderr).toBe('');
        const restore = exec(['iptables-restore', '--noflush', '--counters'], sync.iptablesRestore);
        expect(restore.stderr).toBe('');
        const ours = parseIptablesRestore(sync.iptablesFile);
        if (!ours.ok) throw new Error(JSON.stringify(ours.errors));
        const real = exec(['iptables-save']).stdout.replace(/^#.*\n/gm, '');
        expect(iptablesSave(ours.ruleset)).toBe(real);
        const refs = setReferences(sync.iptablesFile);
        const listed = exec(['ipset', 'list']).stdout;
        for (const s of sync.ipsets) {
          const m = listed.match(new RegExp(`Name: ${s.name}\\n(?:.*\\n){4}References: (\\d+)`));
          expect(Number(m?.[1]), s.name).toBe(refs.get(s.name) ?? 0);
        }
      });
    });
  },
);
