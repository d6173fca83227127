// The "LADE Training" panel view: live progress of each run and its per-epoch loss and accuracy curves.
import '../shared/base.css';
import './styles.css';
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { TrainingViewHostMessageSchema, type TrainingRunView, type TrainingViewMessage, type TrainingViewState } from '../../src/protocol/trainingView';
import { formatNumber, h, themeColor } from '../shared/dom';
import { onHostMessage } from '../shared/hostMessages';
import { curveData, curveScales } from './curves';
import { vscodeApi } from '../shared/vscodeApi';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend);

const api = vscodeApi<TrainingViewMessage, never>();
const app = document.getElementById('app') as HTMLElement;
const charts = new Map<string, Chart<'line'>>();

function duration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '—';
  const m = Math.floor(sec / 60);
  return m > 0 ? `${m} min ${Math.round(sec % 60)} s` : `${Math.round(sec)} s`;
}

function progressLine(run: TrainingRunView): HTMLElement | null {
  const p = run.progress;
  if (run.status !== 'running' || !p) return null;
  const fraction = p.steps > 0 ? p.step / p.steps : 0;
  return h(
    'div',
    { class: 'progress', 'data-testid': 'progress' },
    h('progress', { max: 1, value: fraction.toFixed(4), 'aria-label': `${p.phase} progress` }),
    h(
      'span',
      {},
      `${p.phase} · epoch ${p.epoch}/${p.epochs} · step ${p.step}/${p.steps} · loss ${formatNumber(p.loss.total, 4)} · ` +
        `acc ${(p.accuracy * 100).toFixed(1)}% · ${formatNumber(p.imagesPerSec, 0)} img/s · ETA ${duration(p.etaSec)}`,
    ),
  );
}

const describe = (run: TrainingRunView) => `loss ${run.loss}${run.backend ? ` · backend ${run.backend.name} (${run.backend.reason})` : ''}`;

function runCard(run: TrainingRunView): HTMLElement {
  const actions: HTMLElement[] = [];
  if (run.status === 'running') {
    const cancel = h('button', { type: 'button' }, 'Cancel');
    cancel.addEventListener('click', () => api.postMessage({ type: 'cancel', name: run.name }));
    actions.push(cancel);
  } else if (run.status === 'completed' || run.status === 'cancelled') {
    const open = h('button', { type: 'button' }, 'Open results');
    open.addEventListener('click', () => api.postMessage({ type: 'openResults', name: run.name }));
    actions.push(open);
  }
  const canvas = h('canvas', { role: 'img', 'aria-label': `${run.name}: loss and accuracy per epoch` });
  const card = h(
    'section',
    { class: 'run', 'data-run': run.name, 'data-status': run.status },
    h('h2', {}, `${run.name} `, h('span', { class: `status status-${run.status}` }, run.status)),
    h('p', { class: 'root' }, describe(run)),
    h('div', { class: 'progress-slot' }, progressLine(run) ?? ''),
    run.error ? h('p', { class: 'error', role: 'alert' }, run.error) : '',
    h('div', { class: 'toolbar' }, ...actions),
    run.history.length ? h('div', { class: 'chart-box small' }, canvas) : '',
    run.history.length ? historyTable(run) : '',
  );
  if (run.history.length) queueMicrotask(() => drawCurves(run, canvas));
  return card;
}

function historyTable(run: TrainingRunView): HTMLElement {
  return h(
    'table',
    { class: 'history', 'data-testid': 'history' },
    h('thead', {}, h('tr', {}, ...['epoch', 'loss', 'train acc', 'val acc', 'img/s', 's'].map((t) => h('th', { scope: 'col' }, t)))),
    h(
      'tbody',
      {},
      ...run.history.map((e) =>
        h(
          'tr',
          { 'data-epoch': e.epoch },
          h('td', { class: 'num' }, e.epoch),
          h('td', { class: 'num' }, formatNumber(e.loss, 4)),
          h('td', { class: 'num' }, `${(e.trainAccuracy * 100).toFixed(1)}%`),
          h('td', { class: 'num' }, e.valAccuracy === null ? '—' : `${(e.valAccuracy * 100).toFixed(1)}%`),
          h('td', { class: 'num' }, formatNumber(e.imagesPerSec, 0)),
          h('td', { class: 'num' }, formatNumber(e.seconds, 1)),
        ),
      ),
    ),
  );
}

