// The shifted-test-set sweep: top-1 on the paper's forward/backward subsets, and the current prior marked.
import { h } from '../shared/dom';
import { swatch } from './colors';
import { SweepChart, type Theme } from './charts';
import { markShown, page, resultOf } from './page';
import { pct } from './resultsTable';

/** The shifted-test-set sweep, built once per layout; `update` patches what follows the prior (marker, current column). */
export function sweepSection(theme: Theme): { section: HTMLElement; update: () => void } {
  const series = page.columns.map((c) => ({ column: c, sweep: page.pool?.sweep.get(c.id) }));
  const first = series.find((x) => x.sweep?.points)?.sweep?.points ?? [];
  const section = h('section', { 'aria-label': 'Shifted test sets', 'data-testid': 'sweep' }, h('h2', {}, 'Shifted test sets (top-1 %, paper Table 2 layout)'));
  const mark = () => markShown(section);
  if (first.length === 0) {
    const err = series.find((x) => x.sweep?.error)?.sweep?.error;
    section.append(h('p', { class: 'status' }, err ?? (page.pool?.loaded ? 'No sweep.' : 'Computing…')));
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
          h('th', { scope: 'row' }, swatch(column.color), column.label),
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
  const canvas = h('canvas', { role: 'img', 'aria-label': 'Top-1 accuracy of each method from forward-50 through uniform to backward-50' });
  const chart = new SweepChart(
    canvas,
    first.map((p) => p.name),
    series.map(({ column, sweep }) => ({ label: column.label, color: column.color, values: sweep?.points?.map((p) => p.accuracy) ?? [] })),
    theme,
  );
  section.append(
    h('div', { class: 'chart sweep-chart' }, canvas),
    h('div', { class: 'table-scroll' }, table),
    h('p', { class: 'status' }, 'Each shifted test set keeps the first images of each class (forward-r like training, backward-r reversed); predictions are compensated to its exact prior. "current" is the expected accuracy under the editor’s prior.'),
  );
  let marked = -1;
  const update = () => {
    const current = page.target?.label ?? '';
    const at = first.findIndex((p) => p.name === current);
    if (at !== marked) {
      for (const cell of [heads[marked], ...(columnCells[marked] ?? [])]) cell?.classList.remove('current');
      for (const cell of [heads[at], ...(columnCells[at] ?? [])]) cell?.classList.add('current');
      heads[marked]?.removeAttribute('data-testid');
      heads[at]?.setAttribute('data-testid', 'sweep-current');
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
