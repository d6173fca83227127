import { describe, expect, it } from 'vitest';
import { calibratedProbs, maxSoftmax, meanRows, sourceLogits } from '../../../../src/core/estimate/posterior';

const logits = Float32Array.of(1, 2, 3, -1, 0, 50);

describe('sourceLogits', () => {
  it('keeps CE logits and adds log(p_s + 1e-9) to prior-free ones', () => {
    expect(sourceLogits(logits, 3, 'ce', undefined)).toBe(logits);
    const prior = [0.5, 0.5, 0];
    const s = sourceLogits(logits, 3, 'lade', prior);
    expect(s[0]).toBeCloseTo(1 + Math.log(0.5 + 1e-9), 12);
    expect(s[5]).toBeCloseTo(50 + Math.log(1e-9), 12);
    expect(() => sourceLogits(logits, 3, 'bs', undefined)).toThrow(/needs the source prior/);
  });
});

describe('calibratedProbs / maxSoftmax', () => {
  it('gives normalised rows of softmax(s / T + b), stable for large logits', () => {
    const b = Float64Array.of(0, 0.5, -0.5);
    const p = calibratedProbs(logits, 3, 2, b);
    const z = [0.5, 1.5, 1];
    const norm = z.reduce((a, v) => a + Math.exp(v), 0);
    z.forEach((v, c) => expect(p[c]).toBeCloseTo(Math.exp(v) / norm, 12));
    expect(p[3] + p[4] + p[5]).toBeCloseTo(1, 12);
    expect(Array.from(meanRows(p, 3)).reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
  });

  it('maxSoftmax is the largest uncalibrated probability of each row', () => {
    const p = calibratedProbs(logits, 3, 1, new Float64Array(3));
    const m = maxSoftmax(logits, 3);
    expect(m[0]).toBeCloseTo(Math.max(p[0], p[1], p[2]), 14);
    expect(m[1]).toBeCloseTo(1, 14);
  });
});