/** Live update of an existing card: progress, backend line, history rows and curves, no rebuild. */
function patchCard(card: HTMLElement, run: TrainingRunView): void {
  card.querySelector('.progress-slot')?.replaceChildren(progressLine(run) ?? '');
  const root = card.querySelector('p.root');
  if (root && root.textContent !== describe(run)) root.textContent = describe(run);
  const body = card.querySelector('[data-testid=history] tbody');
  if (body && body.children.length !== run.history.length) body.replaceWith(historyTable(run).querySelector('tbody')!);
  const chart = charts.get(run.name);
  if (chart && chart.data.labels?.length !== run.history.length) {
    const d = curveData(run);
    chart.data.labels = d.labels;
    chart.data.datasets[0]!.data = d.loss;
    chart.data.datasets[1]!.data = d.train;
    chart.data.datasets[2]!.data = d.val;
    chart.update('none');
  }
}

function drawCurves(run: TrainingRunView, canvas: HTMLCanvasElement): void {
  charts.get(run.name)?.destroy();
  const d = curveData(run);
  const fg = themeColor('--vscode-foreground', '#cccccc');
  const chart = new Chart(canvas, {
    type: 'line',
    data: {
      labels: d.labels,
      datasets: [
        { label: 'loss', data: d.loss, borderColor: themeColor('--vscode-charts-red', '#f14c4c'), yAxisID: 'loss' },
        { label: 'train acc', data: d.train, borderColor: themeColor('--vscode-charts-blue', '#3794ff'), yAxisID: 'acc' },
        { label: 'val acc', data: d.val, borderColor: themeColor('--vscode-charts-green', '#89d185'), yAxisID: 'acc' },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: curveScales(fg),
      plugins: { legend: { labels: { color: fg } } },
    },
  });
  charts.set(run.name, chart);
}

/** What decides a run card's layout: when it changes the card is rebuilt, else patched in place. */
const shape = (run: TrainingRunView) => JSON.stringify([run.status, run.loss, run.error ?? null, run.history.length > 0]);
const shapes = new Map<string, string>();

function render(state: TrainingViewState): void {
  if (state.runs.length === 0) {
    for (const c of charts.values()) c.destroy();
    charts.clear();
    shapes.clear();
    app.replaceChildren(h('p', { class: 'status', 'data-testid': 'empty' }, 'No training run yet. Run "LADE: Train with LADE" on a labelled image folder.'));
    return;
  }
  // Progress and epochs arrive several times a second: patch the existing cards so buttons under the
  // pointer stay put (a click needs the same element on mouse down and up); rebuild only on a new layout.
  const cards = state.runs.map((run) => {
    const existing = app.querySelector<HTMLElement>(`section.run[data-run="${CSS.escape(run.name)}"]`);
    if (existing && shapes.get(run.name) === shape(run)) {
      patchCard(existing, run);
      return existing;
    }
    charts.get(run.name)?.destroy();
    charts.delete(run.name);
    shapes.set(run.name, shape(run));
    return runCard(run);
  });
  const names = new Set(state.runs.map((r) => r.name));
  for (const name of [...shapes.keys()].filter((n) => !names.has(n))) {
    charts.get(name)?.destroy();
    charts.delete(name);
    shapes.delete(name);
  }
  const unchanged = cards.length === app.children.length && cards.every((c, i) => app.children[i] === c);
  if (!unchanged) app.replaceChildren(...cards);
}

onHostMessage(TrainingViewHostMessageSchema, 'training view host', (m) => {
  render(m.state);
});

render({ runs: [] });
api.postMessage({ type: 'ready' });
