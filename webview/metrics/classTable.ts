// The per-class table: every class with its training images, shot group and each method's recall, sortable
// by any column and searchable by name. Only the rows in view exist in the DOM (8,142 classes for
// iNaturalist): the body is a window over the sorted, filtered list, padded to its full height.
import type { ShotGroup } from '../../src/core/metrics';
import { h } from '../shared/dom';
import { page, resultOf, type Column } from './page';
import { pct } from './resultsTable';

const ROW_HEIGHT = 24;
const VIEW_ROWS = 14;
const OVERSCAN = 6;

interface Key {
  readonly label: string;
  readonly num: boolean;
  readonly value: (c: number) => number | string;
}

export function classTable(names: readonly string[], trainCounts: readonly number[], groups: readonly ShotGroup[], rankOf: readonly number[]): { section: HTMLElement; update: () => void } {
  const recallOf = (col: Column) => (c: number) => resultOf(col)?.perClassRecall?.[c] ?? Number.NaN;
  const keys: Key[] = [
    { label: 'rank', num: true, value: (c) => rankOf[c] ?? 0 },
    { label: 'class', num: false, value: (c) => names[c] ?? '' },
    { label: 'training images', num: true, value: (c) => trainCounts[c] ?? 0 },
    { label: 'group', num: false, value: (c) => groups[c] ?? '' },
    ...page.columns.map((col) => ({ label: `${col.label} recall %`, num: true, value: recallOf(col) })),
  ];
  let sortBy = 0;
  let descending = false;
  let filter = '';
  let rows: number[] = [];

  const heads = keys.map((k, i) => {
    const button = h('button', { type: 'button', class: 'link' }, k.label);
    button.addEventListener('click', () => {
      descending = sortBy === i ? !descending : k.num && i > 1;
      sortBy = i;
      resort();
    });
    return h('th', { scope: 'col', class: k.num ? 'num' : '', 'aria-sort': 'none' }, button);
  });
  const top = h('tr', { 'aria-hidden': 'true' });
  const bottom = h('tr', { 'aria-hidden': 'true' });
  const body = h('tbody');
  const scroller = h('div', { class: 'table-scroll class-table', 'data-testid': 'class-table' }, h('table', {}, h('thead', {}, h('tr', {}, ...heads)), body));
  scroller.style.maxHeight = `${ROW_HEIGHT * (VIEW_ROWS + 1)}px`;
  const search = h('input', { type: 'search', placeholder: 'Search classes', 'aria-label': 'Search classes' });
  const count = h('span', { class: 'status' });
  search.addEventListener('input', () => {
    filter = search.value.trim().toLowerCase();
    resort();
  });
  scroller.addEventListener('scroll', () => paint(), { passive: true });

  function paint(): void {
    const from = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const to = Math.min(rows.length, from + VIEW_ROWS + 2 * OVERSCAN);
    top.style.height = `${from * ROW_HEIGHT}px`;
    bottom.style.height = `${(rows.length - to) * ROW_HEIGHT}px`;
    const shown = rows.slice(from, to).map((c) => {
      const tr = h('tr', { 'data-class': c }, ...keys.map((k) => {
        const v = k.value(c);
        return h('td', { class: k.num ? 'num' : '' }, typeof v === 'string' ? v : k.label.endsWith('recall %') ? pct(v) : String(v));
      }));
      tr.style.height = `${ROW_HEIGHT}px`;
      return tr;
    });
    body.replaceChildren(top, ...shown, bottom);
  }

  function resort(): void {
    const key = keys[sortBy] as Key;
    const all = names.map((_, c) => c).filter((c) => !filter || (names[c] ?? '').toLowerCase().includes(filter));
    const values = new Map(all.map((c) => [c, key.value(c)]));
    const sign = descending ? -1 : 1;
    all.sort((a, b) => {
      const x = values.get(a) as number | string;
      const y = values.get(b) as number | string;
      if (typeof x === 'number' && typeof y === 'number') {
        if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
        return sign * (x - y) || (rankOf[a] ?? 0) - (rankOf[b] ?? 0);
      }
      return sign * String(x).localeCompare(String(y)) || (rankOf[a] ?? 0) - (rankOf[b] ?? 0);
    });
    rows = all;
    heads.forEach((th, i) => th.setAttribute('aria-sort', i === sortBy ? (descending ? 'descending' : 'ascending') : 'none'));
    count.textContent = filter ? `${rows.length} of ${names.length} classes` : `${names.length} classes`;
    paint();
  }

  resort();
  const section = h('section', { 'aria-label': 'Per-class results' }, h('h2', {}, 'Per class'), h('div', { class: 'toolbar' }, search, count), scroller);
  // New recall: re-sort only when the order depends on it.
  return { section, update: () => (sortBy >= 4 ? resort() : paint()) };
}
