// The metrics panel: Softmax, PC Softmax and LADE side by side under the current target prior. Logits are
// fetched as binary and split by rows across the what-if workers (one per core, see whatifPool.ts); every
// prior change is one pass over the rows shared between them. While they work only the newest prior waits.
import '../shared/base.css';
import './styles.css';
import { denseConfusion, shotGroup, type ShotGroup } from '../../src/core/metrics';
import { biasKindOf, methodLabel, methodsFor } from '../../src/core/runs/lossKind';
import { parseMetricsHostMessage, type MetricsRun, type MetricsState, type MetricsWebviewMessage } from '../../src/protocol/metricsPanel';
import type { TargetPrior } from '../../src/protocol/priorEditor';
import { formatNumber, h } from '../shared/dom';
import { vscodeApi } from '../shared/vscodeApi';
import { drawConfusion, drawRecallBars, drawReliability, readTheme, sweepChart, type Theme } from './charts';
import { WhatIfPool, workerCount } from './whatifPool';
import type { MethodResult, MethodSpec, Scalars } from './workerProtocol';

interface ViewState {
  focus: string | null;
  fullMatrix: boolean;
}

type Ready = Extract<MetricsState, { status: 'ready' }>;
interface Column extends MethodSpec {
  readonly run: string;
}

const api = vscodeApi<MetricsWebviewMessage, ViewState>();
const view: ViewState = api.getState() ?? { focus: null, fullMatrix: false };
const app = document.getElementById('app') as HTMLElement;
// The worker bundle sits next to this script; it is started from a blob because webview resources live
// on another origin than the webview itself.
const workerUrl = new URL('whatif.worker.js', (document.currentScript as HTMLScriptElement).src).toString();

let state: MetricsState | undefined;
let target: TargetPrior | undefined;
let pool: WhatIfPool | null = null;
let columns: Column[] = [];
let loadError: string | null = null;
let loadKey = '';
let requestId = 0;
const persist = () => api.setState(view);

function methodsOf(run: MetricsRun): MethodSpec[] {
  return methodsFor(run.lossKind).map((m) => ({ id: `${run.name}:${m}`, label: methodLabel(m, run.lossKind), kind: biasKindOf(m) }));
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

function stopWorkers(): void {
  pool?.terminate();
  pool = null;
}

async function loadRuns(s: Ready): Promise<void> {
  const key = JSON.stringify(s.runs.map((r) => [r.name, r.split, r.logitsUrl]));
  if (key === loadKey) return;
  loadKey = key;
  stopWorkers();
  loadError = null;
  columns = s.runs.flatMap((r) => methodsOf(r).map((m) => ({ ...m, run: r.name })));
  const duplicates = new Set(columns.filter((c, i) => columns.findIndex((d) => d.label === c.label) !== i).map((c) => c.label));
  columns = columns.map((c) => (duplicates.has(c.label) ? { ...c, label: `${c.label} (${c.run})` } : c));
  if (!view.focus || !columns.some((c) => c.id === view.focus)) view.focus = columns.find((c) => c.kind === 'lade')?.id ?? columns.at(-1)?.id ?? null;
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
    pool = new WhatIfPool(threads, runs, setup, render, (message) => {
      loadError = message;
      render();
    });
    requestAll();
  } catch (err) {
    for (const t of threads) t.terminate();
    if (key !== loadKey) return;
    loadError = (err as Error).message;
    render();
  }
}

function requestAll(): void {
  if (!target || !pool) return;
  pool.request(++requestId, target.shares);
}

function resultOf(col: Column): MethodResult | undefined {
  return pool?.latest?.results.get(col.id);
}

