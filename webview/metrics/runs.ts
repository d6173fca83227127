// Loading the selected runs: their logits and labels fetched as binary, the what-if workers started, and
// the newest prior requested from them.
import { biasKindOf, methodLabel, methodsFor, type Method } from '../../src/core/runs/lossKind';
import type { MetricsRun } from '../../src/protocol/metricsPanel';
import type { MethodSpec } from '../../src/protocol/whatifWorker';
import { methodColor } from './colors';
import { page, view, type Column, type Ready } from './page';
import { WhatIfPool, workerCount } from './whatifPool';

// The worker bundle sits next to this script; it is started from a blob because webview resources live
// on another origin than the webview itself.
const workerUrl = new URL('whatif.worker.js', (document.currentScript as HTMLScriptElement).src).toString();
let loadKey = '';

function methodsOf(run: MetricsRun): MethodSpec[] {
  return methodsFor(run.lossKind).map((m) => ({ id: `${run.name}:${m}`, label: methodLabel(m, run.lossKind), kind: biasKindOf(m) }));
}

function columnsOf(run: MetricsRun): Column[] {
  const methods = methodsFor(run.lossKind);
  return methodsOf(run).map((spec, i) => ({ ...spec, run: run.name, color: methodColor(methods[i] as Method) }));
}

async function fetchBinary(url: string, what: string): Promise<ArrayBuffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status}`);
  return res.arrayBuffer();
}

let workerSource: Promise<string> | null = null;
async function startWorker(): Promise<Worker> {
  workerSource ??= fetch(workerUrl).then((r) => {
    if (!r.ok) throw new Error(`the what-if worker script: HTTP ${r.status}`);
    return r.text();
  });
  const blob = new Blob([await workerSource], { type: 'text/javascript' });
  return new Worker(URL.createObjectURL(blob));
}

export function stopWorkers(): void {
  page.pool?.terminate();
  page.pool = null;
}

/** Loads the runs of a ready state unless they are loaded already; `render` shows each step. */
export async function loadRuns(s: Ready, render: () => void): Promise<void> {
  const key = JSON.stringify(s.runs.map((r) => [r.name, r.split, r.logitsUrl]));
  if (key === loadKey) return;
  loadKey = key;
  stopWorkers();
  page.loadError = null;
  page.columns = s.runs.flatMap(columnsOf);
  const duplicates = new Set(page.columns.filter((c, i) => page.columns.findIndex((d) => d.label === c.label) !== i).map((c) => c.label));
  page.columns = page.columns.map((c) => (duplicates.has(c.label) ? { ...c, label: `${c.label} (${c.run})` } : c));
  if (!view.focus || !page.columns.some((c) => c.id === view.focus)) view.focus = page.columns.find((c) => c.kind === 'lade')?.id ?? page.columns.at(-1)?.id ?? null;
  render();
  const threads: Worker[] = [];
  try {
    const [runs] = await Promise.all([
      Promise.all(
        s.runs.map(async (run) => {
          const [logits, labels] = await Promise.all([fetchBinary(run.logitsUrl, `${run.name} logits`), fetchBinary(run.labelsUrl, `${run.name} labels`)]);
          const expected = run.numSamples * run.classes.length * 4;
          if (logits.byteLength !== expected) throw new Error(`${run.name}: logits-${run.split}.bin has ${logits.byteLength} bytes, expected ${run.numSamples} x ${run.classes.length} x 4 = ${expected}.`);
          if (labels.byteLength !== run.numSamples * 4) throw new Error(`${run.name}: labels-${run.split}.bin has ${labels.byteLength} bytes, expected ${run.numSamples} x 4 = ${run.numSamples * 4}.`);
          return { name: run.name, numSamples: run.numSamples, methods: methodsOf(run), logits, labels, trainCounts: run.trainCounts };
        }),
      ),
      ...Array.from({ length: workerCount(Math.min(...s.runs.map((r) => r.numSamples))) }, async () => threads.push(await startWorker())),
    ]);
    if (key !== loadKey) {
      for (const t of threads) t.terminate();
      return; // another selection arrived meanwhile
    }
    const setup = { numClasses: s.runs[0]?.classes.length ?? 0, thresholds: s.shots, perClassTestCount: s.perClassTestCount };
    page.pool = new WhatIfPool(threads, runs, setup, render, (message) => {
      page.loadError = message;
      render();
    });
    requestAll();
  } catch (err) {
    for (const t of threads) t.terminate();
    if (key !== loadKey) return;
    page.loadError = (err as Error).message;
    render();
  }
}

export function requestAll(): void {
  if (!page.target || !page.pool) return;
  page.pool.request(++page.requestId, page.target.shares);
}

/** Forgets the loaded runs (the state is no longer ready). */
export function unload(): void {
  stopWorkers();
  loadKey = '';
}
