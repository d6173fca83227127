import { describe, expect, it } from 'vitest';
import { summarizeConfusion, TOP_CONFUSIONS } from '../../../../src/core/metrics/confusionSummary';
import type { ShotGroup } from '../../../../src/core/metrics';

/** Cells [true, predicted, rows, ...] as a worker merge leaves them (a cell may be listed twice). */
const cells = (...triples: [number, number, number][]) => Int32Array.from(triples.flat());

describe('summarizeConfusion', () => {
  const groups: ShotGroup[] = ['many', 'medium', 'few', 'few'];

  it('adds up the mass between shot groups, a cell listed twice included', () => {
    const c = cells([0, 0, 5], [0, 2, 1], [2, 0, 3], [2, 0, 2], [3, 3, 4], [1, 3, 2]);
    const { mass } = summarizeConfusion(c, 4, groups, new Int32Array(16));
    expect(mass).toEqual([
      [5, 0, 1],
      [0, 0, 2],
      [5, 0, 4],
    ]);
  });

  it('lists the largest off-diagonal cells first, merged, ties in row-major order, and leaves the scratch zeroed', () => {
    const scratch = new Int32Array(16);
    const c = cells([2, 0, 3], [1, 3, 2], [0, 2, 2], [2, 0, 2], [1, 1, 9], [3, 1, 2]);
    const { pairs } = summarizeConfusion(c, 4, groups, scratch);
    expect(pairs).toEqual([
      { y: 2, p: 0, n: 5, at: 8 },
      { y: 0, p: 2, n: 2, at: 2 },
      { y: 1, p: 3, n: 2, at: 7 },
      { y: 3, p: 1, n: 2, at: 13 },
    ]);
    expect(Array.from(scratch).every((x) => x === 0)).toBe(true);
  });

  it(`keeps only the top ${TOP_CONFUSIONS}`, () => {
    const many = Array.from({ length: 30 }, (_, k): [number, number, number] => [k, (k + 1) % 30, k + 1]);
    const { pairs } = summarizeConfusion(cells(...many), 30, new Array<ShotGroup>(30).fill('many'), new Int32Array(900));
    expect(pairs.map((p) => p.n)).toEqual([30, 29, 28, 27, 26, 25, 24, 23, 22, 21]);
  });
});
