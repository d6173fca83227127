// The small chart above the rows: the source (training) prior against the target being entered, classes
// ordered by training images so the long tail reads left to right. Dragging on it sets the share of the
// class under the pointer to the height of the pointer, as its slider would.
import { Chart, Decimation, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { themeColor } from '../shared/dom';

Chart.register(Decimation, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

export const X_TITLE = 'classes, most training images first';
export const Y_TITLE = 'share (%)';

/** The chart's colours, all in one place (theme variables with fallbacks for the browser tests). */
function chartColors(): { source: string; sourceFill: string; target: string; fg: string; grid: string } {
  return {
    source: themeColor('--vscode-descriptionForeground', '#999999'),
    sourceFill: themeColor('--vscode-editorWidget-border', '#454545'),
    target: themeColor('--vscode-charts-blue', '#3794ff'),
    fg: themeColor('--vscode-foreground', '#cccccc'),
    grid: themeColor('--vscode-editorWidget-border', '#444444'),
  };
}

export class PriorChart {
  private chart: Chart<'line'> | undefined;
  /** Chart position -> class index (classes by training images, descending). */
  private order: number[] = [];
  private dragging = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    /** A drag set class `index` to `percent` (0..100). */
    private readonly onDrag: (index: number, percent: number) => void,
  ) {
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `Source prior (training) against the target: ${Y_TITLE} over ${X_TITLE}. Drag on it to set a class's share.`);
    canvas.addEventListener('pointerdown', (e) => {
      this.dragging = true;
      canvas.setPointerCapture(e.pointerId);
      this.dragAt(e);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (this.dragging) this.dragAt(e);
    });
    const stop = (): void => {
      if (!this.dragging) return;
      this.dragging = false;
      this.rescale();
      this.chart?.update('none');
    };
    canvas.addEventListener('pointerup', stop);
    canvas.addEventListener('pointercancel', stop);
  }

  render(names: readonly string[], source: readonly number[], target: readonly number[]): void {
    this.order = names.map((_, i) => i).sort((a, b) => (source[b] ?? 0) - (source[a] ?? 0) || a - b);
    const c = chartColors();
    const few = names.length <= 40;
    this.chart?.destroy();
    this.chart = new Chart(this.canvas, {
      type: 'line',
      data: {
        datasets: [
          // Lower order draws on top: the target line over the source's filled steps.
          { label: 'source', order: 1, data: this.points(source), borderColor: c.source, backgroundColor: c.sourceFill, fill: 'origin', stepped: 'middle', borderWidth: 1, pointRadius: 0 },
          { label: 'target', order: 0, data: this.points(target), borderColor: c.target, backgroundColor: c.target, borderWidth: 2, pointRadius: few ? 2.5 : 0, pointHitRadius: 6 },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        // 8,142 classes: points by position on a linear axis (no 8,142 category ticks), decimated to the
        // canvas width for drawing; the data keeps every class for the drag and the tooltip.
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', min: 0, max: Math.max(1, names.length - 1), ticks: { display: false }, grid: { display: false }, title: { display: true, text: X_TITLE, color: c.fg, padding: 0 } },
          y: { min: 0, ticks: { color: c.fg, maxTicksLimit: 4 }, grid: { color: c.grid }, title: { display: true, text: Y_TITLE, color: c.fg, padding: 0 } },
        },
        plugins: {
          decimation: { enabled: !few, algorithm: 'min-max' },
          legend: { position: 'top', align: 'end', labels: { color: c.fg, boxWidth: 10, boxHeight: 10, padding: 6 } },
          tooltip: {
            callbacks: {
              title: (items) => names[this.order[Math.round(items[0]?.parsed.x ?? 0)] ?? 0] ?? '',
              label: (item) => `${item.dataset.label}: ${(item.parsed.y ?? 0).toFixed(2)}%`,
            },
          },
        },
      },
    });
    this.rescale();
    this.chart.update('none');
  }

  /** Shares (0..1, by class) as chart points (x = position by training images, y = %). */
  private points(shares: readonly number[]): { x: number; y: number }[] {
    return this.order.map((i, x) => ({ x, y: (shares[i] ?? 0) * 100 }));
  }

  /** New target shares (a slider, a preset, a drag); the axis stays put while dragging so the pointer keeps its meaning. */
  update(target: readonly number[]): void {
    const chart = this.chart;
    if (!chart) return;
    chart.data.datasets[1]!.data = this.points(target);
    if (!this.dragging) this.rescale();
    chart.update('none');
  }

  private rescale(): void {
    const chart = this.chart;
    const y = chart?.options.scales?.['y'];
    if (!chart || !y) return;
    const top = Math.max(...chart.data.datasets.flatMap((d) => (d.data as { y: number }[]).map((p) => p.y)));
    y.max = Math.min(100, Math.max(top * 1.15, 1e-3));
  }

  private dragAt(e: PointerEvent): void {
    const chart = this.chart;
    if (!chart) return;
    const rect = this.canvas.getBoundingClientRect();
    const pos = Math.round(chart.scales['x']!.getValueForPixel(e.clientX - rect.left) ?? -1);
    const index = this.order[Math.min(Math.max(pos, 0), this.order.length - 1)];
    const percent = chart.scales['y']!.getValueForPixel(e.clientY - rect.top) ?? 0;
    if (index !== undefined) this.onDrag(index, Math.min(100, Math.max(0, percent)));
  }
}
