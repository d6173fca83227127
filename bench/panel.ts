// npm run bench:panel — time from a prior change to updated numbers in the metrics panel, in headless
// Chromium with the real webview bundle, workers and binary logits (a LADE run and its CE baseline, so
// three methods: LADE, Softmax, PC Softmax). Baseline measured in the same run: the core's what-if
// evaluations in Node for the same three methods, one after the other on one thread (the panel splits
// the rows across one worker per core). Also a 60 Hz drag: the longest main-thread frame and the lag of
// the final value. Goals: 10,000 x 100 under 16 ms; 50,000 x 1,000 under 100 ms.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { WhatIfEvaluator } from '../src/core/metrics';
import { longTailedCounts, priorBias, shiftedPrior } from '../src/core/priors';
import { Rng } from '../src/core/rng';
import { setShare } from '../webview/priorEditor/rebalance';
import { launchChromium } from '../test/support/browser';
import { openWebview } from '../test/support/webviewHarness';

function makeData(n: number, c: number, trainCounts: Int32Array): { labels: Int32Array; lade: Float32Array; ce: Float32Array } {
  const rng = new Rng(n * 31 + c);
  const rand = () => rng.next();
  const total = trainCounts.reduce((a, b) => a + b, 0);
  const logPrior = Array.from(trainCounts, (k) => Math.log(k / total));
  const labels = new Int32Array(n);
  const lade = new Float32Array(n * c);
  const ce = new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    const y = i % c;
    labels[i] = y;
    for (let k = 0; k < c; k++) {
      const z = 6 * (rand() - 0.5) + (k === y ? 3 * rand() : 0);
      lade[i * c + k] = z;
      ce[i * c + k] = z + (logPrior[k] as number);
    }
  }
  return { labels, lade, ce };
}

// In-page scripts as plain strings: the bundler that runs this file must not rewrite code sent to the page.
/** One change at a time: from the message arriving to the table showing the new numbers. */
const LATENCY_SCRIPT = `async ({ priors, reps }) => {
  const out = [];
  for (let r = 0; r < reps; r++) {
    const label = 'p-' + r;
    const selector = '[data-testid=results][data-label="' + label + '"][data-complete]';
    const done = new Promise((resolve) => {
      const obs = new MutationObserver(() => {
        if (document.querySelector(selector)) { obs.disconnect(); resolve(performance.now()); }
      });
      obs.observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    const t0 = performance.now();
    window.postMessage({ type: 'setTarget', prior: { label, shares: priors[r % priors.length] } }, '*');
    out.push((await done) - t0);
  }
  return out;
}`;

/** A 60 Hz drag of 60 values: the longest gap between frames, and the lag from the last value to its numbers. */
const DRAG_SCRIPT = `async ({ priors }) => {
  let longest = 0;
  let last = performance.now();
  let running = true;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  for (let i = 0; i < 60; i++) {
    window.postMessage({ type: 'setTarget', prior: { label: 'drag-' + i, shares: priors[i % priors.length] } }, '*');
    await new Promise((r) => setTimeout(r, 16));
  }
  const t0 = performance.now();
  while (!document.querySelector('[data-testid=results][data-label="drag-59"][data-complete]')) await new Promise((r) => setTimeout(r, 1));
  const lag = performance.now() - t0;
  running = false;
  return { longest, lag };
}`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] as number;

