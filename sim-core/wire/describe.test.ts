import { describe, expect, it } from 'vitest';
import { decodeFrame, summarizeFrame } from './describe.ts';
import type { Field, Layer } from './layers.ts';
import { fixtureFields, fixtureFrames, fixtureSummaries } from '../test/fixtures/index.ts';

/** All fields of all layers, children included, in tree order. */
function flatten(layers: readonly Layer[]): Field[] {
  const out: Field[] = [];
  const walk = (fs: readonly Field[]) =>
    fs.forEach((f) => {
      out.push(f);
      if (f.children) walk(f.children);
    });
  layers.forEach((l) => walk(l.fields));
  return out;
}

/** tshark -T fields style: every occurrence of `name`, comma-separated (outer,inner for VXLAN). */
function column(layers: readonly Layer[], name: string): string | undefined {
  const vals = flatten(layers)
    .filter((f) => f.name === name)
    .map((f) => f.raw);
  return vals.length ? vals.join(',') : undefined;
}

describe.each(['same-node', 'cross-vxlan'])(
  'decodeFrame vs tshark fields (%s.fields.tsv)',
  (name) => {
    const frames = fixtureFrames(name);
    const rows = fixtureFields(name);

    it.each(rows.map((row, i) => [i + 1, row, frames[i]] as const))(
      'frame %i: every column matches',
      (_n, row, frame) => {
        const layers = decodeFrame(frame);
        expect(Number(row['frame.len'])).toBe(frame.length);
        const compared: string[] = [];
        for (const [col, expected] of Object.entries(row)) {
          if (col.startsWith('frame.')) continue;
          expect({ col, value: column(layers, col) }).toEqual({ col, value: expected });
          compared.push(col);
        }
        expect(compared.length).toBeGreaterThanOrEqual(8);
      },
    );
  },
);

