// Charts of the metrics panel, drawn directly (canvas for per-class data that may have 1,000 classes,
// SVG for the small sweep chart): fast enough to redraw on every prior change, and CSP-clean.
import type { ReliabilityBin, ShotGroup } from '../../src/core/metrics';
import { themeColor } from '../shared/dom';

const SVG = 'http://www.w3.org/2000/svg';

const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];

/** Theme colours, read once per layout: each getComputedStyle after a DOM change forces a style pass. */
export interface Theme {
  readonly fg: string;
  readonly border: string;
  readonly selection: string;
  readonly series: readonly string[];
  readonly shots: Readonly<Record<ShotGroup, string>>;
}

export function readTheme(): Theme {
  const series = PALETTE.map((v, i) => themeColor(v, FALLBACK[i] as string));
  return {
    fg: themeColor('--vscode-foreground', '#ccc'),
    border: themeColor('--vscode-editorWidget-border', '#555'),
    selection: themeColor('--vscode-editor-selectionBackground', '#264f78'),
    series,
    shots: { many: series[0] as string, medium: series[1] as string, few: series[4] as string },
  };
}

/** A 2D context for the canvas at its CSS width; the width is measured once per canvas (no layout per redraw). */
function sized(canvas: HTMLCanvasElement, cssHeight: number): CanvasRenderingContext2D {
  const width = Number(canvas.dataset.cssWidth) || canvas.parentElement?.clientWidth || 600;
  const ratio = window.devicePixelRatio || 1;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  if (canvas.dataset.cssWidth !== String(width)) {
    canvas.dataset.cssWidth = String(width);
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(cssHeight * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${cssHeight}px`;
  }
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, cssHeight);
  return ctx;
}

/** One bar per class (recall 0..1) in `order`, coloured by shot group. */
export function drawRecallBars(canvas: HTMLCanvasElement, recall: Float64Array, order: readonly number[], groups: readonly ShotGroup[], theme: Theme): void {
  const height = 160;
  const ctx = sized(canvas, height);
  const width = canvas.width / (window.devicePixelRatio || 1);
  const barWidth = width / Math.max(1, order.length);
  ctx.fillStyle = theme.border;
  ctx.fillRect(0, height - 1, width, 1);
  order.forEach((c, i) => {
    const r = recall[c] ?? 0;
    ctx.fillStyle = theme.shots[groups[c] ?? 'few'];
    ctx.fillRect(i * barWidth, height - r * (height - 4), Math.max(barWidth - (barWidth > 3 ? 1 : 0), 0.5), r * (height - 4));
  });
}

/** Accuracy per confidence bin against the diagonal; bar widths are the bins, heights the accuracy. */
export function drawReliability(canvas: HTMLCanvasElement, bins: readonly ReliabilityBin[], theme: Theme): void {
  const size = 160;
  const ctx = sized(canvas, size);
  const width = Math.min(canvas.width / (window.devicePixelRatio || 1), size);
  const fg = theme.fg;
  const bar = theme.series[0] as string;
  const mark = theme.series[4] as string;
  ctx.setLineDash([]);
  ctx.strokeStyle = theme.border;
  ctx.strokeRect(0.5, 0.5, width - 1, size - 1);
  for (const b of bins) {
    if (b.count === 0) continue;
    ctx.fillStyle = bar;
    ctx.fillRect(b.lower * width, size - b.accuracy * size, (b.upper - b.lower) * width - 1, b.accuracy * size);
    ctx.fillStyle = mark;
    ctx.fillRect(b.lower * width, size - b.confidence * size - 1, (b.upper - b.lower) * width - 1, 2);
  }
  ctx.strokeStyle = fg;
  ctx.setLineDash([3, 3]);
  ctx.beginPath();
  ctx.moveTo(0, size);
  ctx.lineTo(width, 0);
  ctx.stroke();
}

/** The full C x C matrix, rows normalised, classes in `order`: one pixel (or more) per cell. */
export function drawConfusion(canvas: HTMLCanvasElement, confusion: Int32Array, c: number, order: readonly number[]): void {
  const cell = Math.max(1, Math.floor(600 / c));
  canvas.width = c * cell;
  canvas.height = c * cell;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  const image = ctx.createImageData(c * cell, c * cell);
  const data = image.data;
  order.forEach((y, row) => {
    let total = 0;
    for (let p = 0; p < c; p++) total += confusion[y * c + p] ?? 0;
    if (total === 0) return;
    order.forEach((p, col) => {
      const v = Math.sqrt((confusion[y * c + p] ?? 0) / total); // sqrt so that rare confusions still show
      const shade = Math.round(255 * v);
      for (let dy = 0; dy < cell; dy++) {
        for (let dx = 0; dx < cell; dx++) {
          const at = ((row * cell + dy) * c * cell + col * cell + dx) * 4;
          data[at] = shade;
          data[at + 1] = Math.round(shade * 0.6);
          data[at + 2] = 40;
          data[at + 3] = 255;
        }
      }
    });
  });
  ctx.putImageData(image, 0, 0);
}

/**
 * Accuracy of each method over the shifted settings; `mark` moves the current-setting marker (hidden at -1)
 * without rebuilding the chart, since only the marker follows the prior.
 */
export function sweepChart(settings: readonly string[], series: readonly { label: string; values: readonly number[] }[], theme: Theme): { svg: SVGSVGElement; mark: (current: number) => void } {
  const w = 640;
  const hgt = 250;
  const pad = { l: 50, r: 10, t: 10, b: 70 };
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const lo = Math.max(0, Math.floor(Math.min(...all, 1) * 10) / 10);
  const hi = Math.min(1, Math.ceil(Math.max(...all, 0) * 10) / 10);
  const x = (i: number) => pad.l + (i * (w - pad.l - pad.r)) / Math.max(1, settings.length - 1);
  const y = (v: number) => pad.t + (1 - (v - lo) / Math.max(1e-9, hi - lo)) * (hgt - pad.t - pad.b);
  const el = <K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string) => {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const fg = theme.fg;
  const svg = el('svg', { viewBox: `0 0 ${w} ${hgt}`, class: 'sweep-chart', role: 'img', 'aria-label': 'Top-1 accuracy of each method from forward-50 through uniform to backward-50' });
  const marker = el('rect', { y: pad.t, width: 16, height: hgt - pad.t - pad.b, fill: theme.selection });
  svg.append(marker);
  const mark = (current: number) => {
    if (current >= 0) {
      marker.setAttribute('x', String(x(current) - 8));
      marker.setAttribute('data-testid', 'sweep-current');
      marker.removeAttribute('visibility');
    } else {
      marker.removeAttribute('data-testid');
      marker.setAttribute('visibility', 'hidden');
    }
  };
  for (const v of [lo, (lo + hi) / 2, hi]) {
    svg.append(el('line', { x1: pad.l, x2: w - pad.r, y1: y(v), y2: y(v), stroke: theme.border }));
    svg.append(el('text', { x: pad.l - 4, y: y(v) + 4, 'text-anchor': 'end', fill: fg, 'font-size': 10 }, `${Math.round(v * 100)}`));
  }
  settings.forEach((s, i) => svg.append(el('text', { x: x(i), y: hgt - pad.b + 14, 'text-anchor': 'end', transform: `rotate(-35 ${x(i)} ${hgt - pad.b + 14})`, fill: fg, 'font-size': 10 }, s)));
  series.forEach((s, k) => {
    const color = theme.series[k % theme.series.length] as string;
    const points = s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ');
    svg.append(el('polyline', { points, fill: 'none', stroke: color, 'stroke-width': 2 }));
    svg.append(el('text', { x: pad.l + 6 + k * 120, y: hgt - 4, fill: color, 'font-size': 11 }, `■ ${s.label}`));
  });
  return { svg, mark };
}
