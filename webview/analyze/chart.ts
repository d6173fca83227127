// The class-count bar chart: sorted by count, coloured by shot group, linear or log scale.
import { BarController, BarElement, CategoryScale, Chart, LinearScale, LogarithmicScale, Tooltip } from 'chart.js';
import type { ClassStat, Shot } from '../../src/core/dataset/types';
import { themeColor } from '../shared/dom';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LogarithmicScale, Tooltip);

export function shotColors(): Record<Shot, string> {
  return {
    many: themeColor('--vscode-charts-blue', '#3794ff'),
    medium: themeColor('--vscode-charts-orange', '#d18616'),
    few: themeColor('--vscode-charts-red', '#f14c4c'),
    empty: themeColor('--vscode-disabledForeground', '#888888'),
  };
}

export class CountChart {
  private chart: Chart<'bar'> | undefined;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  render(classes: readonly ClassStat[], log: boolean): void {
    const sorted = [...classes].sort((a, b) => b.count - a.count);
    const colors = shotColors();
    const fg = themeColor('--vscode-foreground', '#cccccc');
    const grid = themeColor('--vscode-editorWidget-border', '#444444');
    this.chart?.destroy();
    this.chart = new Chart(this.canvas, {
      type: 'bar',
      data: {
        labels: sorted.map((c) => c.name),
        datasets: [
          {
            label: 'images',
            // A log axis cannot show 0: empty classes sit at the floor instead of vanishing silently.
            data: sorted.map((c) => (log ? Math.max(c.count, 0.5) : c.count)),
            backgroundColor: sorted.map((c) => colors[c.shot]),
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        responsive: true,
        scales: {
          x: { ticks: { color: fg, autoSkip: true, maxRotation: 60 }, grid: { display: false } },
          y: { type: log ? 'logarithmic' : 'linear', ticks: { color: fg }, grid: { color: grid }, title: { display: true, text: 'images', color: fg } },
        },
        plugins: {
          tooltip: { callbacks: { label: (item) => `${sorted[item.dataIndex]?.count ?? 0} images (${sorted[item.dataIndex]?.shot})` } },
        },
      },
    });
  }
}
