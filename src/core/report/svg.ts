// Dependency-free SVG charts for static reports (the HTML report must open anywhere, with no script).

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly color: string;
}

/** Vertical bars with a log or linear axis; labels rotated under each bar. */
export function barChartSvg(bars: readonly Bar[], opts: { width?: number; height?: number; log?: boolean; yLabel?: string } = {}): string {
  const width = opts.width ?? 760;
  const height = opts.height ?? 280;
  const pad = { left: 56, right: 10, top: 10, bottom: 90 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const scale = opts.log
    ? (v: number) => (Math.log10(Math.max(v, 1)) / Math.log10(Math.max(max, 10))) * plotH
    : (v: number) => (v / max) * plotH;
  const step = plotW / Math.max(bars.length, 1);
  const barW = Math.max(1, step * 0.8);
  const parts: string[] = [];
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
  const ticks = opts.log
    ? Array.from({ length: Math.floor(Math.log10(Math.max(max, 10))) + 1 }, (_, k) => 10 ** k)
    : [0, max / 2, max].map((v) => Math.round(v));
  for (const t of ticks) {
    const y = pad.top + plotH - scale(t);
    parts.push(`<line x1="${pad.left - 4}" x2="${width - pad.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#8884"/>`);
    parts.push(`<text x="${pad.left - 6}" y="${(y + 4).toFixed(1)}" font-size="11" text-anchor="end">${t}</text>`);
  }
  if (opts.yLabel) parts.push(`<text x="12" y="${pad.top + plotH / 2}" font-size="11" transform="rotate(-90 12 ${pad.top + plotH / 2})" text-anchor="middle">${esc(opts.yLabel)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">${parts.join('')}</svg>`;
}

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly values: readonly number[];
}

/** Lines over shared x labels (e.g. the shifted sweep or per-epoch curves). */
export function lineChartSvg(xLabels: readonly string[], series: readonly Series[], opts: { width?: number; height?: number; yLabel?: string } = {}): string {
  const width = opts.width ?? 760;
  const height = opts.height ?? 260;
  // Many x labels would overlap: slant them and leave room below.
  const slant = xLabels.length > 6;
  const pad = { left: 56, right: 120, top: 10, bottom: slant ? 70 : 50 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const span = hi - lo || 1;
  const x = (i: number) => pad.left + (xLabels.length <= 1 ? plotW / 2 : (i / (xLabels.length - 1)) * plotW);
  const y = (v: number) => pad.top + plotH - ((v - lo) / span) * plotH;
  const parts: string[] = [];
  for (const [i, l] of xLabels.entries()) {
    const ly = pad.top + plotH + 16;
    parts.push(
      slant
        ? `<text x="${x(i).toFixed(1)}" y="${ly}" font-size="10" text-anchor="end" transform="rotate(-35 ${x(i).toFixed(1)} ${ly})">${esc(l)}</text>`
        : `<text x="${x(i).toFixed(1)}" y="${ly}" font-size="10" text-anchor="middle">${esc(l)}</text>`,
    );
  }
  for (const t of [lo, (lo + hi) / 2, hi]) {
    parts.push(`<line x1="${pad.left}" x2="${pad.left + plotW}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#8884"/>`);
    parts.push(`<text x="${pad.left - 6}" y="${(y(t) + 4).toFixed(1)}" font-size="11" text-anchor="end">${t.toFixed(2)}</text>`);
  }
  for (const [k, s] of series.entries()) {
    const pts = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${pts}" fill="none" stroke="${esc(s.color)}" stroke-width="2"/>`);
    parts.push(`<text x="${pad.left + plotW + 8}" y="${pad.top + 14 + k * 16}" font-size="12" fill="${esc(s.color)}">${esc(s.name)}</text>`);
  }
  if (opts.yLabel) parts.push(`<text x="12" y="${pad.top + plotH / 2}" font-size="11" transform="rotate(-90 12 ${pad.top + plotH / 2})" text-anchor="middle">${esc(opts.yLabel)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">${parts.join('')}</svg>`;
}

export { esc as escapeHtml };
