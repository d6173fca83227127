import { describe, expect, it } from 'vitest';
import { labelShiftCheck, weightedKs } from '../../../../src/core/estimate/shiftCheck';

describe('weightedKs', () => {
  it('is the classic two-sample KS statistic without weights', () => {
    expect(weightedKs(Float64Array.of(1, 2, 3), undefined, Float64Array.of(2, 3, 4))).toBeCloseTo(1 / 3, 15);
    expect(weightedKs(Float64Array.of(1, 2), undefined, Float64Array.of(3, 4))).toBe(1);
    expect(weightedKs(Float64Array.of(3, 1, 2), undefined, Float64Array.of(2, 1, 3))).toBe(0);
  });

  it('treats integer weights as repeated values', () => {
    const weighted = weightedKs(Float64Array.of(1, 2, 3), Float64Array.of(3, 1, 2), Float64Array.of(1.5, 2.5, 2.5, 4));
    const repeated = weightedKs(Float64Array.of(1, 1, 1, 2, 3, 3), undefined, Float64Array.of(1.5, 2.5, 2.5, 4));
    expect(weighted).toBeCloseTo(repeated, 15);
  });
});

describe('labelShiftCheck', () => {
  // Class 0 images score 0.9, class 1 images 0.6; validation is 50/50.
  const valStat = Float64Array.of(0.9, 0.9, 0.9, 0.9, 0.9, 0.6, 0.6, 0.6, 0.6, 0.6);
  const valLabels = Int32Array.of(0, 0, 0, 0, 0, 1, 1, 1, 1, 1);
  const deployStat = new Float64Array(400).map((_, j) => (j < 300 ? 0.9 : 0.6));

  it('finds no violation when reweighting by the right prior explains the deployment set', () => {
    const check = labelShiftCheck(valStat, valLabels, deployStat, Float64Array.of(0.75, 0.25), 2);
    expect(check.statistic).toBeCloseTo(0, 12);
    expect(check.violated).toBe(false);
  });

  it('flags a deployment statistic that no reweighting of validation classes produces', () => {
    const shifted = deployStat.map((v) => v - 0.2);
    const check = labelShiftCheck(valStat, valLabels, shifted, Float64Array.of(0.75, 0.25), 2);
    expect(check.statistic).toBeCloseTo(0.75, 12); // at x = 0.7: F_deploy = 1, F_val = 0.25
    expect(check.violated).toBe(true);
  });

  it('is not run when the prior rests on classes with too few validation images to reweight', () => {
    const labels = Int32Array.of(0, 0, 0, 0, 0, 1, 1, 1, 1);
    const check = labelShiftCheck(new Float64Array(9).fill(0.5), labels, deployStat, Float64Array.of(0.7, 0.3), 2);
    expect(check.poorlyRepresented).toBeCloseTo(0.3, 15);
    expect(check.statistic).toBeNaN();
    expect(check.violated).toBe(false);
  });
});
