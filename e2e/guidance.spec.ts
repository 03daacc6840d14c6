/**
 * Issue 9.8 and 9.10: what a first-time student is told by the picture itself. The packet's
 * badge says what the packet is (ARP request or reply, SYN or SYN-ACK, echo request, DNS
 * query), read from the frame's bytes; a tunnel packet's envelope names the UDP port the
 * CNI really uses. Steps are found in the simulation by their tshark-style summaries.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { createSimulation, type Step } from '../sim-core/index.ts';
import { KubewirePage } from './pages/KubewirePage.ts';

export function stepIndex(scenario: string, pick: (s: Step) => boolean): number {
  const r = createSimulation(readFileSync(`public/scenarios/${scenario}.yaml`, 'utf8'));
  if (!r.ok) throw new Error(`${scenario} does not load`);
  const i = r.sim.steps.findIndex(pick);
  if (i < 0) throw new Error(`${scenario}: no step for ${pick.toString()}`);
  return i;
}

const summary = (re: RegExp) => (s: Step) => !!s.frame && re.test(s.summary);

/** The badge's text and whether it sits inside its rounded box. */
async function badge(page: Page) {
  const packet = page.locator('svg.topology-overlay [data-testid="packet"]').first();
  await expect(packet).toBeAttached();
  return packet.evaluate((g) => {
    const rect = g.querySelector(':scope > rect')!.getBoundingClientRect();
    const text = g.querySelector(':scope > text.packet-label')!;
    const t = text.getBoundingClientRect();
    const envelope = g.querySelector('.envelope text')?.textContent ?? null;
    return {
      label: text.textContent,
      envelope,
      fits: t.left >= rect.left && t.right <= rect.right && t.width > 0,
    };
  });
}

test.use({ reducedMotion: 'reduce' });

const CASES: { scenario: string; pick: (s: Step) => boolean; label: string; envelope?: string }[] =
  [
    { scenario: 'same-node', pick: summary(/^Who has 10\.244\.0\.3/), label: 'ARP req' },
    { scenario: 'same-node', pick: summary(/10\.244\.0\.3 is at/), label: 'ARP reply' },
    { scenario: 'same-node', pick: summary(/Echo \(ping\) request/), label: 'ICMP req' },
    { scenario: 'same-node', pick: summary(/Echo \(ping\) reply/), label: 'ICMP reply' },
    { scenario: 'same-node', pick: summary(/\[SYN\]/), label: 'TCP SYN' },
    { scenario: 'same-node', pick: summary(/\[SYN, ACK\]/), label: 'TCP SYN-ACK' },
    { scenario: 'same-node', pick: summary(/\[FIN, ACK\]/), label: 'TCP FIN' },
    { scenario: 'dns-service-name', pick: summary(/^Standard query 0x/), label: 'DNS query' },
    {
      scenario: 'dns-service-name',
      pick: summary(/^Standard query response/),
      label: 'DNS response',
    },
    {
      scenario: 'cross-node-vxlan',
      pick: (s) => s.kind === 'encap',
      label: 'ICMP req',
      envelope: 'VXLAN · UDP 8472',
    },
    {
      scenario: 'calico-vxlan',
      pick: (s) => s.kind === 'encap' && !!s.frame,
      label: 'ICMP req',
      envelope: 'VXLAN · UDP 4789',
    },
  ];

test('[GUIDE1] the packet badge says what the packet is, as Wireshark would', async ({ page }) => {
  const app = new KubewirePage(page);
  for (const size of [
    { width: 1440, height: 900 },
    { width: 800, height: 500 },
  ]) {
    await page.setViewportSize(size);
    for (const c of CASES) {
      const i = stepIndex(c.scenario, c.pick);
      await app.open(`#scenario=${c.scenario}&step=${i}`);
      await expect(app.counter.locator('strong')).toHaveText(String(i));
      const b = await badge(page);
      const where = `${c.scenario} step ${i} at ${size.width}×${size.height}`;
      expect(b.label, where).toBe(c.label);
      expect(b.fits, `${where}: "${b.label}" inside its badge`).toBe(true);
      if (c.envelope) expect(b.envelope, where).toBe(c.envelope);
    }
  }
});

test('[GUIDE3] a drop is shown as a drop: a ✕ with the reason where the packet died, named for a screen reader', async ({
  page,
}) => {
  const app = new KubewirePage(page);
  const cases = [
    {
      scenario: 'fault-vxlan-drop',
      pick: (s: Step) => s.facts.type === 'nf.drop',
      name: 'Packet dropped at node-2 eth0: filter INPUT DROP (rule 1)',
    },
    {
      scenario: 'pod-lifecycle',
      pick: (s: Step) => s.facts.type === 'neigh.failed',
      name: 'Packet dropped at client eth0: no ARP reply for 10.244.0.4',
    },
  ];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const c of cases) {
      const i = stepIndex(c.scenario, c.pick);
      await app.open(`#scenario=${c.scenario}&step=${i}`);
      await expect(app.counter.locator('strong')).toHaveText(String(i));
      const mark = app.topology.getByRole('img', { name: c.name });
      await expect(mark, `${c.scenario} step ${i} (${scheme})`).toBeVisible();
      // Not on the step before: the mark belongs to the step that drops.
      await app.stepBack();
      await expect(app.topology.getByTestId('drop-mark')).toHaveCount(0);
    }
  }
});
