import { describe, expect, it } from 'vitest';
import { priorNameProblem, serializePriorFile, parsePriorFile } from '../../../../src/core/priors/files';
import { estimateCautions, estimatedPrior, estimatedPriorName, estimateLogLines, estimateWarnings, LOW_CALIBRATION_ACCURACY, lowAccuracyNote, progressStep, splitCaution } from '../../../../src/extension/estimate/handoff';
import type { EstimateWorkerProgress, PriorEstimate } from '../../../../src/protocol/estimateWorker';

const estimate: PriorEstimate = {
  runDir: '/ws/.lade/runs/lade-cnn',
  folder: '/ws/deploy',
  method: 'em-bcts',
  calibrationSplit: 'val',
  calibrationImages: 120,
  calibrationAccuracy: 0.9,
  backend: 'wasm',
  images: 40,
  skipped: [],
  classes: ['cat', 'red fox'],
  trainPrior: [0.75, 0.25],
  prior: [0.3, 0.7],
  intervals: { level: 0.95, resamples: 200, lo: [0.2, 0.6], hi: [0.4, 0.8] },
  warnings: [],
  shiftViolated: false,
};


describe('the estimated prior handed to the prior editor', () => {
  it('is named estimated-<folder>-<date> within the prior name rules', () => {
    const date = new Date(2025, 2, 7, 9, 5);
    expect(estimatedPriorName('/data/deploy', date)).toBe('estimated-deploy-20250307-0905');
    expect(estimatedPriorName('/data/Camera trap (May)/', date)).toBe('estimated-Camera_trap_May-20250307-0905');
    expect(estimatedPriorName('/data/...', date)).toBe('estimated-images-20250307-0905');
    const long = estimatedPriorName(`/data/${'x'.repeat(200)}`, date);
    for (const name of [long, estimatedPriorName('/data/a.b..c', date), estimatedPriorName('/', date)]) expect(priorNameProblem(name)).toBeNull();
  });

  it('hands the prior editor the shares and 95% intervals, aligned with the classes, as a prior file would hold them', () => {
    const applied = estimatedPrior(estimate, 'estimated-deploy-20250307-0905');
    expect(parsePriorFile(serializePriorFile(applied), 'saved.json')).toEqual(applied);
    expect(applied).toEqual({
      name: 'estimated-deploy-20250307-0905',
      origin: 'estimated (em-bcts, calibrated on val) from 40 images in /ws/deploy',
      classes: ['cat', 'red fox'],
      shares: [0.3, 0.7],
      intervals: [
        [0.2, 0.4],
        [0.6, 0.8],
      ],
    });
  });

  it('leaves the intervals out when there was no bootstrap', () => {
    const applied = estimatedPrior({ ...estimate, intervals: null }, 'e');
    expect(applied.intervals).toBeUndefined();
    expect(applied.shares).toEqual([0.3, 0.7]);
  });

  it('says when the calibration split is test or the model is inaccurate on it, and not otherwise', () => {
    expect(estimateCautions(estimate)).toEqual([]);
    expect(lowAccuracyNote({ ...estimate, calibrationAccuracy: LOW_CALIBRATION_ACCURACY })).toBeNull();
    // The case: 20% accurate, and an interval that looked certain.
    const poor = { ...estimate, calibrationAccuracy: 0.2, calibrationSplit: 'test', intervals: { level: 0.95, resamples: 200, lo: [1, 0], hi: [1, 0] } };
    expect(estimateCautions(poor)).toEqual([
      "The model is only 20.0% accurate on the 'test' split: this estimate is unreliable and its intervals cover resampling only, not the model’s errors.",
      "Calibrating on 'test': the metrics panel evaluates on the same images, so its figures under this prior are optimistic; calibrate on val to keep test unseen.",
    ]);
    expect(estimateWarnings({ ...poor, warnings: ['EM did not converge'] })).toEqual([...estimateCautions(poor), 'EM did not converge']);
    expect(splitCaution('val')).toBeNull();
  });

  it('lists the estimator warnings and the undecodable files, and logs one line per class', () => {
    const warned = { ...estimate, warnings: ['Only 40 deployment images'], skipped: ['a.png: bad', 'b.png: bad'] };
    expect(estimateWarnings(warned)).toEqual(['Only 40 deployment images', '2 image(s) could not be decoded and were left out; first: a.png: bad']);
    expect(estimateWarnings(estimate)).toEqual([]);
    const lines = estimateLogLines(estimate, 'e');
    expect(lines[0]).toBe("Estimated 'e': 40 images in /ws/deploy with run /ws/.lade/runs/lade-cnn (em-bcts, wasm; calibrated on its val split, 120 images, 90.0% accurate)");
    expect(lines[1]).toMatch(/class\s+train\s+estimate\s+95% interval/);
    expect(lines[3]).toMatch(/red fox\s+25\.0%\s+70\.0%\s+\[60\.0%, 80\.0%\]/);
  });
});

describe('progress of an estimate', () => {
  it('moves forward through decode, infer, calibrate, estimate and bootstrap and ends full', () => {
    const steps: EstimateWorkerProgress[] = [
      { phase: 'decode', done: 0, total: 512 },
      { phase: 'infer', done: 0, total: 512 },
      { phase: 'decode', done: 256, total: 512 },
      { phase: 'infer', done: 512, total: 512 },
      { phase: 'calibrate', done: 0, total: 1 },
      { phase: 'calibrate', done: 1, total: 1 },
      { phase: 'estimate', done: 1, total: 1 },
      { phase: 'bootstrap', done: 100, total: 200 },
      { phase: 'bootstrap', done: 200, total: 200 },
    ];
    const fractions = steps.map((p) => progressStep(p, 'em-bcts', 'val').fraction);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]!);
    expect(fractions.at(-1)).toBe(1);
    expect(progressStep(steps[2]!, 'em-bcts', 'val').message).toBe('decoding images 256/512');
    expect(progressStep(steps[4]!, 'em-bcts', 'val').message).toBe('calibrating on the val split (BCTS)');
    expect(progressStep(steps[4]!, 'em', 'test').message).toBe('reading the test split');
    expect(progressStep(steps[6]!, 'bbse', 'val').message).toBe('solving BBSE');
    expect(progressStep(steps[7]!, 'em', 'val').message).toBe('bootstrap 100/200 resamples (95% intervals)');
    expect(progressStep({ phase: 'bootstrap', done: 0, total: 0 }, 'em', 'val').fraction).toBeCloseTo(0.85);
  });
});
