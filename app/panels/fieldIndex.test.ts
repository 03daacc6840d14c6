import { describe, expect, it } from 'vitest';
import type { Layer } from '@kubewire/sim-core';
import { fieldAt, flattenLayers } from './fieldIndex.ts';

const layers: Layer[] = [
  {
    protocol: 'eth',
    title: 'Ethernet II',
    offset: 0,
    length: 14,
    fields: [
      { name: 'eth.dst', label: 'Destination', value: 'ff:ff:ff:ff:ff:ff', offset: 0, length: 6 },
      { name: 'eth.src', label: 'Source', value: '0a:58:0a:f4:00:02', offset: 6, length: 6 },
      { name: 'eth.type', label: 'Type', value: 'ARP (0x0806)', offset: 12, length: 2 },
    ],
  },
  {
    protocol: 'ipv4',
    title: 'Internet Protocol Version 4',
    offset: 14,
    length: 20,
    fields: [
      {
        name: 'ip.flags',
        label: 'Flags',
        value: '0x2',
        offset: 20,
        length: 1,
        children: [
          { name: 'ip.flags.df', label: "Don't fragment", value: 'Set', offset: 20, length: 1 },
        ],
      },
    ],
  },
];

describe('field index', () => {
  it('gives every layer and field a stable path', () => {
    expect(flattenLayers(layers).map((f) => f.path)).toEqual([
      '0',
      '0.0',
      '0.1',
      '0.2',
      '1',
      '1.0',
      '1.0.0',
    ]);
  });

  it('finds the most specific field covering a byte', () => {
    const flat = flattenLayers(layers);
    expect(fieldAt(flat, 0)?.label).toBe('Destination');
    expect(fieldAt(flat, 13)?.label).toBe('Type');
    expect(fieldAt(flat, 20)?.label).toBe("Don't fragment");
    expect(fieldAt(flat, 16)?.path).toBe('1'); // no field, the layer itself
    expect(fieldAt(flat, 99)).toBeUndefined();
  });
});
