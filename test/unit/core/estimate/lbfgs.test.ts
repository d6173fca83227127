import { describe, expect, it } from 'vitest';
import { minimizeLbfgs } from '../../../../src/core/estimate/lbfgs';

describe('minimizeLbfgs', () => {
  it('finds the minimum of an ill-conditioned quadratic', () => {
    const scales = [1, 10, 100, 1000];
    const target = [1, -2, 3, -4];
    const result = minimizeLbfgs((x, g) => {
      let f = 0;
      for (let i = 0; i < x.length; i++) {
        const d = x[i] - target[i];
        f += 0.5 * scales[i] * d * d;
        g[i] = scales[i] * d;
      }
      return f;
    }, new Float64Array(4));
    expect(result.converged).toBe(true);
    result.x.forEach((v, i) => expect(v).toBeCloseTo(target[i], 6));
  });

  it('solves the Rosenbrock function', () => {
    const result = minimizeLbfgs((x, g) => {
      const [a, b] = [x[0], x[1]];
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    }, Float64Array.of(-1.2, 1));
    expect(result.x[0]).toBeCloseTo(1, 4);
    expect(result.x[1]).toBeCloseTo(1, 4);
  });

  it('backs off from steps where the objective is not finite', () => {
    // f = x - log(x) has its minimum at 1 and is NaN for x <= 0; a unit step from 0.01 overshoots there.
    const result = minimizeLbfgs((x, g) => {
      g[0] = 1 - 1 / x[0];
      return x[0] > 0 ? x[0] - Math.log(x[0]) : NaN;
    }, Float64Array.of(0.01));
    expect(result.x[0]).toBeCloseTo(1, 5);
  });

  it('refuses a starting point where the objective is not finite', () => {
    expect(() => minimizeLbfgs(() => NaN, new Float64Array(1))).toThrow(/objective is NaN at the starting point/);
  });
});
