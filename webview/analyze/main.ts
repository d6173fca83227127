// The Analyze Label Distribution panel: histogram, statistics cards, splits, warnings and a sortable table.
import '../shared/base.css';
import './styles.css';
import type { AnalyzeResult, ClassStat } from '../../src/core/dataset/types';
import { AnalyzeHostMessageSchema, type AnalyzeState, type AnalyzeWebviewMessage } from '../../src/protocol/analyze';
import { formatNumber, h } from '../shared/dom';
import { onHostMessage } from '../shared/hostMessages';
import { vscodeApi } from '../shared/vscodeApi';
import { CountChart, shotColors } from './chart';

type SortKey = 'name' | 'count' | 'effectiveNumber';
interface ViewState {
  log: boolean;
  sort: SortKey;
  descending: boolean;
}

const api = vscodeApi<AnalyzeWebviewMessage, ViewState>();
const view: ViewState = api.getState() ?? { log: false, sort: 'count', descending: true };
const app = document.getElementById('app') as HTMLElement;
let current: AnalyzeState | undefined;

function persist(): void {
  api.setState(view);
}

function card(label: string, value: string, hint: string): HTMLElement {
  return h('div', { class: 'card', title: hint }, h('div', { class: 'card-value' }, value), h('div', { class: 'card-label' }, label));
}

function statCards(r: AnalyzeResult): HTMLElement {
  const nonEmpty = r.classes.filter((c) => c.count > 0).length;
  return h(
    'section',
    { class: 'cards', 'aria-label': 'Imbalance statistics', 'data-testid': 'stats' },
    card('images', formatNumber(r.total), r.primarySplit ? `in the ${r.primarySplit} split` : 'in the dataset'),
    card('classes', `${nonEmpty} / ${r.classes.length}`, 'non-empty / all classes'),
    card('imbalance ratio', formatNumber(r.imbalanceRatio, 1), 'largest / smallest non-empty class'),
    card('Gini', formatNumber(r.gini), '0 = balanced, 1 = all images in one class'),
    card('entropy', formatNumber(r.entropy), 'normalised Shannon entropy of the label distribution (1 = balanced)'),
    card('effective number', formatNumber(r.effectiveNumber, 1), `sum of Cui et al. effective numbers, beta = ${r.options.beta}`),
    card('many / medium / few', `${r.shots.many.length} / ${r.shots.medium.length} / ${r.shots.few.length}`, `many: > ${r.options.manyThreshold}, few: < ${r.options.fewThreshold} images`),
  );
}

function sortedClasses(classes: readonly ClassStat[]): ClassStat[] {
  const dir = view.descending ? -1 : 1;
  return [...classes].sort((a, b) => {
    const d = view.sort === 'name' ? a.name.localeCompare(b.name) : a[view.sort] - b[view.sort];
    return d * dir || a.name.localeCompare(b.name);
  });
}

function classTable(r: AnalyzeResult): HTMLElement {
  const header = (key: SortKey | null, label: string, numeric = false) => {
    const cls = numeric ? 'num' : undefined;
    if (!key) return h('th', { scope: 'col', class: cls }, label);
    const active = view.sort === key;
    const button = h('button', { class: 'sort', type: 'button' }, label, active ? (view.descending ? ' ▼' : ' ▲') : '');
    button.addEventListener('click', () => {
      view.descending = active ? !view.descending : key !== 'name';
      view.sort = key;
      persist();
      render();
    });
    return h('th', { scope: 'col', class: cls, 'aria-sort': active ? (view.descending ? 'descending' : 'ascending') : 'none' }, button);
  };
  const otherSplits = r.splits.filter((s) => s.name !== r.primarySplit);
  const index = new Map(r.classes.map((c, i) => [c.name, i]));
  const rows = sortedClasses(r.classes).map((c) => {
    const i = index.get(c.name) ?? 0;
    const name = h('button', { class: 'link', type: 'button', title: 'Reveal in Explorer' }, c.name);
    name.addEventListener('click', () => api.postMessage({ type: 'revealClass', className: c.name }));
    return h(
      'tr',
      { 'data-class': c.name },
      h('td', { class: 'name' }, name),
      h('td', { class: 'count num' }, formatNumber(c.count)),
      h('td', { class: 'share num' }, `${(c.share * 100).toFixed(2)}%`),
      h('td', { class: 'num' }, formatNumber(c.effectiveNumber, 1)),
      h('td', { class: 'shot' }, h('span', { class: `swatch shot-${c.shot}`, 'aria-hidden': 'true' }), c.shot),
      ...otherSplits.map((s) => h('td', { class: 'num split-count', 'data-split': s.name }, formatNumber(s.counts[i] ?? 0))),
    );
  });
  return h(
    'table',
    { class: 'classes', 'data-testid': 'class-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        header('name', 'class'),
        header('count', r.primarySplit ?? 'images', true),
        header(null, 'share', true),
        header('effectiveNumber', 'effective n', true),
        header(null, 'shot'),
        ...otherSplits.map((s) => header(null, s.name, true)),
      ),
    ),
    h('tbody', {}, ...rows),
  );
}

