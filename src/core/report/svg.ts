// Dependency-free SVG charts for static reports (the HTML report must open anywhere, with no script).
// Every chart has axis titles, a legend where colour means something, and ticks at round numbers.

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface LegendItem {
  readonly label: string;
  readonly color: string;
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly color: string;
}

interface AxisTitles {
  readonly xLabel?: string;
  readonly yLabel?: string;
}

/**
 * Round ticks (steps of 1, 2 or 5 times a power of ten) spanning [lo, hi] with about `target` intervals;
 * the first and last tick enclose the range.
 */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi <= lo) hi = lo + (lo === 0 ? 1 : Math.abs(lo) * 0.1);
  const raw = (hi - lo) / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const first = Math.floor(lo / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let t = first; t < hi + step - 1e-9 * step; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** A tick label: thousands separated, only the decimals the step needs. */
function tickLabel(t: number, step: number): string {
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return t.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A row of colour swatches with labels, starting at (x, y). */
function legendSvg(items: readonly LegendItem[], x: number, y: number): string {
  let at = x;
  const parts = items.map((it) => {
    const part = `<rect x="${at}" y="${y - 9}" width="12" height="12" rx="2" fill="${esc(it.color)}"/><text x="${at + 17}" y="${y + 1}" font-size="12">${esc(it.label)}</text>`;
    at += 17 + 7.2 * it.label.length + 18; // a swatch, the label at ~7 px a character, a gap
    return part;
  });
  return `<g class="legend">${parts.join('')}</g>`;
}

function axisTitles(t: AxisTitles, plot: { left: number; top: number; width: number; height: number }, totalHeight: number): string {
  const parts: string[] = [];
  const cy = plot.top + plot.height / 2;
  if (t.yLabel) parts.push(`<text class="axis-title" x="14" y="${cy}" font-size="12" font-weight="600" transform="rotate(-90 14 ${cy})" text-anchor="middle">${esc(t.yLabel)}</text>`);
  if (t.xLabel) parts.push(`<text class="axis-title" x="${plot.left + plot.width / 2}" y="${totalHeight - 8}" font-size="12" font-weight="600" text-anchor="middle">${esc(t.xLabel)}</text>`);
  return parts.join('');
}

const svgOpen = (width: number, height: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">`;

/** Vertical bars with a log or linear axis; labels slanted under each bar. */
export function barChartSvg(
  bars: readonly Bar[],
  opts: AxisTitles & { width?: number; height?: number; log?: boolean; legend?: readonly LegendItem[] } = {},
): string {
  const width = opts.width ?? 1000;
  const height = opts.height ?? 340;
  const pad = { left: 70, right: 10, top: opts.legend ? 30 : 10, bottom: opts.xLabel ? 112 : 90 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const max = Math.max(1, ...bars.map((b) => b.value));
  // Log axis: powers of ten up to the first one at or above the largest bar.
  const logTop = Math.max(1, Math.ceil(Math.log10(max) - 1e-9));
  const linear = niceTicks(0, max);
  const top = linear[linear.length - 1]!;
  const scale = opts.log ? (v: number) => (Math.log10(Math.max(v, 1)) / logTop) * plotH : (v: number) => (v / top) * plotH;
  const ticks = opts.log ? Array.from({ length: logTop + 1 }, (_, k) => 10 ** k) : linear;
  const step = plotW / Math.max(bars.length, 1);
  const barW = Math.max(1, step * 0.8);
  const parts: string[] = [];
  for (const t of ticks) {
    const y = pad.top + plotH - scale(t);
    parts.push(`<line x1="${pad.left - 4}" x2="${width - pad.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#8884"/>`);
    parts.push(`<text x="${pad.left - 7}" y="${(y + 4).toFixed(1)}" font-size="11" text-anchor="end">${tickLabel(t, opts.log ? 1 : linear[1]! - linear[0]!)}</text>`);
  }
  for (const [i, b] of bars.entries()) {
    const x = pad.left + i * step + (step - barW) / 2;
    const h = scale(b.value);
    parts.push(`<rect x="${x.toFixed(1)}" y="${(pad.top + plotH - h).toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${esc(b.color)}"><title>${esc(b.label)}: ${b.value}</title></rect>`);
    if (bars.length <= 60) {
      const lx = pad.left + i * step + step / 2;
      const ly = pad.top + plotH + 8;
      parts.push(`<text x="${lx.toFixed(1)}" y="${ly}" transform="rotate(55 ${lx.toFixed(1)} ${ly})" font-size="11">${esc(b.label)}</text>`);
    }
  }
  parts.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${pad.top + plotH}" y2="${pad.top + plotH}" stroke="#888"/>`);
  if (opts.legend) parts.push(legendSvg(opts.legend, pad.left, 16));
  parts.push(axisTitles(opts, { left: pad.left, top: pad.top, width: plotW, height: plotH }, height));
  return `${svgOpen(width, height)}${parts.join('')}</svg>`;
}

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly values: readonly number[];
}

/** Lines over shared x labels (e.g. the shifted sweep or per-epoch curves); the legend names each line. */
export function lineChartSvg(xLabels: readonly string[], series: readonly Series[], opts: AxisTitles & { width?: number; height?: number } = {}): string {
  const width = opts.width ?? 1000;
  const height = opts.height ?? 320;
  // Many x labels would overlap: slant them and leave room below.
  const slant = xLabels.length > 12 || xLabels.some((l) => l.length > 4);
  const pad = { left: 70, right: 24, top: 30, bottom: (slant ? 70 : 36) + (opts.xLabel ? 22 : 0) };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const ticks = all.length ? niceTicks(Math.min(...all), Math.max(...all)) : [0, 1];
  const lo = ticks[0]!;
  const hi = ticks[ticks.length - 1]!;
  const x = (i: number) => pad.left + (xLabels.length <= 1 ? plotW / 2 : (i / (xLabels.length - 1)) * plotW);
  const y = (v: number) => pad.top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const parts: string[] = [];
  // At most ~25 x labels: every k-th one otherwise.
  const every = Math.ceil(xLabels.length / 25);
  for (const [i, l] of xLabels.entries()) {
    if (i % every !== 0) continue;
    const ly = pad.top + plotH + 16;
    parts.push(
      slant
        ? `<text x="${x(i).toFixed(1)}" y="${ly}" font-size="11" text-anchor="end" transform="rotate(-35 ${x(i).toFixed(1)} ${ly})">${esc(l)}</text>`
        : `<text x="${x(i).toFixed(1)}" y="${ly}" font-size="11" text-anchor="middle">${esc(l)}</text>`,
    );
  }
  for (const t of ticks) {
    parts.push(`<line x1="${pad.left}" x2="${pad.left + plotW}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#8884"/>`);
    parts.push(`<text x="${pad.left - 7}" y="${(y(t) + 4).toFixed(1)}" font-size="11" text-anchor="end">${tickLabel(t, ticks[1]! - ticks[0]!)}</text>`);
  }
  for (const s of series) {
    const pts = s.values.flatMap((v, i) => (Number.isFinite(v) ? [`${x(i).toFixed(1)},${y(v).toFixed(1)}`] : [])).join(' ');
    parts.push(`<polyline points="${pts}" fill="none" stroke="${esc(s.color)}" stroke-width="2.5"><title>${esc(s.name)}</title></polyline>`);
  }
  parts.push(legendSvg(series.map((s) => ({ label: s.name, color: s.color })), pad.left, 16));
  parts.push(axisTitles(opts, { left: pad.left, top: pad.top, width: plotW, height: plotH }, height));
  return `${svgOpen(width, height)}${parts.join('')}</svg>`;
}

export { esc as escapeHtml };
