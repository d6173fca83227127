// What the metrics panel's confusion section shows of a method's confusion cells: the mass between shot
// groups (where each group's images end up) and the largest off-diagonal cells. Pure, O(cells).
import type { ShotGroup } from './summarize';

export const SHOT_GROUPS: readonly ShotGroup[] = ['many', 'medium', 'few'];
export const TOP_CONFUSIONS = 10;

/**
 * Shot group x shot group mass (where each group's images end up) and the largest off-diagonal cells, in
 * O(cells): `scratch` (C x C zeros, kept by the caller and left zeroed) adds up a cell listed once per worker.
 */
export function summarizeConfusion(
  cells: Int32Array,
  c: number,
  groups: readonly ShotGroup[],
  scratch: Int32Array,
): { mass: number[][]; pairs: { y: number; p: number; n: number }[] } {
  const mass = SHOT_GROUPS.map(() => SHOT_GROUPS.map(() => 0));
  const groupIndex = groups.map((g) => SHOT_GROUPS.indexOf(g));
  for (let j = 0; j < cells.length; j += 3) {
    const y = cells[j] as number;
    const p = cells[j + 1] as number;
    const n = cells[j + 2] as number;
    const row = mass[groupIndex[y] ?? 2] as number[];
    row[groupIndex[p] ?? 2] = (row[groupIndex[p] ?? 2] ?? 0) + n;
    if (y !== p) scratch[y * c + p] += n;
  }
  // Kept sorted while scanning, largest first; a tie goes to the earlier cell in row-major order.
  const pairs: { y: number; p: number; n: number; at: number }[] = [];
  for (let j = 0; j < cells.length; j += 3) {
    const at = (cells[j] as number) * c + (cells[j + 1] as number);
    const n = scratch[at] as number;
    if (n === 0) continue; // the diagonal, or a cell already taken
    scratch[at] = 0;
    const last = pairs[TOP_CONFUSIONS - 1];
    if (last && (n < last.n || (n === last.n && at > last.at))) continue;
    let i = pairs.length;
    while (i > 0 && ((pairs[i - 1]?.n ?? 0) < n || (pairs[i - 1]?.n === n && (pairs[i - 1]?.at ?? 0) > at))) i--;
    pairs.splice(i, 0, { y: cells[j] as number, p: cells[j + 1] as number, n, at });
    if (pairs.length > TOP_CONFUSIONS) pairs.pop();
  }
  return { mass, pairs };
}

