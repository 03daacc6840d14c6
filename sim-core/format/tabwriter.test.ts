/**
 * Go's text/tabwriter as kubectl uses it. The expected strings are the
 * upstream tests' own: printers_test.go (TestPrintReplicaSet,
 * TestPrintPersistentVolumeClaim, printed with NoHeaders through
 * kubectl's table writer) and text/tabwriter's example_test.go
 * (Example_elastic's column blocks).
 */
import { describe, expect, it } from 'vitest';
import { KUBECTL_GET, tabwrite } from './tabwriter.ts';

describe('tabwrite', () => {
  it('kubectl get: minwidth 6, padding 3, the last cell unpadded (TestPrintReplicaSet)', () => {
    expect(tabwrite('test1\t5\t5\t2\t0s\n', KUBECTL_GET)).toBe('test1   5     5     2     0s\n');
    expect(
      tabwrite(
        'test1\t5\t5\t2\t0s\tfake-container1,fake-container2\tfake-image1,fake-image2\tfoo=bar\n',
        KUBECTL_GET,
      ),
    ).toBe(
      'test1   5     5     2     0s    fake-container1,fake-container2   fake-image1,fake-image2   foo=bar\n',
    );
  });

  it('empty cells still take minwidth (TestPrintPersistentVolumeClaim "test2": volume, capacity, access modes, class empty)', () => {
    expect(tabwrite('test2\tLost\t\t\t\t\t<unknown>\tFilesystem\n', KUBECTL_GET)).toBe(
      'test2   Lost                           <unknown>   Filesystem\n',
    );
  });

  it('a line with fewer cells ends the column block (text/tabwriter Example_elastic)', () => {
    // Upstream pads with '.', right-aligned, '|' between cells: "....a|..b|c", "...aa|.bb|cc",
    // "..aaa|", ".aaaa|.dddd|eeee" — the b's and the d's are in different column blocks.
    // The same widths left-aligned with spaces:
    const text = 'a\tb\tc\naa\tbb\tcc\naaa\t\naaaa\tdddd\teeee\n';
    expect(tabwrite(text, { minwidth: 0, padding: 1 })).toBe(
      'a    b  c\naa   bb cc\naaa  \naaaa dddd eeee\n',
    );
    expect(tabwrite('x:\t1\nheading\ny:\t22\nlonger:\t3\n', { minwidth: 0, padding: 2 })).toBe(
      'x:  1\nheading\ny:       22\nlonger:  3\n',
    );
  });
});
