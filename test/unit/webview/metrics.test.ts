// The metrics panel in real headless Chromium: binary logits fetched under the webview CSP, evaluated in
// the what-if worker, and the numbers shown equal to what the core computes for the same prior.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { shiftSweep, WhatIfEvaluator } from '../../../src/core/metrics';
import { priorBias, uniformPrior } from '../../../src/core/priors';
import { buildPreset } from '../../../src/core/priors/presets';
import type { MetricsState } from '../../../src/protocol/metricsPanel';
import { launchChromium } from '../../support/browser';
import { openWebview, type WebviewHarness } from '../../support/webviewHarness';

const classes = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal'];
const trainCounts = [300, 150, 60, 25, 10, 4];
const C = classes.length;
const PER_CLASS = 20;
const N = C * PER_CLASS;
const HALF = 61; // not a multiple of the worker count or of C

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** A CE model has learnt the training prior into its logits; a LADE model has not. Same evidence for both. */
function makeRuns(dir: string): { labels: Int32Array; ce: Float32Array; lade: Float32Array } {
  const rand = rng(7);
  const labels = new Int32Array(N);
  const ce = new Float32Array(N * C);
  const lade = new Float32Array(N * C);
  const total = trainCounts.reduce((a, b) => a + b, 0);
  for (let i = 0; i < N; i++) {
    const y = i % C;
    labels[i] = y;
    for (let k = 0; k < C; k++) {
      const evidence = 2.2 * rand() + (k === y ? 1.6 : 0);
      lade[i * C + k] = evidence;
      ce[i * C + k] = evidence + Math.log(trainCounts[k]! / total);
    }
  }
  writeFileSync(path.join(dir, 'labels-test.bin'), Buffer.from(labels.buffer));
  writeFileSync(path.join(dir, 'logits-ce.bin'), Buffer.from(ce.buffer));
  writeFileSync(path.join(dir, 'logits-lade.bin'), Buffer.from(lade.buffer));
  // A run over fewer evaluation rows (the first HALF), compared side by side with the full one.
  writeFileSync(path.join(dir, 'labels-half.bin'), Buffer.from(labels.slice(0, HALF).buffer));
  writeFileSync(path.join(dir, 'logits-half.bin'), Buffer.from(lade.slice(0, HALF * C).buffer));
  return { labels, ce, lade };
}

const run = (name: string, lossKind: 'ce' | 'lade', logitsUrl = `/runs/logits-${lossKind}.bin`) => ({
  name,
  lossKind,
  classes,
  trainCounts,
  split: 'test',
  numSamples: N,
  logitsUrl,
  labelsUrl: '/runs/labels-test.bin',
});

function ready(runs = [run('lade-1', 'lade'), run('ce-1', 'ce')]): MetricsState {
  return {
    status: 'ready',
    available: [
      { name: 'lade-1', lossKind: 'lade', numClasses: C, splits: ['test'] },
      { name: 'ce-1', lossKind: 'ce', numClasses: C, splits: ['test'] },
    ],
    runs,
    split: 'test',
    shots: { many: 100, few: 20 },
    perClassTestCount: PER_CLASS,
  };
}

type Cells = Record<string, Record<string, number>>;

async function waitFor(w: WebviewHarness, label: string): Promise<Cells> {
  const results = w.page.locator(`[data-testid=results][data-label="${label}"][data-complete]`);
  await results.waitFor({ timeout: 20_000 });
  return results.evaluate((el) => {
    const out: Record<string, Record<string, number>> = {};
    for (const td of el.querySelectorAll<HTMLElement>('td[data-method][data-value]')) {
      const m = td.dataset.method as string;
      (out[m] ??= {})[td.dataset.metric as string] = Number(td.dataset.value);
    }
    return out;
  });
}

