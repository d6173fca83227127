// CSV export of a scan: one row per class with its count in every split.
import type { AnalyzeResult } from '../../core/dataset/types';

const cell = (v: string | number) => {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function resultAsCsv(result: AnalyzeResult): string {
  const header = ['class', 'count', 'share', 'shot', ...result.splits.map((s) => `count_${s.name}`)];
  const rows = result.classes.map((c, i) => [c.name, c.count, c.share, c.shot, ...result.splits.map((s) => s.counts[i] ?? 0)]);
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}
