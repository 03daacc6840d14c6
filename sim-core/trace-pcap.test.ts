/**
 * The exported trace, decoded by the real tshark (Debian's package), must say
 * what our inspector says: every field our decoded layers name, at the same
 * byte offset, with the same value; and tshark must find our checksums good.
 */
import { describe, expect, it } from 'vitest';
import type { Field } from './wire/layers.ts';
import { flattenTshark, hasTshark, runTshark } from './wire/tshark-helper.ts';
import { publicScenario, scenarioYaml, simulate } from './test/driver.ts';

if (!hasTshark)
  console.warn('SKIP trace-pcap.test.ts: tshark is not installed (apt-get install tshark)');

const WORDS: Record<string, number> = { set: 1, 'not set': 0, good: 1, bad: 0, unverified: 2 };

function num(token: string): string | number {
  const t = token.replace(/[,;:]$/, '');
  if (/^0x[0-9a-f]+$/.test(t)) return parseInt(t, 16);
  if (/^\d+$/.test(t)) return Number(t);
  return t;
}

/**
 * Readings of our display value ("ARP (0x0806)", "20 bytes (5)", "Not set",
 * "Good") that may equal tshark's raw field value ("0x0806", "20", "0", "1").
 */
function readings(v: string): (string | number)[] {
  const lower = v.trim().toLowerCase();
  if (lower in WORDS) return [WORDS[lower]];
  const inner = /\(([^()]+)\)$/.exec(lower);
  return [num(lower.split(/[\s(]/)[0]), ...(inner ? [num(inner[1])] : []), lower];
}

const hexOf = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');
const BYTE_STRING = /^[0-9a-f]{2}(:[0-9a-f]{2})+$/;

function flatten(fields: readonly Field[]): Field[] {
  return fields.flatMap((f) => [f, ...flatten(f.children ?? [])]);
}

async function compare(text: string) {
  const sim = simulate(text);
  const steps = sim.steps.filter((s) => s.captured && s.frame);
  const packets = (await runTshark(sim.exportPcap()))!;
  expect(packets.length).toBe(steps.length);
  const problems: string[] = [];
  let compared = 0;
  steps.forEach((step, i) => {
    const theirs = flattenTshark(packets[i]._source.layers);
    for (const f of flatten(step.layers!.flatMap((l) => l.fields))) {
      const candidates = theirs.get(f.name);
      if (!candidates) continue;
      const same = candidates.find((c) => c.offset === undefined || c.offset === f.offset);
      if (!same) {
        problems.push(
          `frame ${i + 1} ${f.name}: offset ${f.offset} not in tshark's ${candidates.map((c) => c.offset)}`,
        );
        continue;
      }
      compared++;
      const bytes = step.frame!.subarray(f.offset, f.offset + f.length);
      const ok =
        (BYTE_STRING.test(same.value) && !/^(eth|arp)\./.test(f.name)) ||
        ['tcp.options.nop', 'tcp.options.eol'].includes(f.name)
          ? same.value === hexOf(bytes) // option blobs: tshark gives the bytes themselves
          : readings(f.value).includes(num(same.value.toLowerCase()));
      if (!ok) problems.push(`frame ${i + 1} ${f.name}: ours "${f.value}", tshark "${same.value}"`);
    }
    for (const status of [
      'ip.checksum.status',
      'tcp.checksum.status',
      'icmp.checksum.status',
      'udp.checksum.status',
    ]) {
      const v = theirs.get(status)?.[0]?.value;
      if (v !== undefined && v !== '1')
        problems.push(`frame ${i + 1} ${status} = ${v} (tshark: not good)`);
    }
  });
  return { problems, compared, packets };
}

describe.skipIf(!hasTshark)('trace → pcap → tshark', () => {
  it('[PCAP1] tshark decodes the same-node trace exactly as the inspector does (ARP, ICMP, TCP)', async () => {
    const { problems, compared, packets } = await compare(publicScenario('same-node.yaml'));
    expect(problems).toEqual([]);
    expect(compared).toBeGreaterThan(100);
    const protocols = packets.map((p) => p._source.layers.frame['frame.protocols']);
    expect(protocols.slice(0, 4)).toEqual([
      'eth:ethertype:arp',
      'eth:ethertype:arp',
      'eth:ethertype:ip:icmp:data',
      'eth:ethertype:ip:icmp:data',
    ]);
    // Reference same-node frames 5–12: handshake, data, its ACK, FIN, FIN, ACK — all plain tcp.
    expect(protocols.slice(4)).toEqual(Array(8).fill('eth:ethertype:ip:tcp'));
  });

  it('[PCAP2] an RST and an unanswered ARP decode cleanly too', async () => {
    const text = scenarioYaml({
      pods: [{ name: 'a' }, { name: 'b', ports: [80] }],
      actions: ['connect: {from: a, to: b, port: 81}', 'ping: {from: a, to: 10.244.0.77}'],
    });
    const { problems } = await compare(text);
    expect(problems).toEqual([]);
  });
});
