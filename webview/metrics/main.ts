// The metrics panel: Softmax, PC Softmax and LADE side by side under the current target prior. Logits are
// fetched as binary and split by rows across the what-if workers (one per core, see whatifPool.ts); every
// prior change is one pass over the rows shared between them. While they work only the newest prior waits.
import '../shared/base.css';
import './styles.css';
import { MetricsHostMessageSchema, type MetricsRun } from '../../src/protocol/metricsPanel';
import { formatNumber, h } from '../shared/dom';
import { onHostMessage } from '../shared/hostMessages';
import { destroyCharts, readTheme, RecallChart, ReliabilityChart } from './charts';
import { classTable } from './classTable';
import { swatch } from './colors';
import { confusionSection, shotOrder } from './confusionSection';
import { api, markShown, page, resultOf, view, type Ready } from './page';
import { resultsTable } from './resultsTable';
import { loadRuns, requestAll, unload } from './runs';
import { sweepSection } from './sweepSection';
import { focusSelect, runPicker } from './toolbar';
import type { MethodResult } from './whatifPool';

const app = document.getElementById('app') as HTMLElement;


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
  readonly recall: RecallChart;
  readonly reliability: ReliabilityChart;
  /** Patches the per-class table's recall columns. */
  readonly updateClasses: () => void;
  /** The recall chart, the reliability chart and the per-class table, marked with the prior they show. */
  readonly perClass: HTMLElement;
  /** The focused method's answer the charts show. */
  charted: MethodResult | undefined;
  /** Patches the sweep's marker and "current" column to the newest numbers. */
  readonly updateSweep: () => void;
}
let layout: Layout | null = null;
let stateVersion = 0;

/** What decides the page's structure; anything else (the numbers) is updated in place. */
function layoutKey(): string {
  return [stateVersion, page.loadError, page.pool?.loaded ?? 'none', view.focus, view.fullMatrix].join('|');
}

function buildReady(s: Ready): Layout {
  const run = s.runs[0] as MetricsRun;
  const { order, groups } = shotOrder(run, s.shots);
  const recallCanvas = h('canvas', { role: 'img', 'aria-label': 'Per-class recall, classes sorted by training count, coloured by shot group', 'data-testid': 'recall-chart' });
  const reliabilityCanvas = h('canvas', { role: 'img', 'aria-label': 'Reliability diagram: accuracy against confidence', 'data-testid': 'reliability-chart' });
  const rankOf: number[] = [];
  order.forEach((c, rank) => (rankOf[c] = rank + 1));
  const classes = classTable(run.classes, run.trainCounts, groups, rankOf);
  const label = h('strong', { 'data-testid': 'target-label' }, page.target?.label ?? 'none');
  const loading = !page.loadError && page.pool && !page.pool.loaded ? h('p', { class: 'status', 'data-testid': 'loading' }, 'Loading logits…') : null;
  const theme = readTheme();
  destroyCharts(); // the previous layout's
  const focused = page.columns.find((c) => c.id === view.focus);
  const focusSwatch = focused ? swatch(focused.color) : '';
  const sweep = sweepSection(theme);
  const results = resultsTable();
  const confusion = confusionSection(s, groups, render);
  const built: Layout = {
    key: layoutKey(),
    results: results.section,
    updateResults: results.update,
    confusion: confusion.section,
    updateConfusion: confusion.update,
    sweep: sweep.section,
    updateSweep: sweep.update,
    label,
    recall: new RecallChart(recallCanvas, run.classes, run.trainCounts, order, groups, theme),
    reliability: new ReliabilityChart(reliabilityCanvas, focused?.color ?? theme.fg, theme),
    updateClasses: classes.update,
    perClass: h('div', { 'data-testid': 'per-class' }),
    charted: undefined,
  };
  app.replaceChildren(
    h('header', {}, h('h1', {}, 'Post-compensated metrics'), h('p', { class: 'root' }, `${s.runs.map((x) => `${x.name} (${x.lossKind})`).join(' vs ')} · split ${s.split} · ${formatNumber(run.numSamples)} images · ${run.classes.length} classes · target prior: `, label)),
    runPicker(s),
    page.loadError ? h('p', { class: 'error', role: 'alert', 'data-testid': 'error' }, page.loadError) : '',
    loading ?? '',
    built.results,
    h('div', { class: 'toolbar' }, focusSelect(render), focusSwatch),
    built.perClass,
  );
  built.perClass.append(
    h(
      'div',
      { class: 'charts' },
      h('section', { 'aria-label': 'Per-class recall' }, h('h2', {}, 'Per-class recall (long tail)'), h('div', { class: 'chart' }, recallCanvas)),
      h('section', { 'aria-label': 'Reliability' }, h('h2', {}, 'Reliability'), h('div', { class: 'chart' }, reliabilityCanvas)),
    ),
    classes.section,
  );
  app.append(
    built.confusion,
    built.sweep,
  );
  return built;
}

