// Saerens, Latinne & Decaestecker (2002) EM for the deployment prior pi under label shift:
//   E-step  q_jy ∝ (pi_y / pi_s_y) p(y|x_j)
//   M-step  pi_y = (sum_j w_j q_jy + smoothing) / (sum_j w_j + C * smoothing)
// w_j are bootstrap multiplicities (1 by default). smoothing > 0 is the MAP estimate under a
// Dirichlet(1 + smoothing) prior, which keeps tail classes from collapsing to exactly zero.
// Rows with a known deployment label (semi-supervised) contribute their one-hot label instead of q_j.

export interface EmOptions {
  readonly maxIterations?: number;
  /** Stop when the L1 change of pi between iterations falls below this. */
  readonly tolerance?: number;
  readonly smoothing?: number;
  /** Starting prior (default: the source prior). */
  readonly init?: Float64Array;
  /** Known class per row or -1. */
  readonly labels?: Int32Array;
  /** Row multiplicities (bootstrap counts). */
  readonly weights?: Uint32Array;
}

export interface EmResult {
  readonly prior: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

/** probs: n x C calibrated source posteriors; sourcePrior: pi_s, all entries > 0. */
export function emPrior(probs: Float64Array, C: number, sourcePrior: Float64Array, options: EmOptions = {}): EmResult {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  const smoothing = options.smoothing ?? 0;
  const { labels, weights } = options;
  const n = probs.length / C;

  let prior = Float64Array.from(options.init ?? sourcePrior);
  const ratio = new Float64Array(C);
  const q = new Float64Array(C);
  const acc = new Float64Array(C);

  for (let iter = 1; iter <= maxIterations; iter++) {
    for (let c = 0; c < C; c++) ratio[c] = prior[c] / sourcePrior[c];
    acc.fill(0);
    for (let j = 0; j < n; j++) {
      const w = weights ? weights[j] : 1;
      if (w === 0) continue;
      const y = labels ? labels[j] : -1;
      if (y >= 0) {
        acc[y] += w;
        continue;
      }
      const off = j * C;
      let sum = 0;
      for (let c = 0; c < C; c++) {
        q[c] = ratio[c] * probs[off + c];
        sum += q[c];
      }
      // sum is 0 only if every class this row supports has pi = 0; such a row carries no information.
      if (sum > 0) for (let c = 0; c < C; c++) acc[c] += (w * q[c]) / sum;
    }
    const next = new Float64Array(C);
    let accTotal = 0;
    for (let c = 0; c < C; c++) accTotal += acc[c];
    let change = 0;
    for (let c = 0; c < C; c++) {
      next[c] = (acc[c] + smoothing) / (accTotal + C * smoothing);
      change += Math.abs(next[c] - prior[c]);
    }
    prior = next;
    if (change < tolerance) return { prior, iterations: iter, converged: true };
  }
  return { prior, iterations: maxIterations, converged: false };
}
