// The readable (non --json) report of `lade analyze`: a per-class table, most images first, then the
// distribution figures, shot groups and warnings.
import type { AnalyzeResult } from '../core/dataset/types';

function table(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly boolean[]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function formatAnalyzeReport(r: AnalyzeResult): string {
  const primary = r.primarySplit ?? 'images';
  const others = r.splits.filter((s) => s.name !== r.primarySplit);
  const order = r.classes.map((c, i) => ({ c, i })).sort((a, b) => b.c.count - a.c.count || a.i - b.i);
  const rows = order.map(({ c, i }) => [
    c.name,
    String(c.count),
    pct(c.share),
    c.effectiveNumber.toFixed(1),
    c.shot,
    ...others.map((s) => String(s.counts[i] ?? 0)),
  ]);
  const header = ['class', primary, 'share', 'eff. n', 'shot', ...others.map((s) => s.name)];
  const right = header.map((_, c) => c !== 0 && c !== 4);

  const splitText =
    r.splits.length > 0 ? `splits ${r.splits.map((s) => `${s.name} (${s.total})`).join(', ')}; statistics on ${r.primarySplit}` : 'no splits';
  const shot = (name: string, list: readonly string[]) => `  ${name.padEnd(6)} ${String(list.length).padStart(4)}  ${list.join(', ')}`;
  const lines = [
    `${r.root}`,
    `${r.layout}, ${r.classes.length} classes, ${splitText}`,
    '',
    ...table(header, rows, right),
    '',
    `total             ${r.total}`,
    `imbalance ratio   ${r.imbalanceRatio.toFixed(1)}  (largest / smallest non-empty class)`,
    `gini              ${r.gini.toFixed(3)}`,
    `entropy           ${r.entropy.toFixed(3)}  (normalized: 1 = balanced)`,
    `effective number  ${r.effectiveNumber.toFixed(1)}  (beta ${r.options.beta})`,
    '',
    `shots (many > ${r.options.manyThreshold}, few < ${r.options.fewThreshold})`,
    shot('many', r.shots.many),
    shot('medium', r.shots.medium),
    shot('few', r.shots.few),
  ];
  if (r.validation) {
    const v = r.validation;
    lines.push(
      '',
      `validation (${v.decoder === 'sharp' ? 'headers read with sharp' : 'magic bytes and trailers only; install sharp to read headers'})`,
      `  ${v.checked} checked, ${v.corrupt} corrupt, ${v.missing} missing, ${v.extensionMismatches} with the wrong extension, ${v.duplicates} duplicates`,
    );
  }
  lines.push('', r.warnings.length === 0 ? 'no warnings' : `warnings (${r.warnings.length})`);
  for (const w of r.warnings) lines.push(`  ${w.kind}: ${w.message}`);
  lines.push('', `scanned in ${(r.durationMs / 1000).toFixed(2)} s`, '');
  return lines.join('\n');
}
