import { describe, expect, it } from 'vitest';
import { createSoftmaxRows, EXP_FLOOR, expModuleBytes } from '../../../../src/core/estimate/expWasm';
import { Rng } from '../../../../src/core/rng';

describe('the WebAssembly exp kernel', () => {
  it('assembles to a valid module', () => {
    expect(WebAssembly.validate(expModuleBytes())).toBe(true);
  });

  it('matches Math.exp to 1e-14 relative over [-708, 709], and gives 0 below (where exp < 4e-308)', () => {
    const rows = createSoftmaxRows(1001, 'wasm');
    expect(rows.engine).toBe('wasm');
    const rng = new Rng(3);
    let worst = 0;
    for (let trial = 0; trial < 40; trial++) {
      const x = Float64Array.from({ length: 1001 }, () => -745 + 1454 * rng.next());
      x[0] = EXP_FLOOR;
      x[1] = 0;
      x[2] = 709;
      x[3] = -1e-300;
      rows.row.set(x);
      let want = 0;
      rows.expShifted(1001, 0);
      for (let c = 0; c < 1001; c++) {
        const e = Math.exp(x[c]);
        want += e;
        if (x[c] < EXP_FLOOR) {
          expect(rows.row[c]).toBe(0);
          expect(e).toBeLessThan(4e-308);
        } else worst = Math.max(worst, Math.abs(rows.row[c] - e) / e);
      }
      expect(want).toBeGreaterThan(0);
    }
    expect(worst).toBeLessThan(1e-14);
  });

  it('returns the sum and sum e (x - b), accumulates scale * e and takes dot products, as the JavaScript engine does (odd lengths too)', () => {
    const rng = new Rng(5);
    for (const n of [1, 2, 7, 64, 333]) {
      const x = Float64Array.from({ length: n }, () => 10 * rng.normal());
      const b = Float64Array.from({ length: n }, () => rng.normal());
      const shift = Math.max(...x);
      const [wasm, js] = (['wasm', 'js'] as const).map((engine) => {
        const rows = createSoftmaxRows(n, engine);
        rows.row.set(x);
        rows.b.set(b);
        rows.g.fill(0.5);
        const dot = rows.dot(n);
        const sum = rows.expShifted(n, shift);
        rows.accumulate(n, 1 / sum);
        return { dot, sum, weighted: rows.weighted, g: Float64Array.from(rows.g), e: Float64Array.from(rows.row) };
      });
      const dot = x.reduce((acc, v, c) => acc + v * b[c], 0);
      expect(Math.abs(wasm.dot - dot)).toBeLessThan(1e-12 * Math.max(1, Math.abs(dot)));
      expect(Math.abs(js.dot - dot)).toBeLessThan(1e-12 * Math.max(1, Math.abs(dot)));
      let weighted = 0;
      for (let c = 0; c < n; c++) weighted += js.e[c] * (x[c] - shift - b[c]);
      expect(js.weighted).toBeCloseTo(weighted, 12);
      expect(Math.abs(wasm.sum - js.sum)).toBeLessThan(1e-13 * js.sum);
      expect(Math.abs(wasm.weighted - js.weighted)).toBeLessThan(1e-12 * Math.max(1, Math.abs(js.weighted)));
      for (let c = 0; c < n; c++) {
        expect(Math.abs(wasm.e[c] - js.e[c])).toBeLessThan(1e-14 * Math.max(js.e[c], 1e-300));
        expect(Math.abs(wasm.g[c] - js.g[c])).toBeLessThan(1e-14);
      }
    }
  });
});
