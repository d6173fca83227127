// The training view's curves use the same unit as its history table: accuracy in percent.
import { describe, expect, it } from 'vitest';
import type { TrainingRunView } from '../../../src/protocol/trainingView';
import { curveData, curveScales } from '../../../webview/training/curves';

const run: TrainingRunView = {
  name: 'lade-1',
  loss: 'lade',
  status: 'completed',
  history: [
    { epoch: 1, loss: 2.1, trainAccuracy: 0.3, valAccuracy: null, lr: 0.05, seconds: 3, imagesPerSec: 500 },
    { epoch: 2, loss: 1.6, trainAccuracy: 0.4567, valAccuracy: 0.351, lr: 0.05, seconds: 3, imagesPerSec: 500 },
  ],
};

describe('training curves', () => {
  it('plot accuracy in percent on a 0-100 % axis, as the table shows it', () => {
    const d = curveData(run);
    expect(d).toEqual({ labels: ['1', '2'], loss: [2.1, 1.6], train: [30, 45.67], val: [null, 35.1] });
    const s = curveScales('#fff');
    expect([s.acc.min, s.acc.max, s.acc.title.text]).toEqual([0, 100, 'accuracy (%)']);
    expect(s.acc.ticks.callback(40)).toBe('40%');
    expect([s.loss.title.text, s.x.title.text]).toEqual(['loss', 'epoch']);
  });
});
