/**
 * connect()'s source port (net/ipv4/inet_hashtables.c, __inet_hash_connect):
 * start at a per-destination offset into ip_local_port_range (a keyed hash
 * of the addresses and destination port, plus that destination's
 * table_perturb slot), and try only ports of the range start's parity — even
 * ones, leaving odd ports to bind() (Linux ≥ 4.6) — stepping by 2 past ports
 * in use. After a success the slot grows by 2 plus a random 0–14, so
 * consecutive connections to one service get ports a few apart: reference
 * 4c's tries from pod A to 10.96.0.50:80 used 50714, 50726, 50740, 50744 ….
 */
import type { Netns } from '../model.ts';
import { sysctl } from './sysctl.ts';
import type { TcpEnv } from './tcp-env.ts';
import { tcpRng } from './tcp-env.ts';
import { portOffset } from './tcp-secure.ts';
import { u32 } from './tcp-sock.ts';

/** INET_TABLE_PERTURB_SIZE (1 << 16). */
const PERTURB_SLOTS = 1 << 16;

export function localPortRange(ns: Netns): [number, number] {
  const [low, high] = (sysctl(ns, 'net.ipv4.ip_local_port_range') ?? '32768 60999')
    .split(/\s+/)
    .map(Number);
  return [low, high];
}

/**
 * A port is taken for this connection when a listener holds it, or another
 * connection already uses it toward the same destination (check_established;
 * connect()-only ports are shared between destinations).
 */
function inUse(ns: Netns, saddr: string, port: number, daddr: string, dport: number): boolean {
  return (ns.sockets ?? []).some(
    (s) =>
      s.protocol === 'tcp' &&
      s.localPort === port &&
      (s.state === 'LISTEN' ||
        (s.localAddr === saddr && s.peerAddr === daddr && s.peerPort === dport)),
  );
}

/** The source port for a connection from saddr to daddr:dport, or undefined when the range is used up (EADDRNOTAVAIL). */
export function ephemeralPort(
  env: TcpEnv,
  ns: Netns,
  saddr: string,
  daddr: string,
  dport: number,
): number | undefined {
  const [low, high] = localPortRange(ns);
  let remaining = high + 1 - low;
  if (remaining > 1) remaining &= ~1;
  const { offset: base, slot: hash } = portOffset(env.secret(), saddr, daddr, dport);
  const slot = hash % PERTURB_SLOTS;
  const rng = tcpRng(env);
  // get_random_sleepable_once: the table starts random.
  const perturb = env.perturb.get(slot) ?? rng.u32();
  const offset = (u32(perturb + base) % remaining) & ~1;
  for (let i = 0; i < remaining; i += 2) {
    let port = low + offset + i;
    if (port > high) port -= remaining;
    if (inUse(ns, saddr, port, daddr, dport)) continue;
    // "a little bit of randomness to the next source port": max(i, random(0..7) * 2).
    const step = Math.max(i, rng.int(0, 7) * 2);
    env.perturb.set(slot, u32(perturb + step + 2));
    return port;
  }
  return undefined;
}
