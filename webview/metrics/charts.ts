// The metrics panel's charts, on chart.js (axes, tooltips, legends): each chart is built once per layout and
// then updated in place with chart.update('none') (no animation), so a prior change costs one redraw.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import type { ReliabilityBin, ShotGroup } from '../../src/core/metrics';
import { themeColor } from '../shared/dom';
import { shotColors } from './colors';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LogarithmicScale, LineController, LineElement, PointElement, Tooltip, Legend);
// chart.js's registry on the page, so that a canvas's chart can be read back (Chart.getChart(canvas)) by the
// browser tests and from the developer tools.
Object.assign(window, { Chart });

/** Theme colours, read once per layout: each getComputedStyle after a DOM change forces a style pass. */
export interface Theme {
  readonly fg: string;
  readonly grid: string;
}

export function readTheme(): Theme {
  return { fg: themeColor('--vscode-foreground', '#cccccc'), grid: themeColor('--vscode-editorWidget-border', '#444444') };
}

const SHOTS: readonly ShotGroup[] = ['many', 'medium', 'few'];
/** Above this many classes the recall chart shows bins of neighbouring ranks, not one bar per class. */
export const MAX_BARS = 200;

function axis(theme: Theme, title: string, extra: object = {}): object {
  return { ticks: { color: theme.fg }, grid: { color: theme.grid }, title: { display: true, text: title, color: theme.fg }, ...extra };
}

function base(theme: Theme, legend: boolean): object {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'index', intersect: false },
    plugins: { legend: { display: legend, labels: { color: theme.fg, boxWidth: 12, boxHeight: 12 } } },
  };
}

/** A run of neighbouring class ranks shown as one bar: every class in it has the same shot group. */
export interface RankBin {
  readonly first: number;
  readonly last: number;
  readonly classes: readonly number[];
  readonly group: ShotGroup;
}

/**
 * Classes in `order` (by training count, most first) cut into at most about MAX_BARS bins of equal size; a bin
 * never straddles two shot groups, so the groups' bands stay exact. One class per bin when they are few.
 */
export function rankBins(order: readonly number[], groups: readonly ShotGroup[]): RankBin[] {
  const size = Math.max(1, Math.ceil(order.length / MAX_BARS));
  const bins: RankBin[] = [];
  let current: number[] = [];
  let first = 0;
  order.forEach((c, rank) => {
    const g = groups[c] ?? 'few';
    if (current.length && (current.length === size || groups[current[0] as number] !== g)) {
      bins.push({ first, last: rank - 1, classes: current, group: groups[current[0] as number] ?? 'few' });
      current = [];
      first = rank;
    }
    current.push(c);
  });
  if (current.length) bins.push({ first, last: order.length - 1, classes: current, group: groups[current[0] as number] ?? 'few' });
  return bins;
}

/**
 * The long-tail view: recall per class against classes sorted by training count, bars coloured by shot group
 * (the many/medium/few bands), and the training count on a log axis. Many classes are binned by rank.
 */
export class RecallChart {
  readonly chart: Chart<'bar' | 'line', (number | null)[], string>;
  private readonly bins: RankBin[];

  constructor(canvas: HTMLCanvasElement, names: readonly string[], trainCounts: readonly number[], order: readonly number[], groups: readonly ShotGroup[], theme: Theme) {
    const bins = (this.bins = rankBins(order, groups));
    const shades = shotColors();
    const single = bins.every((b) => b.classes.length === 1);
    const labels = bins.map((b) => (single ? (names[b.classes[0] as number] ?? '') : `ranks ${b.first + 1}–${b.last + 1}`));
    const meanCount = (b: RankBin) => b.classes.reduce((s, c) => s + (trainCounts[c] ?? 0), 0) / b.classes.length;
    const datasets: ChartDataset<'bar' | 'line', (number | null)[]>[] = [
      ...SHOTS.map((g) => ({ type: 'bar' as const, label: `${g}-shot recall %`, data: bins.map(() => null), backgroundColor: shades[g], grouped: false, yAxisID: 'y', order: 2 })),
      {
        type: 'line' as const,
        label: single ? 'training images' : 'training images (mean)',
        data: bins.map((b) => Math.max(meanCount(b), 0.5)),
        borderColor: theme.fg,
        borderWidth: 1.5,
        borderDash: [4, 3],
        pointRadius: 0,
        yAxisID: 'y1',
        order: 1,
      },
    ];
    this.chart = new Chart<'bar' | 'line', (number | null)[], string>(canvas, {
      type: 'bar',
      data: { labels, datasets },
      options: {
        ...base(theme, true),
        scales: {
          x: axis(theme, single ? 'class, by training images (most first)' : `class rank by training images (bins of ${Math.max(...bins.map((b) => b.classes.length))})`, { ticks: { color: theme.fg, autoSkip: true, maxRotation: 60 }, grid: { display: false } }),
          y: axis(theme, 'recall %', { min: 0, max: 100, position: 'left' }),
          y1: axis(theme, 'training images', { type: 'logarithmic', position: 'right', grid: { display: false } }),
        },
        plugins: {
          ...(base(theme, true) as { plugins: object }).plugins,
          tooltip: {
            filter: (item: { raw: unknown }) => item.raw !== null,
            callbacks: {
              title: (items: { dataIndex: number }[]) => {
                const b = bins[items[0]?.dataIndex ?? 0];
                return b ? (b.classes.length === 1 ? `#${b.first + 1} ${names[b.classes[0] as number]}` : `ranks ${b.first + 1}–${b.last + 1} (${b.classes.length} classes, ${b.group}-shot)`) : '';
              },
            },
          },
        },
      } as never,
    });
  }

