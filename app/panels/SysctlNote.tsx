/**
 * Under a host's iptables heading: the sysctls that decide whether its packets meet the
 * rules at all. Without net.bridge.bridge-nf-call-iptables a bridged pod-to-pod packet
 * never reaches PREROUTING; without ip_forward nothing is routed through the node.
 */
import type { Netns } from '@kubewire/sim-core';
import { sysctlAll } from '@kubewire/sim-core';

const NOTE_KEYS = ['net.bridge.bridge-nf-call-iptables', 'net.ipv4.ip_forward'];

export function SysctlNote({ ns }: { readonly ns: Netns }) {
  const set = sysctlAll(ns).filter(([k]) => NOTE_KEYS.includes(k));
  if (!set.length) return null;
  return (
    <div className="terminal-note">
      {set.map(([k, v]) => (
        <span key={k} className={v === '0' ? 'sysctl off' : 'sysctl'}>
          {k} = {v}
        </span>
      ))}
    </div>
  );
}
