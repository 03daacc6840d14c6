/**
 * The Services in play: those a scenario action's packets were NATed to or
 * from (see nat.ts). A big cluster's band shows only these and a count of
 * the rest. Computed once per simulation by one pass over the steps' facts.
 */
import type { Simulation } from '@kubewire/sim-core';
import { natOf, natService } from './nat.ts';
import { serviceAddresses } from './services.ts';

const cache = new WeakMap<Simulation, ReadonlyMap<number, readonly string[]>>();

/** Action index → the keys of the Services its packets were NATed for, in order of first use. */
export function servicesByAction(sim: Simulation): ReadonlyMap<number, readonly string[]> {
  const hit = cache.get(sim);
  if (hit) return hit;
  const last = sim.steps.length ? sim.stateAt(sim.steps.length - 1) : sim.initial;
  const addresses = serviceAddresses(last.api?.services ?? [], last.nodes);
  const out = new Map<number, string[]>();
  for (const step of sim.steps) {
    const nat = natOf(step.facts);
    const linked = nat && natService(nat, addresses);
    if (!linked) continue;
    const list = out.get(step.action) ?? [];
    if (!list.includes(linked.service)) list.push(linked.service);
    out.set(step.action, list);
  }
  cache.set(sim, out);
  return out;
}