  /** Recall of the focused method (0..1 per class), the mean over each bin's classes. */
  update(recall: Float64Array): void {
    const values = this.bins.map((b) => (b.classes.reduce((s, c) => s + (recall[c] ?? 0), 0) / b.classes.length) * 100);
    SHOTS.forEach((g, k) => {
      const ds = this.chart.data.datasets[k] as ChartDataset<'bar', (number | null)[]>;
      ds.data = this.bins.map((b, i) => (b.group === g ? (values[i] as number) : null));
    });
    this.chart.update('none');
  }
}

/** Accuracy per confidence bin next to the bin's mean confidence (where a calibrated model's bar would end). */
export class ReliabilityChart {
  readonly chart: Chart<'bar' | 'line', (number | null)[], string>;

  /** `color`: the method shown, as everywhere else. */
  constructor(canvas: HTMLCanvasElement, color: string, theme: Theme) {
    this.chart = new Chart<'bar' | 'line', (number | null)[], string>(canvas, {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          { type: 'bar' as const, label: 'accuracy %', data: [], backgroundColor: color, order: 2 },
          { type: 'line' as const, label: 'mean confidence % (calibrated)', data: [], borderColor: theme.fg, borderDash: [4, 3], borderWidth: 1.5, pointRadius: 2, order: 1 },
        ],
      },
      options: {
        ...base(theme, true),
        scales: { x: axis(theme, 'confidence', { grid: { display: false } }), y: axis(theme, 'accuracy %', { min: 0, max: 100 }) },
      } as never,
    });
  }

  update(bins: readonly ReliabilityBin[]): void {
    const shown = bins.filter((b) => b.count > 0);
    this.chart.data.labels = shown.map((b) => `${b.lower.toFixed(2)}–${b.upper.toFixed(2)}`);
    const [bars, line] = this.chart.data.datasets as [ChartDataset<'bar', number[]>, ChartDataset<'line', number[]>];
    bars.data = shown.map((b) => b.accuracy * 100);
    line.data = shown.map((b) => b.confidence * 100);
    this.chart.update('none');
  }
}

/** Top-1 of each method over the shifted settings; `mark` enlarges the current setting's points. */
export class SweepChart {
  readonly chart: Chart<'line'>;

  constructor(canvas: HTMLCanvasElement, settings: readonly string[], series: readonly { label: string; color: string; values: readonly number[] }[], theme: Theme) {
    this.chart = new Chart(canvas, {
      type: 'line',
      data: {
        labels: [...settings],
        datasets: series.map((s) => ({ label: s.label, data: s.values.map((v) => v * 100), borderColor: s.color, backgroundColor: s.color, borderWidth: 2, pointRadius: 2 })),
      },
      options: {
        ...base(theme, series.length > 1),
        scales: { x: axis(theme, 'test-set prior', { ticks: { color: theme.fg, maxRotation: 60, autoSkip: true } }), y: axis(theme, 'top-1 accuracy %') },
      } as never,
    });
  }

  mark(current: number): void {
    for (const ds of this.chart.data.datasets) ds.pointRadius = this.chart.data.labels?.map((_, i) => (i === current ? 6 : 2)) ?? 2;
    this.chart.update('none');
  }
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

/** Releases every chart on the page (chart.js keeps a registry of them) before a layout replaces their canvases. */
export function destroyCharts(): void {
  for (const chart of Object.values(Chart.instances)) chart.destroy();
}