describe('metrics panel webview', () => {
  let browser: Browser;
  let w: WebviewHarness;
  let data: ReturnType<typeof makeRuns>;
  let lade: WhatIfEvaluator;
  let ce: WhatIfEvaluator;

  const core = (target: Float64Array) => ({
    'lade-1:lade': lade.evaluatePrior('lade', trainCounts, target),
    'ce-1:softmax': ce.evaluatePrior('softmax', trainCounts, target),
    'ce-1:pc_softmax': ce.evaluatePrior('ce-pc', trainCounts, target),
  });

  function expectCore(cells: Cells, target: Float64Array): void {
    for (const [method, m] of Object.entries(core(target))) {
      const shown = cells[method]!;
      expect(shown.expectedAccuracy).toBeCloseTo(m.expectedAccuracy, 12);
      expect(shown.many).toBeCloseTo(m.shots!.many!, 12);
      expect(shown.few).toBeCloseTo(m.shots!.few!, 12);
      expect(shown.macroRecall).toBeCloseTo(m.macroRecall, 12);
      expect(shown.macroPrecision).toBeCloseTo(m.macroPrecision, 12);
      expect(shown.nll).toBeCloseTo(m.nll, 9);
      expect(shown.ece).toBeCloseTo(m.ece, 9);
    }
  }

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lade-metrics-'));
    data = makeRuns(dir);
    lade = new WhatIfEvaluator({ logits: data.lade, labels: data.labels, numClasses: C }, { trainCounts });
    ce = new WhatIfEvaluator({ logits: data.ce, labels: data.labels, numClasses: C }, { trainCounts });
    browser = await launchChromium();
    w = await openWebview(browser, 'metrics', {
      files: {
        '/runs/labels-test.bin': path.join(dir, 'labels-test.bin'),
        '/runs/logits-ce.bin': path.join(dir, 'logits-ce.bin'),
        '/runs/logits-lade.bin': path.join(dir, 'logits-lade.bin'),
        '/runs/labels-half.bin': path.join(dir, 'labels-half.bin'),
        '/runs/logits-half.bin': path.join(dir, 'logits-half.bin'),
      },
    });
  });
  afterAll(async () => {
    await w?.close();
    await browser?.close();
  });

  it('fetches the binary logits and shows Softmax, PC Softmax and LADE exactly as the core evaluates them', async () => {
    await expect.poll(() => w.sent()).toEqual([{ type: 'ready' }]);
    await w.post({ type: 'setState', state: ready() });
    await w.post({ type: 'setTarget', prior: { label: 'uniform', shares: Array.from(uniformPrior(C)) } });
    expectCore(await waitFor(w, 'uniform'), uniformPrior(C));
    const headers = await w.page.locator('[data-testid=results] thead th').allInnerTexts();
    expect(headers.slice(1)).toEqual(['LADE', 'Softmax', 'PC Softmax']);
    // The workers run the WebAssembly SIMD scan under the webview's CSP, with the rows split between them.
    expect(await w.page.getByTestId('engine').getAttribute('data-engine')).toBe('wasm');
    expect(await w.page.getByTestId('engine').innerText()).toMatch(/Computed by WebAssembly SIMD in [1-4] workers\./);
    expect(await w.cspViolations()).toEqual([]);
  });

  it('fits 250, 300 and 1400 px without sideways overflow; every chart has titled axes and a legend for several series', async () => {
    await w.page.locator('[data-testid=sweep][data-label="uniform"][data-complete]').waitFor({ timeout: 20_000 });
    for (const width of [250, 300, 1400]) {
      await w.page.setViewportSize({ width, height: 900 });
      await w.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const fit = await w.page.evaluate(() => {
        const doc = document.scrollingElement as HTMLElement;
        const boxes = [...document.querySelectorAll<HTMLElement>('.table-scroll')];
        return {
          page: [doc.scrollWidth, doc.clientWidth],
          boxes: boxes.map((b) => ({ right: b.getBoundingClientRect().right, inner: b.scrollWidth - b.clientWidth })),
        };
      });
      expect(fit.page[0], `page at ${width} px`).toBeLessThanOrEqual(fit.page[1]!);
      expect(fit.boxes.length).toBe(3); // the numbers, the per-class table, the sweep
      for (const b of fit.boxes) expect(b.right).toBeLessThanOrEqual(width);
      // Wide enough for every table: none of them scrolls (the sweep's last column was cut off here).
      if (width === 1400) expect(fit.boxes.map((b) => b.inner)).toEqual(fit.boxes.map(() => 0));
    }
    await w.page.setViewportSize({ width: 1100, height: 900 });
    const charts = await w.page.evaluate(() => {
      const registry = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { options: { scales: Record<string, { title?: { text?: string } }>; plugins: { legend: { display: boolean } } }; data: { datasets: unknown[] } } | undefined } }).Chart;
      return [...document.querySelectorAll('canvas')]
        .filter((c) => !c.classList.contains('full-matrix'))
        .map((c) => {
          const chart = registry.getChart(c);
          return { label: c.getAttribute('aria-label'), x: chart?.options.scales.x?.title?.text, y: chart?.options.scales.y?.title?.text, series: chart?.data.datasets.length, legend: chart?.options.plugins.legend.display };
        });
    });
    expect(charts.length).toBe(3); // long-tail recall, reliability, sweep
    for (const c of charts) {
      expect(c.x, c.label ?? '').toBeTruthy();
      expect(c.y, c.label ?? '').toBeTruthy();
      if ((c.series ?? 0) > 1) expect(c.legend, c.label ?? '').toBe(true);
    }
  });

  it('sorts the per-class table by a clicked column and finds classes by name', async () => {
    const table = w.page.getByTestId('class-table');
    const shown = () => table.locator('tbody tr[data-class]').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.class)));
    const byCount = [...classes.keys()].sort((a, b) => trainCounts[a]! - trainCounts[b]!);
    await table.getByRole('button', { name: 'training images' }).click();
    expect(await shown()).toEqual([...byCount].reverse());
    await table.getByRole('button', { name: 'training images' }).click();
    expect(await shown()).toEqual(byCount);
    await table.getByRole('button', { name: 'class', exact: true }).click();
    expect(await shown()).toEqual([...classes.keys()].sort((a, b) => classes[a]!.localeCompare(classes[b]!)));
    // By the LADE column's recall: the order the core's per-class recall gives (ties by training rank).
    await table.getByRole('button', { name: 'LADE recall %' }).click();
    const recall = lade.evaluatePrior('lade', trainCounts, uniformPrior(C)).perClassRecall;
    const values = (await shown()).map((c) => recall[c]!);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(await table.locator('th[aria-sort=descending]').innerText()).toBe('LADE recall %');
    await w.page.getByLabel('Search classes').fill('ER');
    expect(await shown()).toEqual([1, 2].sort((a, b) => recall[b]! - recall[a]! || a - b)); // trouser, pullover
    await w.page.getByLabel('Search classes').fill('');
  });

  it('a new prior (backward-5, as the editor builds it) re-evaluates to the core values; compensation beats Softmax', async () => {
    const prior = buildPreset({ kind: 'backward', ratio: 5, perClassCount: PER_CLASS }, classes, trainCounts);
    await w.post({ type: 'setTarget', prior: { label: 'backward-5', shares: Array.from(prior) } });
    const cells = await waitFor(w, 'backward-5');
    expectCore(cells, prior);
    expect(cells['ce-1:pc_softmax']!.expectedAccuracy).toBeGreaterThan(cells['ce-1:softmax']!.expectedAccuracy);
    expect(cells['lade-1:lade']!.expectedAccuracy).toBeGreaterThan(cells['ce-1:softmax']!.expectedAccuracy);

    // The sweep is the paper's subset protocol, with the current setting marked (drawn in the frame after the numbers).
    await w.page.locator('[data-testid=sweep][data-label="backward-5"][data-complete]').waitFor({ timeout: 20_000 });
    const sweep = shiftSweep(lade, { labels: data.labels, trainCounts, kind: 'lade', sourcePrior: trainCounts, perClassTestCount: PER_CLASS });
    const row = await w.page.locator('[data-testid=sweep] tr[data-method="lade-1:lade"] td').allInnerTexts();
    expect(row.slice(0, sweep.length)).toEqual(sweep.map((s) => (s.metrics.top1 * 100).toFixed(2)));
    expect(await w.page.locator('[data-testid=sweep] th.current').allInnerTexts()).toEqual(['backward-5', 'current (backward-5)']);
    expect(await w.page.getByTestId('sweep-current').count()).toBe(1);
  });

  it('after a burst of slider moves the numbers are those of the last prior, in the same table cells', async () => {
    // The table is patched in place, not rebuilt: a cell taken before the burst shows the final number.
    const cell = await w.page.locator('[data-testid=results] td[data-method="lade-1:lade"][data-metric=expectedAccuracy]').elementHandle();
    const total = trainCounts.reduce((a, b) => a + b, 0);
    for (let step = 1; step <= 30; step++) {
      const shares = trainCounts.map((n, k) => (k === 5 ? step : n / total));
      await w.post({ type: 'setTarget', prior: { label: `drag-${step}`, shares } });
    }
    const last = trainCounts.map((n, k) => (k === 5 ? 30 : n / total));
    const sum = last.reduce((a, b) => a + b, 0);
    const target = Float64Array.from(last, (x) => x / sum);
    expectCore(await waitFor(w, 'drag-30'), target);
    expect(await cell!.evaluate((td) => [td.isConnected, Number((td as HTMLElement).dataset.value)])).toEqual([true, lade.evaluatePrior('lade', trainCounts, target).expectedAccuracy]);
  });

  it('shows the confusion by shot group and the top confusions, and the full matrix on demand', async () => {
    const target = Float64Array.from(trainCounts.map((n) => n / 549));
    await w.post({ type: 'setTarget', prior: { label: 'training', shares: Array.from(target) } });
    await waitFor(w, 'training');
    await w.page.locator('[data-testid=confusion][data-label="training"][data-complete]').waitFor({ timeout: 20_000 });
    const conf = lade.evaluate(priorBias('lade', trainCounts, target)).confusion;
    const pairs: [number, number, number][] = [];
    for (let y = 0; y < C; y++) for (let p = 0; p < C; p++) if (y !== p && conf[y * C + p]! > 0) pairs.push([y, p, conf[y * C + p]!]);
    pairs.sort((a, b) => b[2] - a[2]);
    const top = await w.page.getByTestId('top-confusions').locator('li').first().innerText();
    expect(top).toBe(`${classes[pairs[0]![0]]} → ${classes[pairs[0]![1]]}: ${pairs[0]![2]}`);
    await w.page.getByRole('button', { name: /Show full 6 × 6 matrix/ }).click();
    expect(await w.page.locator('canvas.full-matrix').count()).toBe(1);
  });

  it('shows one method\'s refusal in its own column while the others keep the core\'s numbers', async () => {
    // A CE run with a class it never saw in training: PC Softmax cannot compensate it (-log 0), the rest can.
    const gap = [300, 150, 60, 25, 10, 0];
    const ceGap = { ...run('ce-gap', 'ce'), trainCounts: gap };
    await w.post({ type: 'setState', state: ready([run('lade-1', 'lade'), ceGap]) });
    const target = uniformPrior(C);
    await w.post({ type: 'setTarget', prior: { label: 'uniform-gap', shares: Array.from(target) } });
    const cells = await waitFor(w, 'uniform-gap');
    const gapEvaluator = new WhatIfEvaluator({ logits: data.ce, labels: data.labels, numClasses: C }, { trainCounts: gap });
    expect(cells['ce-gap:softmax']!.expectedAccuracy).toBeCloseTo(gapEvaluator.evaluatePrior('softmax', gap, target).expectedAccuracy, 12);
    expect(cells['ce-gap:softmax']!.nll).toBeCloseTo(gapEvaluator.evaluatePrior('softmax', gap, target).nll, 9);
    expect(cells['lade-1:lade']!.expectedAccuracy).toBeCloseTo(lade.evaluatePrior('lade', trainCounts, target).expectedAccuracy, 12);
    expect(cells['ce-gap:pc_softmax']).toBeUndefined(); // no numbers in its cells
    const alert = w.page.locator('[data-testid=results] p[role=alert]');
    expect(await alert.innerText()).toContain('PC Softmax: PC Softmax: class 5 has no training images (source prior 0)');
    // Its error clears with a prior that gives that class nothing.
    const without = Float64Array.from([0.3, 0.3, 0.2, 0.1, 0.1, 0]);
    await w.post({ type: 'setTarget', prior: { label: 'no-sandal', shares: Array.from(without) } });
    const after = await waitFor(w, 'no-sandal');
    expect(after['ce-gap:pc_softmax']!.expectedAccuracy).toBeCloseTo(gapEvaluator.evaluatePrior('ce-pc', gap, without).expectedAccuracy, 12);
    expect(await alert.count()).toBe(0);
  });

  it('compares runs over different numbers of evaluation rows, each split across the workers on its own', async () => {
    const half = { ...run('lade-half', 'lade', '/runs/logits-half.bin'), labelsUrl: '/runs/labels-half.bin', numSamples: HALF };
    await w.post({ type: 'setState', state: ready([run('lade-1', 'lade'), half]) });
    const target = buildPreset({ kind: 'backward', ratio: 5, perClassCount: PER_CLASS }, classes, trainCounts);
    await w.post({ type: 'setTarget', prior: { label: 'halves', shares: Array.from(target) } });
    const cells = await waitFor(w, 'halves');
    const short = new WhatIfEvaluator({ logits: data.lade.slice(0, HALF * C), labels: data.labels.slice(0, HALF), numClasses: C }, { trainCounts });
    for (const [method, evaluator] of [['lade-1:lade', lade], ['lade-half:lade', short]] as const) {
      const m = evaluator.evaluatePrior('lade', trainCounts, target);
      expect(cells[method]!.expectedAccuracy).toBeCloseTo(m.expectedAccuracy, 12);
      expect(cells[method]!.macroPrecision).toBeCloseTo(m.macroPrecision, 12);
      expect(cells[method]!.nll).toBeCloseTo(m.nll, 9);
      expect(cells[method]!.ece).toBeCloseTo(m.ece, 9);
    }
    expect(cells['lade-half:lade']!.expectedAccuracy).not.toBe(cells['lade-1:lade']!.expectedAccuracy);
    const headers = await w.page.locator('[data-testid=results] thead th').allInnerTexts();
    expect(headers.slice(1)).toEqual(['LADE (lade-1)', 'LADE (lade-half)']);
  });

  it('the long-tail chart orders classes by training count, and bins thousands of classes by rank', async () => {
    const chartOf = (testid: string) =>
      w.page.getByTestId(testid).evaluate((c) => {
        const chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { data: { labels: string[]; datasets: { label: string; data: (number | null)[] }[] } } } }).Chart.getChart(c as HTMLCanvasElement);
        return chart.data;
      });
    // Counts in no particular order: the chart's classes follow them, most first, with the count line falling.
    const shuffled = [25, 300, 4, 150, 10, 60];
    await w.post({ type: 'setState', state: ready([{ ...run('lade-1', 'lade'), trainCounts: shuffled }]) });
    await w.post({ type: 'setTarget', prior: { label: 'uniform-shuffled', shares: Array.from(uniformPrior(C)) } });
    await waitFor(w, 'uniform-shuffled');
    await w.page.locator('[data-testid=per-class][data-label="uniform-shuffled"][data-complete]').waitFor({ timeout: 20_000 });
    const data = await chartOf('recall-chart');
    expect(data.labels).toEqual(['trouser', 'dress', 'sandal', 't-shirt', 'coat', 'pullover']);
    const counts = data.datasets.find((d) => d.label.startsWith('training images'))!.data;
    expect(counts).toEqual([300, 150, 60, 25, 10, 4]);
    // many (> 100): trouser, dress; medium: sandal, t-shirt (60, 25); few (< 20): coat, pullover.
    const bands = data.datasets.filter((d) => d.label.endsWith('recall %')).map((d) => d.data.map((v) => v !== null));
    expect(bands).toEqual([
      [true, true, false, false, false, false],
      [false, false, true, true, false, false],
      [false, false, false, false, true, true],
    ]);

    // 8,142 classes (iNaturalist): bins of neighbouring ranks, never one bar per class; the table keeps only
    // the rows in view and finds any class. (No logits behind this run: the layout is built from the state.)
    const many = 8142;
    const names = Array.from({ length: many }, (_, k) => `species-${k}`);
    const counts8k = Array.from({ length: many }, (_, k) => Math.max(1, Math.round(1000 / (1 + ((k * 7919) % many) / 20))));
    await w.post({ type: 'setState', state: { ...ready([{ ...run('inat', 'lade'), classes: names, trainCounts: counts8k, logitsUrl: '/missing.bin' }]), available: [] } });
    await w.page.getByTestId('error').waitFor();
    const big = await chartOf('recall-chart');
    expect(big.labels.length).toBeLessThanOrEqual(210);
    expect(big.labels[0]).toMatch(/^ranks 1–\d+$/);
    const line = big.datasets.find((d) => d.label.startsWith('training images'))!.data as number[];
    for (let i = 1; i < line.length; i++) expect(line[i]).toBeLessThanOrEqual(line[i - 1]!);
    const table = w.page.getByTestId('class-table');
    expect(await table.locator('tbody tr[data-class]').count()).toBeLessThan(40);
    await w.page.getByLabel('Search classes').fill('species-8141');
    expect(await table.locator('tbody tr[data-class]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.class))).toEqual(['8141']);
    await w.post({ type: 'setState', state: ready() });
  });

  it('posts typed commands, restores its view after a reload, and reports a wrong logits file', async () => {
    await w.page.getByRole('button', { name: 'Export lade-1 adjusted…' }).click();
    await w.page.getByLabel('ce-1 (ce, 6 classes)').uncheck();
    await w.page.getByRole('button', { name: 'Compare selected runs' }).click();
    expect((await w.sent()).slice(-2)).toEqual([
      { type: 'exportModel', run: 'lade-1' },
      { type: 'selectRuns', names: ['lade-1'] },
    ]);

    await w.reload();
    await expect.poll(() => w.sent()).toEqual([{ type: 'ready' }]);
    await w.post({ type: 'setState', state: ready() });
    await w.post({ type: 'setTarget', prior: { label: 'uniform', shares: Array.from(uniformPrior(C)) } });
    await waitFor(w, 'uniform');
    expect(await w.page.locator('canvas.full-matrix').count()).toBe(1);

    await w.post({ type: 'setState', state: ready([run('lade-1', 'lade', '/runs/labels-test.bin')]) });
    const alert = w.page.getByTestId('error');
    await alert.waitFor();
    expect(await alert.innerText()).toContain(`lade-1: logits-test.bin has ${N * 4} bytes, expected ${N} x ${C} x 4 = ${N * C * 4}.`);
  });
});
