// Saerens, Latinne & Decaestecker (2002) EM for the deployment prior pi under label shift:
//   E-step  q_jy ∝ (pi_y / pi_s_y) p(y|x_j)
//   M-step  pi_y = (sum_j w_j q_jy + smoothing) / (sum_j w_j + C * smoothing)
// w_j are bootstrap multiplicities (1 by default). smoothing > 0 is the MAP estimate under a
// Dirichlet(1 + smoothing) prior, which keeps tail classes from collapsing to exactly zero.
// Rows with a known deployment label (semi-supervised) contribute their one-hot label instead of q_j.
//
// Plain EM crawls when a class's share heads to zero (its rate of convergence approaches 1), so by default
// the steps are accelerated with SQUAREM (Varadhan & Roland 2008, scheme S3): two EM steps, an
// extrapolation along them, then one EM step from the extrapolated point, kept only if the (penalised)
// log-likelihood did not fall. It converges to the same fixed point. Every E+M step counts as one
// iteration, and the stopping rule is plain EM's: one step moved pi by less than `tolerance` in L1.
import { createSoftmaxRows } from './expWasm';

export interface EmOptions {
  readonly maxIterations?: number;
  /** Stop when one EM step changes pi by less than this in L1. */
  readonly tolerance?: number;
  readonly smoothing?: number;
  /** Starting prior (default: the source prior). */
  readonly init?: Float64Array;
  /** Known class per row or -1. */
  readonly labels?: Int32Array;
  /** Row multiplicities (bootstrap counts). */
  readonly weights?: Uint32Array;
  /** 'squarem' (default) or 'none' for plain EM steps. */
  readonly acceleration?: 'squarem' | 'none';
}

export interface EmResult {
  readonly prior: Float64Array;
  /** EM (E+M) steps taken. */
  readonly iterations: number;
  readonly converged: boolean;
}

interface Step {
  readonly next: Float64Array;
  /** Penalised log-likelihood at the step's input. */
  readonly logLik: number;
  /** L1 distance between input and output. */
  readonly change: number;
}

/** probs: n x C calibrated source posteriors; sourcePrior: pi_s, all entries > 0. */
export function emPrior(probs: Float64Array, C: number, sourcePrior: Float64Array, options: EmOptions = {}): EmResult {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  const smoothing = options.smoothing ?? 0;
  const { labels, weights } = options;
  const n = probs.length / C;
  // sum_j w_j q_jc = ratio_c * sum_j (w_j / sum_c' ratio_c' p_jc') p_jc: the ratio is applied once per class
  // at the end, so each row is one dot product and one scaled add, both in the SIMD row kernels (the row is
  // copied into their memory first, cheaper than either pass in JavaScript).
  const kernel = createSoftmaxRows(C);
  const { row, b: ratio, g: shares } = kernel;
  const known = new Float64Array(C);

  let iterations = 0;
  const step = (prior: Float64Array): Step => {
    iterations++;
    for (let c = 0; c < C; c++) ratio[c] = prior[c] / sourcePrior[c];
    shares.fill(0);
    known.fill(0);
    let logLik = 0;
    for (let j = 0; j < n; j++) {
      const w = weights ? weights[j] : 1;
      if (w === 0) continue;
      const y = labels ? labels[j] : -1;
      if (y >= 0) {
        known[y] += w;
        logLik += w * Math.log(prior[y]);
        continue;
      }
      row.set(probs.subarray(j * C, (j + 1) * C));
      const sum = kernel.dot(C);
      // sum is 0 only if every class this row supports has pi = 0; such a row carries no information.
      if (sum > 0) {
        kernel.accumulate(C, w / sum);
        logLik += w * Math.log(sum);
      }
    }
    const acc = new Float64Array(C); // sum_j w_j q_jc, the known labels included
    for (let c = 0; c < C; c++) acc[c] = ratio[c] * shares[c] + known[c];
    if (smoothing > 0) for (let c = 0; c < C; c++) logLik += smoothing * Math.log(prior[c]);
    const next = new Float64Array(C);
    let accTotal = 0;
    for (let c = 0; c < C; c++) accTotal += acc[c];
    let change = 0;
    for (let c = 0; c < C; c++) {
      next[c] = (acc[c] + smoothing) / (accTotal + C * smoothing);
      change += Math.abs(next[c] - prior[c]);
    }
    return { next, logLik, change };
  };

  let prior: Float64Array = Float64Array.from(options.init ?? sourcePrior);
  const squarem = (options.acceleration ?? 'squarem') === 'squarem';
  for (;;) {
    const first = step(prior);
    if (first.change < tolerance) return { prior: first.next, iterations, converged: true };
    if (iterations >= maxIterations) return { prior: first.next, iterations, converged: false };
    if (!squarem) {
      prior = first.next;
      continue;
    }
    const second = step(first.next);
    if (second.change < tolerance) return { prior: second.next, iterations, converged: true };
    if (iterations >= maxIterations) return { prior: second.next, iterations, converged: false };
    const jump = extrapolate(prior, first.next, second.next);
    if (jump === undefined) {
      prior = second.next;
      continue;
    }
    const third = step(jump);
    // Ascent check against the cycle's start: a jump that lowered the likelihood is discarded.
    const kept = third.logLik >= first.logLik;
    if (kept && third.change < tolerance) return { prior: third.next, iterations, converged: true };
    prior = kept ? third.next : second.next;
    if (iterations >= maxIterations) return { prior, iterations, converged: false };
  }
}

/**
 * SQUAREM S3 point p0 - 2 a r + a^2 v with r = p1 - p0, v = p2 - 2 p1 + p0, a = -|r| / |v| capped at -1
 * (a = -1 gives p2). The step is halved towards -1 until every share is positive; undefined when only
 * a = -1 qualifies (nothing to gain over p2).
 */
function extrapolate(p0: Float64Array, p1: Float64Array, p2: Float64Array): Float64Array | undefined {
  const C = p0.length;
  let rr = 0;
  let vv = 0;
  for (let c = 0; c < C; c++) {
    const r = p1[c] - p0[c];
    const v = p2[c] - 2 * p1[c] + p0[c];
    rr += r * r;
    vv += v * v;
  }
  if (!(vv > 0)) return undefined;
  let a = -Math.sqrt(rr / vv);
  const out = new Float64Array(C);
  while (a < -1 - 1e-9) {
    let valid = true;
    for (let c = 0; c < C; c++) {
      const r = p1[c] - p0[c];
      const v = p2[c] - 2 * p1[c] + p0[c];
      out[c] = p0[c] - 2 * a * r + a * a * v;
      // A share that EM keeps at exactly 0 (r = v = 0) stays 0; any other must stay positive.
      if (out[c] < 0 || (out[c] === 0 && p0[c] > 0)) valid = false;
    }
    if (valid) return out;
    a = (a - 1) / 2;
  }
  return undefined;
}