const pct = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(2)}`);
const METRICS: { key: string; label: string; get: (s: Scalars) => number | null; fmt: (v: number | null) => string; higherBetter: boolean }[] = [
  { key: 'expectedAccuracy', label: 'expected accuracy %', get: (s) => s.expectedAccuracy, fmt: pct, higherBetter: true },
  { key: 'many', label: 'many-shot %', get: (s) => s.shots?.many ?? null, fmt: pct, higherBetter: true },
  { key: 'medium', label: 'medium-shot %', get: (s) => s.shots?.medium ?? null, fmt: pct, higherBetter: true },
  { key: 'few', label: 'few-shot %', get: (s) => s.shots?.few ?? null, fmt: pct, higherBetter: true },
  { key: 'macroRecall', label: 'macro recall %', get: (s) => s.macroRecall, fmt: pct, higherBetter: true },
  { key: 'macroPrecision', label: 'macro precision %', get: (s) => s.macroPrecision, fmt: pct, higherBetter: true },
  { key: 'nll', label: 'NLL', get: (s) => s.nll, fmt: (v) => (v === null ? '—' : v.toFixed(3)), higherBetter: false },
  { key: 'ece', label: 'ECE', get: (s) => s.ece, fmt: (v) => (v === null ? '—' : v.toFixed(3)), higherBetter: false },
];

/**
 * The numbers table, built once per layout; `update` patches the cells' text in place (no new nodes, so a
 * prior change costs the browser a text repaint, not a table layout from scratch).
 */
function resultsTable(): { section: HTMLElement; update: () => void } {
  const cells = METRICS.map(() => columns.map(() => ({ value: document.createTextNode(''), diff: h('span', { title: 'difference to the uniform prior' }) })));
  const rows = METRICS.map((m, i) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, m.label),
      ...columns.map((c, j) => {
        const cell = cells[i]?.[j] as { value: Text; diff: HTMLElement };
        return h('td', { class: 'num', 'data-method': c.id, 'data-metric': m.key }, cell.value, cell.diff);
      }),
    ),
  );
  const errors = h('div');
  const section = h(
    'section',
    { 'aria-label': 'Metrics under the target prior', 'data-testid': 'results' },
    h('table', { class: 'metrics' }, h('thead', {}, h('tr', {}, h('th', {}, ''), ...columns.map((c) => h('th', { scope: 'col', class: 'num' }, c.label)))), h('tbody', {}, ...rows)),
    errors,
    h(
      'p',
      { class: 'status', 'data-testid': 'engine', 'data-engine': pool?.engine ?? '' },
      'Differences are to the same method under the uniform prior.',
      pool?.loaded ? ` Computed by ${pool.engine === 'wasm' ? 'WebAssembly SIMD' : 'JavaScript (WebAssembly refused here)'} in ${pool.workers} workers.` : '',
    ),
  );
  let shownErrors = '';
  const update = () => {
    const uniformOf = (c: Column) => pool?.uniform.get(c.id);
    const results = columns.map(resultOf);
    METRICS.forEach((m, i) =>
      columns.forEach((c, j) => {
        const cell = cells[i]?.[j] as { value: Text; diff: HTMLElement };
        const td = cell.value.parentElement as HTMLElement;
        const r = results[j];
        const v = !r?.error && r?.scalars ? m.get(r.scalars) : null;
        const u = uniformOf(c);
        const base = u ? m.get(u) : null;
        const diff = v !== null && base !== null ? v - base : null;
        const shown = diff !== null && Math.abs(diff) > 1e-12;
        const better = shown && diff > 0 === m.higherBetter;
        td.className = r?.error ? 'error' : 'num';
        if (v === null) td.removeAttribute('data-value');
        else td.setAttribute('data-value', String(v));
        cell.value.data = r?.error ? '—' : m.fmt(v);
        cell.diff.className = shown ? `diff ${better ? 'up' : 'down'}` : '';
        cell.diff.textContent = shown ? ` ${diff > 0 ? '+' : '−'}${m.fmt(Math.abs(diff))}` : '';
      }),
    );
    const failed = columns.map((c, j) => ({ c, e: results[j]?.error })).filter((x) => x.e);
    const key = failed.map(({ c, e }) => `${c.id}:${e}`).join('\n');
    if (key !== shownErrors) {
      shownErrors = key;
      errors.replaceChildren(...failed.map(({ c, e }) => h('p', { class: 'error', role: 'alert' }, `${c.label}: ${e}`)));
    }
    markShown(section); // last: whoever waits for the label and data-complete sees the finished cells
  };
  return { section, update };
}

/** Marks a section with the prior it shows, and data-complete once every method's numbers for it are in. */
function markShown(el: HTMLElement): void {
  el.setAttribute('data-label', target?.label ?? '');
  const complete = completeId();
  if (complete === undefined) el.removeAttribute('data-complete');
  else el.setAttribute('data-complete', complete);
}

function shotOrder(run: MetricsRun, shots: Ready['shots']): { order: number[]; groups: ShotGroup[] } {
  const groups = run.trainCounts.map((n) => shotGroup(n, shots));
  const order = run.trainCounts.map((_, i) => i).sort((a, b) => (run.trainCounts[b] ?? 0) - (run.trainCounts[a] ?? 0) || a - b);
  return { order, groups };
}

function focusSelect(): HTMLElement {
  const select = h('select', { id: 'focus', 'aria-label': 'Method shown in the charts' }, ...columns.map((c) => h('option', { value: c.id, selected: c.id === view.focus }, c.label)));
  select.addEventListener('change', () => {
    view.focus = select.value;
    persist();
    render();
  });
  return h('label', { for: 'focus' }, 'Charts for ', select);
}

const SHOT_GROUPS: ShotGroup[] = ['many', 'medium', 'few'];
const TOP_CONFUSIONS = 10;

/**
 * Shot group x shot group mass (where each group's images end up) and the largest off-diagonal cells, in
 * O(cells): `scratch` (C x C zeros, kept by the caller and left zeroed) adds up a cell listed once per worker.
 */
function summarizeConfusion(cells: Int32Array, c: number, groups: readonly ShotGroup[], scratch: Int32Array): { mass: number[][]; pairs: { y: number; p: number; n: number }[] } {
  const mass = SHOT_GROUPS.map(() => SHOT_GROUPS.map(() => 0));
  const groupIndex = groups.map((g) => SHOT_GROUPS.indexOf(g));
  for (let j = 0; j < cells.length; j += 3) {
    const y = cells[j] as number;
    const p = cells[j + 1] as number;
    const n = cells[j + 2] as number;
    const row = mass[groupIndex[y] ?? 2] as number[];
    row[groupIndex[p] ?? 2] = (row[groupIndex[p] ?? 2] ?? 0) + n;
    if (y !== p) scratch[y * c + p] += n;
  }
  // Kept sorted while scanning, largest first; a tie goes to the earlier cell in row-major order.
  const pairs: { y: number; p: number; n: number; at: number }[] = [];
  for (let j = 0; j < cells.length; j += 3) {
    const at = (cells[j] as number) * c + (cells[j + 1] as number);
    const n = scratch[at] as number;
    if (n === 0) continue; // the diagonal, or a cell already taken
    scratch[at] = 0;
    const last = pairs[TOP_CONFUSIONS - 1];
    if (last && (n < last.n || (n === last.n && at > last.at))) continue;
    let i = pairs.length;
    while (i > 0 && ((pairs[i - 1]?.n ?? 0) < n || (pairs[i - 1]?.n === n && (pairs[i - 1]?.at ?? 0) > at))) i--;
    pairs.splice(i, 0, { y: cells[j] as number, p: cells[j + 1] as number, n, at });
    if (pairs.length > TOP_CONFUSIONS) pairs.pop();
  }
  return { mass, pairs };
}

/** The confusion section, built once per layout; `update` patches its cells and list to the focused method's matrix. */
function confusionSection(s: Ready, groups: ShotGroup[]): { section: HTMLElement; update: (r: MethodResult | undefined) => void } {
  const c = s.runs[0]?.classes.length ?? 0;
  const names = s.runs[0]?.classes ?? [];
  const groupCells = SHOT_GROUPS.map(() => SHOT_GROUPS.map(() => h('td', { class: 'num' })));
  const groupTable = h(
    'table',
    { class: 'group-confusion' },
    h('thead', {}, h('tr', {}, h('th', {}, 'true \\ predicted'), ...SHOT_GROUPS.map((g) => h('th', { class: 'num' }, g)))),
    h('tbody', {}, ...SHOT_GROUPS.map((g, i) => h('tr', {}, h('th', { scope: 'row' }, g), ...(groupCells[i] as HTMLElement[])))),
  );
  const items = Array.from({ length: TOP_CONFUSIONS }, () => h('li', { hidden: true }));
  const top = h('ol', { class: 'top-confusions', 'data-testid': 'top-confusions' }, ...items);
  const toggle = h('button', { type: 'button', 'aria-pressed': String(view.fullMatrix) }, view.fullMatrix ? 'Hide full matrix' : `Show full ${c} × ${c} matrix`);
  toggle.addEventListener('click', () => {
    view.fullMatrix = !view.fullMatrix;
    persist();
    render();
  });
  const body = h('div', { hidden: true }, h('div', { class: 'confusion-grid' }, h('div', {}, h('h3', {}, 'By shot group'), groupTable), h('div', {}, h('h3', {}, 'Top confusions'), top)), toggle);
  const canvas = view.fullMatrix ? h('canvas', { class: 'full-matrix', role: 'img', 'aria-label': `Confusion matrix, ${c} classes sorted by training count` }) : null;
  if (canvas) body.append(canvas);
  const section = h('section', { 'aria-label': 'Confusion', 'data-testid': 'confusion' }, h('h2', {}, 'Confusion'), body);
  const order = canvas ? shotOrder(s.runs[0] as MetricsRun, s.shots).order : [];
  let shown: MethodResult | undefined;
  let scratch: Int32Array | undefined;
  const update = (r: MethodResult | undefined) => {
    const cells = r?.cells;
    body.hidden = !cells;
    if (cells && r !== shown) {
      shown = r;
      const { mass, pairs } = summarizeConfusion(cells, c, groups, (scratch ??= new Int32Array(c * c)));
      mass.forEach((row, i) => {
        const total = row.reduce((a, b) => a + b, 0);
        row.forEach((n, j) => {
          (groupCells[i]?.[j] as HTMLElement).textContent = total ? `${((n / total) * 100).toFixed(1)}%` : '—';
        });
      });
      items.forEach((li, k) => {
        const x = pairs[k];
        li.hidden = !x;
        li.textContent = x ? `${names[x.y]} → ${names[x.p]}: ${x.n}` : '';
      });
      if (canvas) drawConfusion(canvas, denseConfusion({ numClasses: c, cells }), c, order);
    }
    markShown(section);
  };
  return { section, update };
}

/** The shifted-test-set sweep, built once per layout; `update` patches what follows the prior (marker, current column). */
function sweepSection(theme: Theme): { section: HTMLElement; update: () => void } {
  const series = columns.map((c) => ({ column: c, sweep: pool?.sweep.get(c.id) }));
  const first = series.find((x) => x.sweep?.points)?.sweep?.points ?? [];
  const section = h('section', { 'aria-label': 'Shifted test sets', 'data-testid': 'sweep' }, h('h2', {}, 'Shifted test sets (top-1 %, paper Table 2 layout)'));
  const mark = () => markShown(section);
  if (first.length === 0) {
    const err = series.find((x) => x.sweep?.error)?.sweep?.error;
    section.append(h('p', { class: 'status' }, err ?? (pool?.loaded ? 'No sweep.' : 'Computing…')));
    return { section, update: mark };
  }
  const heads = first.map((p) => h('th', { class: 'num', scope: 'col' }, p.name));
  const currentHead = h('th', { class: 'num current', scope: 'col' });
  const currentCells = series.map(() => h('td', { class: 'num current' }));
  const columnCells = first.map(() => [] as HTMLElement[]);
  const table = h(
    'table',
    { class: 'sweep' },
    h('thead', {}, h('tr', {}, h('th', {}, 'method'), ...heads, currentHead)),
    h(
      'tbody',
      {},
      ...series.map(({ column, sweep }, k) =>
        h(
          'tr',
          { 'data-method': column.id },
          h('th', { scope: 'row' }, column.label),
          ...first.map((_, i) => {
            const td = h('td', { class: 'num' }, sweep?.points?.[i] ? pct(sweep.points[i]?.accuracy) : '—');
            columnCells[i]?.push(td);
            return td;
          }),
          currentCells[k] as HTMLElement,
        ),
      ),
    ),
  );
  const chart = sweepChart(
    first.map((p) => p.name),
    series.map(({ column, sweep }) => ({ label: column.label, values: sweep?.points?.map((p) => p.accuracy) ?? [] })),
    theme,
  );
  section.append(
    chart.svg,
    table,
    h('p', { class: 'status' }, 'Each shifted test set keeps the first images of each class (forward-r like training, backward-r reversed); predictions are compensated to its exact prior. "current" is the expected accuracy under the editor’s prior.'),
  );
  let marked = -1;
  const update = () => {
    const current = target?.label ?? '';
    const at = first.findIndex((p) => p.name === current);
    if (at !== marked) {
      for (const cell of [heads[marked], ...(columnCells[marked] ?? [])]) cell?.classList.remove('current');
      for (const cell of [heads[at], ...(columnCells[at] ?? [])]) cell?.classList.add('current');
      chart.mark(at);
      marked = at;
    }
    currentHead.textContent = `current (${current})`;
    series.forEach(({ column }, k) => {
      const cell = currentCells[k] as HTMLElement;
      cell.textContent = pct(resultOf(column)?.scalars?.expectedAccuracy);
    });
    mark();
  };
  return { section, update };
}

function runPicker(s: MetricsState): HTMLElement {
  const chosen = new Set(s.status === 'ready' ? s.runs.map((r) => r.name) : []);
  const boxes = s.available.map((r) => {
    const box = h('input', { type: 'checkbox', id: `run-${r.name}`, value: r.name, checked: chosen.has(r.name) });
    return { box, label: h('label', { for: `run-${r.name}` }, box, ` ${r.name} (${r.lossKind}, ${r.numClasses} classes)`) };
  });
  const apply = h('button', { type: 'button' }, 'Compare selected runs');
  apply.addEventListener('click', () => api.postMessage({ type: 'selectRuns', names: boxes.filter((b) => b.box.checked).map((b) => b.box.value) }));
  const parts: (HTMLElement | string)[] = [h('div', { class: 'runs' }, ...boxes.map((b) => b.label)), apply];
  if (s.status === 'ready') {
    const splits = [...new Set([s.split, ...s.available.filter((a) => chosen.has(a.name)).flatMap((a) => a.splits)])];
    const select = h('select', { 'aria-label': 'Evaluation split' }, ...splits.map((n) => h('option', { value: n, selected: n === s.split }, n)));
    select.addEventListener('change', () => api.postMessage({ type: 'selectSplit', split: select.value }));
    parts.push(h('label', {}, ' split ', select));
    for (const r of s.runs) {
      const b = h('button', { type: 'button', title: 'TF.js model with the target prior folded into its last bias, and the bias as JSON' }, `Export ${r.name} adjusted…`);
      b.addEventListener('click', () => api.postMessage({ type: 'exportModel', run: r.name }));
      parts.push(b);
    }
  }
  return h('section', { class: 'toolbar', 'aria-label': 'Runs' }, ...parts);
}

interface Layout {
  readonly key: string;
  readonly results: HTMLElement;
  /** Patches the numbers table to the newest answers. */
  readonly updateResults: () => void;
  readonly confusion: HTMLElement;
  /** Patches the confusion section to the focused method's newest matrix. */
  readonly updateConfusion: (r: MethodResult | undefined) => void;
  readonly sweep: HTMLElement;
  readonly label: HTMLElement;
  readonly recall: HTMLCanvasElement;
  readonly reliability: HTMLCanvasElement;
  readonly order: number[];
  readonly groups: ShotGroup[];
  readonly theme: Theme;
  /** The focused method's answer the canvases show. */
  charted: MethodResult | undefined;
  /** Patches the sweep's marker and "current" column to the newest numbers. */
  readonly updateSweep: () => void;
}
let layout: Layout | null = null;
let stateVersion = 0;

/** What decides the page's structure; anything else (the numbers) is updated in place. */
function layoutKey(): string {
  return [stateVersion, loadError, pool?.loaded ?? 'none', view.focus, view.fullMatrix].join('|');
}

function buildReady(s: Ready): Layout {
  const run = s.runs[0] as MetricsRun;
  const { order, groups } = shotOrder(run, s.shots);
  const recall = h('canvas', { role: 'img', 'aria-label': 'Per-class recall, classes sorted by training count, coloured by shot group' });
  const reliability = h('canvas', { role: 'img', 'aria-label': 'Reliability diagram: accuracy against confidence' });
  const label = h('strong', { 'data-testid': 'target-label' }, target?.label ?? 'none');
  const loading = !loadError && pool && !pool.loaded ? h('p', { class: 'status', 'data-testid': 'loading' }, 'Loading logits…') : null;
  const theme = readTheme();
  const sweep = sweepSection(theme);
  const results = resultsTable();
  const confusion = confusionSection(s, groups);
  const built: Layout = {
    key: layoutKey(),
    results: results.section,
    updateResults: results.update,
    confusion: confusion.section,
    updateConfusion: confusion.update,
    sweep: sweep.section,
    updateSweep: sweep.update,
    label,
    recall,
    reliability,
    order,
    groups,
    theme,
    charted: undefined,
  };
  app.replaceChildren(
    h('header', {}, h('h1', {}, 'Post-compensated metrics'), h('p', { class: 'root' }, `${s.runs.map((x) => `${x.name} (${x.lossKind})`).join(' vs ')} · split ${s.split} · ${formatNumber(run.numSamples)} images · ${run.classes.length} classes · target prior: `, label)),
    runPicker(s),
    loadError ? h('p', { class: 'error', role: 'alert', 'data-testid': 'error' }, loadError) : '',
    loading ?? '',
    built.results,
    h('div', { class: 'toolbar' }, focusSelect(), h('span', { class: 'legend' }, ...(['many', 'medium', 'few'] as const).map((g) => h('span', {}, h('span', { class: `swatch shot-${g}`, 'aria-hidden': 'true' }), g)))),
    h('div', { class: 'charts' }, h('section', { 'aria-label': 'Per-class recall' }, h('h2', {}, 'Per-class recall'), recall), h('section', { 'aria-label': 'Reliability' }, h('h2', {}, 'Reliability'), reliability)),
    built.confusion,
    built.sweep,
  );
  return built;
}

/** New numbers into the existing page: the table now, the rest (charts, confusion, sweep) in the next frame. */
function updateReady(l: Layout): void {
  l.label.textContent = target?.label ?? 'none';
  l.updateResults();
  scheduleCharts();
}

/** The request id once every worker has answered the newest request, else undefined. */
function completeId(): string | undefined {
  return pool?.latest?.id === requestId ? String(requestId) : undefined;
}

// The charts and the confusion cost more than the numbers (a C x C scan, canvas and SVG work): drawn once per
// frame with whatever is newest, so the table never waits for them and a burst of answers draws them once.
let chartsFrame = 0;
function scheduleCharts(): void {
  if (chartsFrame) return;
  chartsFrame = requestAnimationFrame(() => {
    chartsFrame = 0;
    if (state?.status === 'ready' && layout) drawCharts(layout);
  });
}

function drawCharts(l: Layout): void {
  const focus = columns.find((c) => c.id === view.focus);
  const r = focus ? resultOf(focus) : undefined;
  l.updateConfusion(r);
  l.updateSweep();
  if (r === l.charted) return; // another method answered: the focused one's charts stand
  l.charted = r;
  if (r?.perClassRecall) drawRecallBars(l.recall, r.perClassRecall, l.order, l.groups, l.theme);
  if (r?.reliability) drawReliability(l.reliability, r.reliability, l.theme);
}

function renderReady(s: Ready): void {
  if (!layout || layout.key !== layoutKey()) layout = buildReady(s);
  updateReady(layout);
}

function render(): void {
  const s = state;
  if (s?.status !== 'ready') layout = null;
  if (!s) app.replaceChildren(h('p', { class: 'status' }, 'Loading…'));
  else if (s.status === 'empty') app.replaceChildren(h('h1', {}, 'Post-compensated metrics'), h('p', { class: 'status', 'data-testid': 'empty' }, s.message), runPicker(s));
  else if (s.status === 'error') app.replaceChildren(h('h1', {}, 'Post-compensated metrics'), h('p', { class: 'error', role: 'alert', 'data-testid': 'error' }, s.error), runPicker(s));
  else renderReady(s);
}

// A resize may come many times per frame: rebuild once.
let frame = 0;
function scheduleRender(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    render();
  });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  let m;
  try {
    m = parseMetricsHostMessage(event.data);
  } catch {
    return;
  }
  if (m.type === 'setState') {
    state = m.state;
    stateVersion++;
    if (m.state.status === 'ready') void loadRuns(m.state);
    else {
      stopWorkers();
      loadKey = '';
    }
    render();
    return;
  }
  const classes = state?.status === 'ready' ? state.runs[0]?.classes.length : undefined;
  if (classes !== undefined && m.prior.shares.length !== classes) return;
  target = m.prior;
  // Only the workers' answers touch the page (label and numbers together): a DOM change now would make the
  // browser lay the page out while the workers compute, and their answers would wait for that frame.
  requestAll();
  if (!layout) render();
});

// Canvases measure their width once per layout: rebuild the layout when the panel is resized.
window.addEventListener('resize', () => {
  layout = null;
  scheduleRender();
});

render();
api.postMessage({ type: 'ready' });
