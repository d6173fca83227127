// The toolbars: which runs to compare, the split, the export buttons, and the method the charts show.
import type { MetricsState } from '../../src/protocol/metricsPanel';
import { h } from '../shared/dom';
import { api, page, persist, view } from './page';

export function focusSelect(render: () => void): HTMLElement {
  const select = h('select', { id: 'focus', 'aria-label': 'Method shown in the charts' }, ...page.columns.map((c) => h('option', { value: c.id, selected: c.id === view.focus }, c.label)));
  select.addEventListener('change', () => {
    view.focus = select.value;
    persist();
    render();
  });
  return h('label', { for: 'focus' }, 'Charts for ', select);
}


export function runPicker(s: MetricsState): HTMLElement {
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
