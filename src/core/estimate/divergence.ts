// Distances between two priors over the same classes.

/** Jensen-Shannon divergence in nats (0 <= JS <= ln 2); terms with zero mass contribute 0. */
export function jsDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new Error(`jsDivergence: p has ${p.length} classes but q has ${q.length}`);
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i] + q[i]) / 2;
    if (p[i] > 0) js += 0.5 * p[i] * Math.log(p[i] / m);
    if (q[i] > 0) js += 0.5 * q[i] * Math.log(q[i] / m);
  }
  return Math.max(0, js);
}

export function l1Distance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new Error(`l1Distance: p has ${p.length} classes but q has ${q.length}`);
  let d = 0;
  for (let i = 0; i < p.length; i++) d += Math.abs(p[i] - q[i]);
  return d;
}