async function bench(n: number, c: number, reps: number): Promise<void> {
  const trainCounts = longTailedCounts(c, 500, 100);
  const data = makeData(n, c, trainCounts);
  const dir = mkdtempSync(path.join(tmpdir(), 'lade-bench-panel-'));
  writeFileSync(path.join(dir, 'labels.bin'), data.labels);
  writeFileSync(path.join(dir, 'lade.bin'), data.lade);
  writeFileSync(path.join(dir, 'ce.bin'), data.ce);
  const priors = [2, 5, 10, 25, 50].flatMap((r) => [shiftedPrior(trainCounts, 100, 'forward', r), shiftedPrior(trainCounts, 100, 'backward', r)]);
  // A drag of one slider from the backward-10 prior, up and down around its share, as the prior editor
  // computes it.
  const start = Array.from(shiftedPrior(trainCounts, 100, 'backward', 10));
  const unlocked = new Array<boolean>(c).fill(false);
  const dragged = Math.floor(c / 3);
  const sliderPriors = Array.from({ length: 60 }, (_, i) => setShare(start, unlocked, dragged, (start[dragged] as number) * (1 + 2 * Math.sin(i / 6) ** 2)));

  // Baseline: the core in Node, the same three evaluations per prior.
  const lade = new WhatIfEvaluator({ logits: data.lade, labels: data.labels, numClasses: c }, { trainCounts });
  const ce = new WhatIfEvaluator({ logits: data.ce, labels: data.labels, numClasses: c }, { trainCounts });
  const core: number[] = [];
  for (let r = 0; r < reps; r++) {
    const target = priors[r % priors.length] as Float64Array;
    const t = performance.now();
    lade.evaluate(priorBias('lade', trainCounts, target), { targetPrior: target });
    ce.evaluate(priorBias('softmax', trainCounts, target), { targetPrior: target });
    ce.evaluate(priorBias('ce-pc', trainCounts, target), { targetPrior: target });
    core.push(performance.now() - t);
  }

  const browser = await launchChromium();
  try {
    const w = await openWebview(browser, 'metrics', {
      files: { '/labels.bin': path.join(dir, 'labels.bin'), '/lade.bin': path.join(dir, 'lade.bin'), '/ce.bin': path.join(dir, 'ce.bin') },
    });
    const classes = Array.from({ length: c }, (_, k) => `class-${k}`);
    const run = (name: string, lossKind: 'lade' | 'ce', url: string) => ({ name, lossKind, classes, trainCounts: Array.from(trainCounts), split: 'test', numSamples: n, logitsUrl: url, labelsUrl: '/labels.bin' });
    const loadStart = performance.now();
    await w.post({
      type: 'setState',
      state: { status: 'ready', available: [], runs: [run('lade', 'lade', '/lade.bin'), run('ce', 'ce', '/ce.bin')], split: 'test', shots: { many: 100, few: 20 }, perClassTestCount: 10 },
    });
    await w.post({ type: 'setTarget', prior: { label: 'warm-up', shares: Array.from(priors[0] as Float64Array) } });
    await w.page.locator('[data-testid=results][data-label="warm-up"][data-complete]').waitFor({ timeout: 600_000 });
    const loadMs = performance.now() - loadStart;

    // One change at a time: from the message arriving to the table showing the new numbers.
    const args = JSON.stringify({ priors: priors.map((p) => Array.from(p)), reps });
    const whole = (await w.page.evaluate(`(${LATENCY_SCRIPT})(${args})`)) as number[];
    // Back to the drag's starting prior (a full pass), then move one slider.
    await w.post({ type: 'setTarget', prior: { label: 'start', shares: start } });
    await w.page.locator('[data-testid=results][data-label="start"][data-complete]').waitFor({ timeout: 600_000 });
    const sliderArgs = JSON.stringify({ priors: sliderPriors, reps });
    const latencies = (await w.page.evaluate(`(${LATENCY_SCRIPT})(${sliderArgs})`)) as number[];
    const drag = (await w.page.evaluate(`(${DRAG_SCRIPT})(${sliderArgs})`)) as { longest: number; lag: number };
    const engine = await w.page.getByTestId('engine').innerText();
    await w.close();

    const panelMs = median(latencies);
    const coreMs = median(core);
    const goal = c <= 100 ? 16 : 100;
    console.log(
      `${n.toLocaleString('en-US')} x ${c.toLocaleString('en-US')}: slider change -> numbers median ${panelMs.toFixed(1)} ms (p90 ${p90(latencies).toFixed(1)} ms, goal < ${goal} ms: ${panelMs < goal ? 'met' : 'NOT met'}); ` +
        `whole new prior (preset) median ${median(whole).toFixed(1)} ms (p90 ${p90(whole).toFixed(1)} ms); ` +
        `core baseline (3 full passes in Node, sequential) ${coreMs.toFixed(1)} ms, ratio slider / core ${(panelMs / coreMs).toFixed(2)}x; ` +
        `slider drag at 60 Hz: longest frame ${drag.longest.toFixed(1)} ms, last value shown ${drag.lag.toFixed(1)} ms after the drag; ` +
        `first load (fetch + worker setup + sweep) ${(loadMs / 1000).toFixed(1)} s; median of ${reps}; ` +
        `${engine.slice(engine.indexOf('Computed by') + 'Computed by '.length).replace(/\.$/, '')}; load average ${loadavg()[0]?.toFixed(1)}`,
    );
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  await bench(10_000, 100, quick ? 10 : 30);
  if (!quick) await bench(50_000, 1_000, 10);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
