// The confusion section: shot group x shot group mass, the top confusions, and the full matrix on request.
import { denseConfusion, shotGroup, type ShotGroup } from '../../src/core/metrics';
import { SHOT_GROUPS, summarizeConfusion, TOP_CONFUSIONS } from '../../src/core/metrics/confusionSummary';
import type { MetricsRun } from '../../src/protocol/metricsPanel';
import { h } from '../shared/dom';
import { drawConfusion } from './charts';
import { markShown, persist, view, type Ready } from './page';
import type { MethodResult } from './whatifPool';

export function shotOrder(run: MetricsRun, shots: Ready['shots']): { order: number[]; groups: ShotGroup[] } {
  const groups = run.trainCounts.map((n) => shotGroup(n, shots));
  const order = run.trainCounts.map((_, i) => i).sort((a, b) => (run.trainCounts[b] ?? 0) - (run.trainCounts[a] ?? 0) || a - b);
  return { order, groups };
}


/** The confusion section, built once per layout; `update` patches its cells and list to the focused method's matrix. */
export function confusionSection(s: Ready, groups: ShotGroup[], render: () => void): { section: HTMLElement; update: (r: MethodResult | undefined) => void } {
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