describe('decodeFrame structure', () => {
  const sameNode = fixtureFrames('same-node');
  const vxlan = fixtureFrames('cross-vxlan');

  it('gives Wireshark tree titles', () => {
    expect(decodeFrame(sameNode[0]).map((l) => l.title)).toEqual([
      'Ethernet II, Src: 0a:58:0a:f4:00:02, Dst: ff:ff:ff:ff:ff:ff',
      'Address Resolution Protocol (request)',
    ]);
    expect(decodeFrame(sameNode[2]).map((l) => l.title)).toEqual([
      'Ethernet II, Src: 0a:58:0a:f4:00:02, Dst: 0a:58:0a:f4:00:03',
      'Internet Protocol Version 4, Src: 10.244.0.2, Dst: 10.244.0.3',
      'Internet Control Message Protocol',
      'Data (48 bytes)',
    ]);
    expect(decodeFrame(sameNode[4])[2].title).toBe(
      'Transmission Control Protocol, Src Port: 33944, Dst Port: 8080, Seq: 2799154726, Len: 0',
    );
    expect(decodeFrame(vxlan[2]).map((l) => l.protocol)).toEqual([
      'eth',
      'ipv4',
      'udp',
      'vxlan',
      'eth',
      'ipv4',
      'icmp',
      'data',
    ]);
  });

  it('gives labels and values as Wireshark shows them (same-node.dissect.txt frame 3)', () => {
    const byName = new Map(flatten(decodeFrame(sameNode[2])).map((f) => [f.name, f]));
    const shown = (n: string) => `${byName.get(n)!.label}: ${byName.get(n)!.value}`;
    expect(shown('ip.ttl')).toBe('Time to Live: 64');
    expect(shown('ip.id')).toBe('Identification: 0xbb5c (47964)');
    expect(shown('ip.dsfield')).toBe(
      'Differentiated Services Field: 0x00 (DSCP: CS0, ECN: Not-ECT)',
    );
    expect(shown('ip.flags')).toBe("Flags: 0x2, Don't fragment");
    expect(shown('ip.flags.df')).toBe("Don't fragment: Set");
    expect(shown('ip.hdr_len')).toBe('Header Length: 20 bytes (5)');
    expect(shown('ip.proto')).toBe('Protocol: ICMP (1)');
    expect(shown('ip.checksum')).toBe('Header Checksum: 0x6960 [correct]');
    expect(shown('icmp.type')).toBe('Type: 8 (Echo (ping) request)');
    expect(shown('icmp.checksum')).toBe('Checksum: 0x969f [correct]');
    expect(shown('icmp.ident')).toBe('Identifier (BE): 8687 (0x21ef)');
    expect(shown('icmp.seq_le')).toBe('Sequence Number (LE): 256 (0x0100)');
    expect(shown('icmp.data_time')).toBe(
      'Timestamp from icmp data: Nov 25, 2026 12:15:46.000000000 UTC',
    );
    expect(shown('eth.type')).toBe('Type: IPv4 (0x0800)');
  });

  it('pads a one-digit day with a space in ICMP timestamps, as tshark does ("Jan  1")', () => {
    const f = sameNode[2].slice();
    f.set([0x01, 0xb9, 0x55, 0x69], 42); // 0x6955b901 = 2026-01-01 00:00:01 UTC, little-endian
    const t = flatten(decodeFrame(f)).find((x) => x.name === 'icmp.data_time')!;
    expect(t.value).toBe('Jan  1, 2026 00:00:01.000000000 UTC');
  });

  it('shows TCP options and flags like the dissection of frame 5', () => {
    const byName = new Map(flatten(decodeFrame(sameNode[4])).map((f) => [f.name, f]));
    expect(byName.get('tcp.flags')!.value).toBe('0x002 (SYN)');
    expect(byName.get('tcp.options')!.value).toBe(
      '(20 bytes), Maximum segment size, SACK permitted, Timestamps, No-Operation (NOP), Window scale',
    );
    expect(byName.get('tcp.options.wscale')!.value).toBe('10 (multiply by 1024)');
    expect(byName.get('tcp.options.timestamp')!.value).toBe('TSval 2435963932, TSecr 0');
    expect(byName.get('tcp.hdr_len')!.value).toBe('40 bytes (10)');
    // The capture's checksum is partial (veth offload); the decoder says so, as tshark does.
    expect(byName.get('tcp.checksum')!.value).toBe('0x161b [incorrect, should be 0xc8aa]');
    expect(byName.get('tcp.checksum.status')!.value).toBe('Bad');
  });

  it('places every field on the bytes it describes', () => {
    for (const frame of [...sameNode, ...vxlan]) {
      const layers = decodeFrame(frame);
      for (const l of layers) {
        expect(l.offset + l.length).toBeLessThanOrEqual(frame.length);
        for (const f of flatten([l])) {
          expect(f.offset).toBeGreaterThanOrEqual(l.offset);
          expect(f.offset + f.length).toBeLessThanOrEqual(l.offset + l.length);
        }
      }
      // Spot checks: the bytes under a field are that field.
      for (const f of flatten(layers)) {
        const b = frame.subarray(f.offset, f.offset + f.length);
        if (f.name === 'ip.ttl') expect(String(b[0])).toBe(f.raw);
        if (f.name.endsWith('.src') || f.name.endsWith('.dst')) {
          expect(
            b.length === 6
              ? [...b].map((x) => x.toString(16).padStart(2, '0')).join(':')
              : [...b].join('.'),
          ).toBe(f.raw);
        }
        if (f.name === 'tcp.options.mss_val') expect((b[0] << 8) | b[1]).toBe(1460);
        if (f.name === 'vxlan.vni') expect([...b]).toEqual([0, 0, 1]);
      }
    }
    const mss = flatten(decodeFrame(sameNode[4])).find((f) => f.name === 'tcp.options.mss_val')!;
    expect([mss.offset, mss.length]).toEqual([56, 2]);
    const innerTtl = flatten(decodeFrame(vxlan[2])).filter((f) => f.name === 'ip.ttl')[1];
    expect([innerTtl.offset, innerTtl.raw]).toEqual([72, '63']);
  });

  it('never throws: truncated frames end in a Malformed layer', () => {
    const cut = sameNode[4].subarray(0, 50);
    const layers = decodeFrame(cut);
    expect(layers.map((l) => l.protocol)).toEqual(['eth', 'data']);
    expect(layers[1].title).toMatch(/^\[Malformed Packet: /);
    expect(decodeFrame(new Uint8Array(5))[0].title).toMatch(/Malformed/);
    expect(summarizeFrame(cut)).toMatch(/^\[Malformed Packet/);
  });
});

describe('summarizeFrame vs tshark Info column', () => {
  const strip = (s: string) =>
    s.replace(/ \(request in \d+\)$/, '').replace(/ \[TCP segment of a reassembled PDU\]$/, '');

  it.each(['same-node', 'cross-vxlan'])('ARP and ICMP lines of %s match exactly', (name) => {
    const frames = fixtureFrames(name);
    fixtureSummaries(name).forEach((info, i) => {
      if (/^(Who has|\S+ is at|Echo)/.test(info))
        expect(summarizeFrame(frames[i])).toBe(strip(info));
    });
  });

  it('TCP lines match tshark once its relative Seq/Ack and scaled Win are put back to raw', () => {
    const frames = fixtureFrames('same-node');
    expect(summarizeFrame(frames[4])).toBe(
      '33944 → 8080 [SYN] Seq=2799154726 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=2435963932 TSecr=0 WS=1024',
    );
    expect(summarizeFrame(frames[5])).toBe(
      '8080 → 33944 [SYN, ACK] Seq=2249792757 Ack=2799154727 Win=65160 Len=0 MSS=1460 SACK_PERM TSval=3373206169 TSecr=2435963932 WS=1024',
    );
    const norm = (s: string) => strip(s).replace(/(Seq|Ack|Win)=\d+/g, '$1=N');
    fixtureSummaries('same-node').forEach((info, i) => {
      if (i >= 4) expect(norm(summarizeFrame(frames[i]))).toBe(norm(info));
    });
  });
});
