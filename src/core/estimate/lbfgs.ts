// Limited-memory BFGS (Nocedal & Wright, Alg. 7.4) with a backtracking Armijo line search.
// Small and dependency-free: the calibration objective is smooth and cheap to differentiate.

/** Returns f(x) and writes the gradient into grad. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  readonly maxIterations?: number;
  /** Number of (s, y) pairs kept. */
  readonly memory?: number;
  /** Stop when max |grad| falls below this. */
  readonly gradTolerance?: number;
  /** Stop when f improves by less than this (relative to max(1, |f|)). */
  readonly relTolerance?: number;
}

export interface LbfgsResult {
  readonly x: Float64Array;
  readonly f: number;
  readonly iterations: number;
  readonly converged: boolean;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

export function minimizeLbfgs(objective: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const maxIterations = options.maxIterations ?? 500;
  const memory = options.memory ?? 10;
  const gradTolerance = options.gradTolerance ?? 1e-7;
  const relTolerance = options.relTolerance ?? 1e-12;
  const d = x0.length;

  let x = Float64Array.from(x0);
  let g = new Float64Array(d);
  let f = objective(x, g);
  if (!Number.isFinite(f)) throw new Error(`minimizeLbfgs: objective is ${f} at the starting point`);

  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(memory);
  const dir = new Float64Array(d);
  let xNew = new Float64Array(d);
  let gNew = new Float64Array(d);

  for (let iter = 0; iter < maxIterations; iter++) {
    if (maxAbs(g) < gradTolerance) return { x, f, iterations: iter, converged: true };

    // Two-loop recursion: dir = -H g.
    for (let i = 0; i < d; i++) dir[i] = -g[i];
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(S[k], dir);
      for (let i = 0; i < d; i++) dir[i] -= alpha[k] * Y[k][i];
    }
    const last = S.length - 1;
    const gamma = last >= 0 ? dot(S[last], Y[last]) / dot(Y[last], Y[last]) : 1 / Math.max(1, maxAbs(g));
    for (let i = 0; i < d; i++) dir[i] *= gamma;
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k] * dot(Y[k], dir);
      for (let i = 0; i < d; i++) dir[i] += S[k][i] * (alpha[k] - beta);
    }
    let slope = dot(g, dir);
    if (!(slope < 0)) {
      // Not a descent direction (stale curvature): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < d; i++) dir[i] = -g[i] / Math.max(1, maxAbs(g));
      slope = dot(g, dir);
    }

    let step = 1;
    let fNew = NaN;
    for (let tries = 0; tries < 60; tries++) {
      for (let i = 0; i < d; i++) xNew[i] = x[i] + step * dir[i];
      fNew = objective(xNew, gNew);
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(Number.isFinite(fNew) && fNew <= f)) return { x, f, iterations: iter, converged: false };

    const s = new Float64Array(d);
    const y = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (S.length === memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const improvement = f - fNew;
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = fNew;
    if (improvement <= relTolerance * Math.max(1, Math.abs(f))) {
      return { x, f, iterations: iter + 1, converged: maxAbs(g) < Math.sqrt(gradTolerance) };
    }
  }
  return { x, f, iterations: maxIterations, converged: maxAbs(g) < gradTolerance };
}
