// The numbers table: one row per metric, one column per method, with the difference to the uniform prior.
import { h } from '../shared/dom';
import { swatch } from './colors';
import { markShown, page, resultOf, type Column } from './page';
import type { Scalars } from './whatifPool';

export const pct = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(2)}`);
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
export function resultsTable(): { section: HTMLElement; update: () => void } {
  const cells = METRICS.map(() => page.columns.map(() => ({ value: document.createTextNode(''), diff: h('span', { title: 'difference to the uniform prior' }) })));
  const rows = METRICS.map((m, i) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, m.label),
      ...page.columns.map((c, j) => {
        const cell = cells[i]?.[j] as { value: Text; diff: HTMLElement };
        return h('td', { class: 'num', 'data-method': c.id, 'data-metric': m.key }, cell.value, cell.diff);
      }),
    ),
  );
  const errors = h('div');
  const section = h(
    'section',
    { 'aria-label': 'Metrics under the target prior', 'data-testid': 'results' },
    h('div', { class: 'table-scroll' }, h('table', { class: 'metrics' }, h('thead', {}, h('tr', {}, h('th', {}, ''), ...page.columns.map((c) => h('th', { scope: 'col', class: 'num' }, swatch(c.color), c.label)))), h('tbody', {}, ...rows))),
    errors,
    h(
      'p',
      { class: 'status', 'data-testid': 'engine', 'data-engine': page.pool?.engine ?? '' },
      'Differences are to the same method under the uniform prior.',
      page.pool?.loaded ? ` Computed by ${page.pool.engine === 'wasm' ? 'WebAssembly SIMD' : 'JavaScript (WebAssembly refused here)'} in ${page.pool.workers} workers.` : '',
    ),
  );
  let shownErrors = '';
  const update = () => {
    const uniformOf = (c: Column) => page.pool?.uniform.get(c.id);
    const results = page.columns.map(resultOf);
    METRICS.forEach((m, i) =>
      page.columns.forEach((c, j) => {
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
    const failed = page.columns.map((c, j) => ({ c, e: results[j]?.error })).filter((x) => x.e);
    const key = failed.map(({ c, e }) => `${c.id}:${e}`).join('\n');
    if (key !== shownErrors) {
      shownErrors = key;
      errors.replaceChildren(...failed.map(({ c, e }) => h('p', { class: 'error', role: 'alert' }, `${c.label}: ${e}`)));
    }
    markShown(section); // last: whoever waits for the label and data-complete sees the finished cells
  };
  return { section, update };
}