/** New numbers into the existing page: the table now, the rest (charts, confusion, sweep) in the next frame. */
function updateReady(l: Layout): void {
  l.label.textContent = page.target?.label ?? 'none';
  l.updateResults();
  scheduleCharts();
}

// The confusion and the sweep cost more than the numbers (a C x C scan): drawn once per frame with whatever is
// newest, so the table never waits for them and a burst of answers draws them once.
let chartsFrame = 0;
function scheduleCharts(): void {
  if (!chartsFrame) {
    chartsFrame = requestAnimationFrame(() => {
      chartsFrame = 0;
      if (page.state?.status === 'ready' && layout) drawCharts(layout);
    });
  }
  schedulePerClass();
}

function drawCharts(l: Layout): void {
  const focus = page.columns.find((c) => c.id === view.focus);
  l.updateConfusion(focus ? resultOf(focus) : undefined);
  l.updateSweep();
}

// The chart.js charts and the per-class table take a full chart layout and draw each: at most one every
// PER_CLASS_MS, always ending on the newest answer, so that during a drag they do not hold up the workers'
// next answers (the numbers keep their latency; the charts follow a few times a second).
const PER_CLASS_MS = 250;
let perClassTimer = 0;
let perClassAt = -Infinity;
function schedulePerClass(): void {
  if (perClassTimer) return;
  perClassTimer = window.setTimeout(
    () => {
      perClassTimer = 0;
      perClassAt = performance.now();
      if (page.state?.status === 'ready' && layout) drawPerClass(layout);
    },
    Math.max(0, perClassAt + PER_CLASS_MS - performance.now()),
  );
}

function drawPerClass(l: Layout): void {
  const focus = page.columns.find((c) => c.id === view.focus);
  const r = focus ? resultOf(focus) : undefined;
  l.updateClasses();
  if (r !== l.charted) {
    l.charted = r; // else another method answered: the focused one's charts stand
    if (r?.perClassRecall) l.recall.update(r.perClassRecall);
    if (r?.reliability) l.reliability.update(r.reliability);
  }
  markShown(l.perClass); // last: whoever waits for the label and data-complete sees the finished charts
}

function renderReady(s: Ready): void {
  if (!layout || layout.key !== layoutKey()) layout = buildReady(s);
  updateReady(layout);
}

function render(): void {
  const s = page.state;
  if (s?.status !== 'ready' && layout) {
    layout = null;
    destroyCharts();
  }
  if (!s) app.replaceChildren(h('p', { class: 'status' }, 'Loading…'));
  else if (s.status === 'empty') app.replaceChildren(h('h1', {}, 'Post-compensated metrics'), h('p', { class: 'status', 'data-testid': 'empty' }, s.message), runPicker(s));
  else if (s.status === 'error') app.replaceChildren(h('h1', {}, 'Post-compensated metrics'), h('p', { class: 'error', role: 'alert', 'data-testid': 'error' }, s.error), runPicker(s));
  else renderReady(s);
}

onHostMessage(MetricsHostMessageSchema, 'metrics host', (m) => {
  if (m.type === 'setState') {
    page.state = m.state;
    stateVersion++;
    if (m.state.status === 'ready') void loadRuns(m.state, render);
    else unload();
    render();
    return;
  }
  const classes = page.state?.status === 'ready' ? page.state.runs[0]?.classes.length : undefined;
  if (classes !== undefined && m.prior.shares.length !== classes) return;
  page.target = m.prior;
  // Only the workers' answers touch the page (label and numbers together): a DOM change now would make the
  // browser lay the page out while the workers compute, and their answers would wait for that frame.
  requestAll();
  if (!layout) render();
});

render();
api.postMessage({ type: 'ready' });
