// The training curves' data and axes: accuracy in percent on its own 0-100 % axis, as the history
// table beside the chart shows it, loss on the left axis.
import type { TrainingRunView } from '../../src/protocol/trainingView';

const percent = (v: number) => Math.round(v * 10000) / 100; // 0.4567 -> 45.67

export function curveData(run: TrainingRunView) {
  return {
    labels: run.history.map((e) => String(e.epoch)),
    loss: run.history.map((e) => e.loss),
    train: run.history.map((e) => percent(e.trainAccuracy)),
    val: run.history.map((e) => (e.valAccuracy === null ? null : percent(e.valAccuracy))),
  };
}

/** Chart.js scales for the curves, ticks and titles in the theme's foreground colour `fg`. */
export function curveScales(fg: string) {
  return {
    loss: { position: 'left' as const, ticks: { color: fg }, title: { display: true, text: 'loss', color: fg } },
    acc: {
      position: 'right' as const,
      min: 0,
      max: 100,
      ticks: { color: fg, callback: (v: number | string) => `${v}%` },
      title: { display: true, text: 'accuracy (%)', color: fg },
      grid: { display: false },
    },
    x: { ticks: { color: fg }, title: { display: true, text: 'epoch', color: fg } },
  };
}
