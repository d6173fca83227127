// Editing one class's share while the distribution stays normalised: locked classes keep their share,
// the other unlocked classes are rescaled in proportion (evenly when they are all 0).

/**
 * Shares with class `index` set to `value` (clamped to what the locked classes leave), the rest of the
 * mass spread over the unlocked classes. `shares` sums to 1; the result does too.
 */
export function setShare(shares: readonly number[], locked: readonly boolean[], index: number, value: number): number[] {
  const n = shares.length;
  let lockedMass = 0;
  const others: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i === index) continue;
    if (locked[i]) lockedMass += shares[i] ?? 0;
    else others.push(i);
  }
  const free = Math.max(0, 1 - lockedMass);
  const out = [...shares];
  // With nothing left to absorb the change, the class keeps whatever the locked ones leave it.
  const v = others.length === 0 ? free : Math.min(Math.max(value, 0), free);
  out[index] = v;
  const rest = free - v;
  const othersMass = others.reduce((s, i) => s + (shares[i] ?? 0), 0);
  for (const i of others) out[i] = othersMass > 0 ? ((shares[i] ?? 0) / othersMass) * rest : rest / others.length;
  return out;
}

/**
 * What the user typed into a share or count field: a finite number >= 0 (a share may not pass 100%).
 * Returns the number or a message naming the class and the problem.
 */
export function parseEntry(text: string, mode: 'percent' | 'count', className: string): number | string {
  const t = text.trim().replace(/%$/, '');
  const v = t === '' ? NaN : Number(t);
  if (!Number.isFinite(v) || v < 0) return `'${className}': enter a ${mode === 'percent' ? 'percentage' : 'count'} >= 0 (got '${text.slice(0, 20)}').`;
  if (mode === 'percent' && v > 100) return `'${className}': a share cannot exceed 100% (got ${v}).`;
  if (mode === 'count' && !Number.isInteger(v)) return `'${className}': a count must be a whole number (got ${v}).`;
  return v;
}