function splitsSection(r: AnalyzeResult): HTMLElement | null {
  if (r.splits.length < 2) return null;
  return h(
    'section',
    { 'aria-label': 'Splits', 'data-testid': 'splits' },
    h('h2', {}, 'Splits'),
    h(
      'table',
      { class: 'splits' },
      h('thead', {}, h('tr', {}, h('th', {}, 'split'), h('th', {}, 'images'), h('th', {}, 'classes present'), h('th', {}, 'missing classes'))),
      h(
        'tbody',
        {},
        ...r.splits.map((s) => {
          const missing = r.classes.filter((_, i) => (s.counts[i] ?? 0) === 0).map((c) => c.name);
          return h(
            'tr',
            { 'data-split': s.name },
            h('td', {}, s.name),
            h('td', { class: 'num' }, formatNumber(s.total)),
            h('td', { class: 'num' }, `${r.classes.length - missing.length}`),
            h('td', { class: missing.length ? 'missing' : '' }, missing.length ? missing.join(', ') : '—'),
          );
        }),
      ),
    ),
  );
}

function warningsSection(r: AnalyzeResult): HTMLElement | null {
  if (r.warnings.length === 0) return null;
  const shown = r.warnings.slice(0, 200);
  return h(
    'section',
    { class: 'warnings', 'aria-label': 'Warnings', 'data-testid': 'warnings' },
    h('h2', {}, `Warnings (${r.warnings.length})`),
    h('ul', {}, ...shown.map((w) => h('li', { 'data-kind': w.kind }, w.message))),
    r.warnings.length > shown.length ? h('p', {}, `… and ${r.warnings.length - shown.length} more (see the LADE output channel)`) : null,
  );
}

function toolbar(): HTMLElement {
  const log = h('input', { type: 'checkbox', id: 'log-scale', checked: view.log });
  log.addEventListener('change', () => {
    view.log = log.checked;
    persist();
    render();
  });
  const button = (label: string, msg: AnalyzeWebviewMessage) => {
    const b = h('button', { type: 'button' }, label);
    b.addEventListener('click', () => api.postMessage(msg));
    return b;
  };
  return h(
    'div',
    { class: 'toolbar' },
    h('label', { for: 'log-scale' }, log, ' log scale'),
    button('Rescan', { type: 'rescan' }),
    button('Export JSON', { type: 'export', format: 'json' }),
    button('Export CSV', { type: 'export', format: 'csv' }),
  );
}

function renderReady(r: AnalyzeResult): void {
  const canvas = h('canvas', { role: 'img', 'aria-label': 'Images per class, sorted by count' });
  const legend = h(
    'div',
    { class: 'legend' },
    ...(['many', 'medium', 'few', 'empty'] as const).map((s) => h('span', {}, h('span', { class: `swatch shot-${s}`, 'aria-hidden': 'true' }), s)),
  );
  app.replaceChildren(
    h('header', {}, h('h1', {}, 'Label distribution'), h('p', { class: 'root' }, `${r.root} · ${r.layout}${r.primarySplit ? ` · split: ${r.primarySplit}` : ''} · ${Math.round(r.durationMs)} ms`)),
    statCards(r),
    toolbar(),
    h('div', { class: 'chart-box' }, canvas),
    legend,
    splitsSection(r) ?? '',
    warningsSection(r) ?? '',
    h('section', { 'aria-label': 'Classes' }, h('h2', {}, 'Classes'), classTable(r)),
  );
  const colors = shotColors();
  for (const s of ['many', 'medium', 'few', 'empty'] as const) document.body.style.setProperty(`--shot-${s}`, colors[s]);
  new CountChart(canvas).render(r.classes, view.log);
}

function render(): void {
  const s = current;
  if (!s || s.status === 'loading') {
    const progress = s?.status === 'loading' && s.progress ? `${s.progress.phase}: ${s.progress.filesSeen.toLocaleString('en-US')} files` : 'starting…';
    app.replaceChildren(h('p', { class: 'status', 'data-testid': 'loading' }, `Scanning ${s?.root ?? ''} — ${progress}`));
  } else if (s.status === 'error') {
    const retry = h('button', { type: 'button' }, 'Try again');
    retry.addEventListener('click', () => api.postMessage({ type: 'rescan' }));
    app.replaceChildren(h('div', { class: 'error', role: 'alert', 'data-testid': 'error' }, h('p', {}, s.error), retry));
  } else {
    renderReady(s.result);
  }
}

onHostMessage(AnalyzeHostMessageSchema, 'Analyze host', (m) => {
  current = m.state;
  render();
});

render();
api.postMessage({ type: 'ready' });
