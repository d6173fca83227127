// Dense LU factorisation with partial pivoting: factor the BBSE confusion matrix once, then solve
// for every bootstrap resample in O(C^2).

export interface LuFactors {
  readonly n: number;
  /** L (unit diagonal, below) and U (on and above the diagonal), row-major n x n. */
  readonly lu: Float64Array;
  readonly perm: Int32Array;
  /** Smallest |pivot| relative to the largest |entry| of the matrix. */
  readonly minPivot: number;
}

export function luFactor(a: Float64Array, n: number): LuFactors {
  const lu = Float64Array.from(a);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let scale = 0;
  for (let i = 0; i < lu.length; i++) scale = Math.max(scale, Math.abs(lu[i]));
  let minPivot = Infinity;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]) > Math.abs(lu[p * n + k])) p = i;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j];
        lu[k * n + j] = lu[p * n + j];
        lu[p * n + j] = t;
      }
      const t = perm[k];
      perm[k] = perm[p];
      perm[p] = t;
    }
    const pivot = lu[k * n + k];
    minPivot = Math.min(minPivot, scale > 0 ? Math.abs(pivot) / scale : 0);
    if (pivot === 0) continue;
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k] /= pivot);
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
    }
  }
  return { n, lu, perm, minPivot };
}

/** Solves A x = b with the factors of A (which must be non-singular). */
export function luSolve(f: LuFactors, b: ArrayLike<number>): Float64Array {
  const { n, lu, perm } = f;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[perm[i]];
    for (let j = 0; j < i; j++) s -= lu[i * n + j] * x[j];
    x[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let j = i + 1; j < n; j++) s -= lu[i * n + j] * x[j];
    x[i] = s / lu[i * n + i];
  }
  return x;
}
