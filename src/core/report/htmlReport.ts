// A self-contained HTML report (no script, nothing remote): the dataset's label distribution and, when
// runs exist, the methods compared under several target priors. `npm run demo` writes one.
import type { AnalyzeResult, Shot } from '../dataset/types';
import type { Method } from '../runs/lossKind';
import { METHOD_COLORS, SHOT_COLORS } from './palette';
import { barChartSvg, escapeHtml as esc, lineChartSvg } from './svg';

export interface MethodRow {
  readonly method: Method;
  /** What the method is called (methodLabel: the prior-free one is named for its loss). */
  readonly label: string;
  /** Percentages (0-100) except ece and nll. */
  readonly accuracy: number;
  readonly many?: number;
  readonly medium?: number;
  readonly few?: number;
  readonly ece?: number;
  readonly nll?: number;
}

export interface PriorComparison {
  readonly prior: string;
  readonly rows: readonly MethodRow[];
}

export interface ReportInput {
  readonly title: string;
  readonly generatedAt: string;
  readonly dataset: AnalyzeResult;
  readonly comparisons?: readonly PriorComparison[];
  /** Accuracy (%) of each method across the shifted sweep (forward-50 … uniform … backward-50). */
  readonly sweep?: { readonly labels: readonly string[]; readonly series: readonly MethodSeries[] };
  /** Training loss per epoch for each run, coloured as the method its raw logits are (Softmax for CE). */
  readonly curves?: readonly MethodSeries[];
  readonly notes?: readonly string[];
}

export interface MethodSeries {
  readonly method: Method;
  readonly name: string;
  readonly values: readonly number[];
}

const SHOTS: readonly Shot[] = ['many', 'medium', 'few', 'empty'];
const colored = (s: MethodSeries) => ({ ...s, color: METHOD_COLORS[s.method].hex });
const swatch = (color: string) => `<span class="swatch" style="background:${color}"></span>`;

const fmt = (v: number | undefined, digits = 2) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));

function datasetSection(d: AnalyzeResult): string {
  const sorted = [...d.classes].sort((a, b) => b.count - a.count);
  const present = SHOTS.filter((g) => d.classes.some((c) => c.shot === g));
  const chart = barChartSvg(
    sorted.map((c) => ({ label: c.name, value: c.count, color: SHOT_COLORS[c.shot].hex })),
    {
      log: true,
      yLabel: `${d.primarySplit ?? 'training'} images per class (log scale)`,
      xLabel: 'class, most images first',
      legend: present.map((g) => ({ label: g === 'empty' ? 'no images' : `${g}-shot`, color: SHOT_COLORS[g].hex })),
    },
  );
  const stats: [string, string][] = [
    ['images', String(d.total)],
    ['classes', String(d.classes.length)],
    ['imbalance ratio', fmt(d.imbalanceRatio, 1)],
    ['Gini', fmt(d.gini, 3)],
    ['normalised entropy', fmt(d.entropy, 3)],
    ['effective number', fmt(d.effectiveNumber, 1)],
    ['many / medium / few', `${d.shots.many.length} / ${d.shots.medium.length} / ${d.shots.few.length}`],
  ];
  const splitHeads = d.splits.map((s) => `<th>${esc(s.name)}</th>`).join('');
  const rows = d.classes
    .map((c, i) => `<tr><td>${esc(c.name)}</td><td>${c.shot}</td>${d.splits.map((s) => `<td class="n">${s.counts[i] ?? 0}</td>`).join('')}</tr>`)
    .join('');
  return `<section><h2>Label distribution${d.primarySplit ? ` (${esc(d.primarySplit)})` : ''}</h2>
<p class="muted">${esc(d.root)} · ${d.layout}</p>
<dl class="stats">${stats.map(([k, v]) => `<div><dt>${k}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>
${chart}
${d.warnings.length ? `<ul class="warn">${d.warnings.map((w) => `<li>${esc(w.message)}</li>`).join('')}</ul>` : ''}
<table><thead><tr><th>class</th><th>shot</th>${splitHeads}</tr></thead><tbody>${rows}</tbody></table></section>`;
}

function comparisonTable(c: PriorComparison): string {
  const best = Math.max(...c.rows.map((r) => r.accuracy));
  const body = c.rows
    .map(
      (r) =>
        `<tr><td>${swatch(METHOD_COLORS[r.method].hex)}${esc(r.label)}</td><td class="n${r.accuracy === best ? ' best' : ''}">${fmt(r.accuracy)}</td><td class="n">${fmt(r.many)}</td><td class="n">${fmt(r.medium)}</td><td class="n">${fmt(r.few)}</td><td class="n">${fmt(r.ece, 3)}</td><td class="n">${fmt(r.nll, 3)}</td></tr>`,
    )
    .join('');
  return `<h3>${esc(c.prior)}</h3><table><thead><tr><th>method</th><th>accuracy %</th><th>many %</th><th>medium %</th><th>few %</th><th>ECE</th><th>NLL</th></tr></thead><tbody>${body}</tbody></table>`;
}

export function htmlReport(r: ReportInput): string {
  const sections = [datasetSection(r.dataset)];
  if (r.curves?.length) {
    const epochs = Math.max(...r.curves.map((c) => c.values.length));
    sections.push(
      `<section><h2>Training loss</h2>${lineChartSvg(
        Array.from({ length: epochs }, (_, i) => String(i + 1)),
        r.curves.map(colored),
        { yLabel: 'training loss (mean per image)', xLabel: 'epoch' },
      )}</section>`,
    );
  }
  if (r.comparisons?.length) sections.push(`<section><h2>Accuracy under target priors</h2>${r.comparisons.map(comparisonTable).join('')}</section>`);
  if (r.sweep) {
    sections.push(
      `<section><h2>Shifted test sets</h2>${lineChartSvg(r.sweep.labels, r.sweep.series.map(colored), {
        yLabel: 'accuracy under the prior (%)',
        xLabel: 'target prior of the test set (forward-n: the training imbalance at ratio n; backward-n: reversed)',
      })}</section>`,
    );
  }
  if (r.notes?.length) sections.push(`<section><h2>Notes</h2><ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></section>`);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(r.title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1200px;margin:24px auto;padding:0 16px;color:#222}
h1{margin-bottom:0}.muted{color:#666}table{border-collapse:collapse;margin:8px 0 16px}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}td.best{font-weight:700}.stats{display:flex;flex-wrap:wrap;gap:10px}
.stats div{border:1px solid #ddd;border-radius:4px;padding:6px 10px}dt{color:#666;font-size:12px}dd{margin:0;font-size:18px;font-weight:600}
.warn li{color:#9a6700}svg{width:100%;height:auto;font-family:system-ui,sans-serif}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}
</style></head><body>
<h1>${esc(r.title)}</h1><p class="muted">Generated ${esc(r.generatedAt)} by LADE Studio</p>
${sections.join('\n')}
</body></html>
`;
}
