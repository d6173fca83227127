// The prior editor (side bar view): one row per class with its training count, source share and the
// target share as a text field and a slider. Edits keep the prior normalised (locked classes stay put),
// presets come from the core, and every change goes to the host (which drives the metrics panel).
import '../shared/base.css';
import './styles.css';
import { priorNameProblem } from '../../src/core/priors/files';
import { buildPreset, presetLabel, type PresetSpec } from '../../src/core/priors/presets';
import { EDITED_LABEL, targetPrior, type TargetPrior } from '../../src/core/priors/target';
import { PriorEditorHostMessageSchema, type PriorEditorState, type PriorEditorWebviewMessage, type PriorNotice } from '../../src/protocol/priorEditor';
import { formatNumber, h } from '../shared/dom';
import { onHostMessage } from '../shared/hostMessages';
import { vscodeApi } from '../shared/vscodeApi';
import { parseEntry, setShare } from './rebalance';

type Mode = 'percent' | 'count';
interface ViewState {
  /** Class names joined: locks and counts only apply to the classes they were made for. */
  key: string;
  locked: string[];
  mode: Mode;
  ratio: number;
  counts: number[] | null;
}

type Ready = Extract<PriorEditorState, { status: 'ready' }>;

const api = vscodeApi<PriorEditorWebviewMessage, ViewState>();
let view: ViewState = api.getState() ?? { key: '', locked: [], mode: 'percent', ratio: 10, counts: null };
const app = document.getElementById('app') as HTMLElement;

let state: PriorEditorState | undefined;
let target: TargetPrior | undefined;
let notice: PriorNotice | undefined;
/** Row controls by class index, updated in place while a slider moves. */
let rows: { text: HTMLInputElement; slider: HTMLInputElement | null }[] = [];
let pendingPost = false;

const persist = () => api.setState(view);
const classKey = (s: Ready) => s.classes.map((c) => c.name).join('\u0000');

function setNotice(n: PriorNotice | undefined): void {
  notice = n;
  const box = document.querySelector<HTMLElement>('[data-testid=notice]');
  if (!box) return;
  box.replaceChildren(n ? n.text : '');
  box.className = n ? `notice ${n.level}` : 'notice';
  box.setAttribute('role', n?.level === 'error' ? 'alert' : 'status');
}

/** Sends the target to the host at most once per frame, so a dragged slider never floods the channel. */
function postTarget(): void {
  if (pendingPost) return;
  pendingPost = true;
  requestAnimationFrame(() => {
    pendingPost = false;
    if (target) api.postMessage({ type: 'targetChanged', prior: target });
  });
}

function shownValue(i: number): string {
  if (view.mode === 'count') return String(view.counts?.[i] ?? 0);
  return ((target?.shares[i] ?? 0) * 100).toFixed(2);
}

function refreshRows(skip = -1): void {
  rows.forEach((r, i) => {
    if (i !== skip) r.text.value = shownValue(i);
    if (r.slider) r.slider.value = String((target?.shares[i] ?? 0) * 100);
  });
  const label = document.querySelector('[data-testid=target-label]');
  if (label && target) label.textContent = target.label;
}

function setTarget(next: TargetPrior, post = true): void {
  target = next;
  if (view.mode === 'count') view.counts = next.shares.map((s) => Math.round(s * 1000));
  persist();
  refreshRows();
  if (post) postTarget();
}

function applyPreset(s: Ready, spec: PresetSpec): void {
  try {
    const trainCounts = s.classes.map((c) => c.trainCount);
    const withM = spec.kind === 'forward' || spec.kind === 'backward' ? { ...spec, perClassCount: s.perClassTestCount } : spec;
    const prior = targetPrior(presetLabel(spec), buildPreset(withM, s.classes.map((c) => c.name), trainCounts));
    setNotice(undefined);
    setTarget(prior);
  } catch (err) {
    setNotice({ level: 'error', text: (err as Error).message });
  }
}

function editRow(s: Ready, i: number, raw: string, fromSlider: boolean): void {
  const name = s.classes[i]?.name ?? `class ${i}`;
  const v = fromSlider ? Number(raw) : parseEntry(raw, view.mode, name);
  if (typeof v === 'string') {
    // Keep the last valid prior and put the field back to it.
    setNotice({ level: 'error', text: v });
    refreshRows();
    return;
  }
  setNotice(undefined);
  if (view.mode === 'count' && !fromSlider) {
    const counts = [...(view.counts ?? [])];
    counts[i] = v;
    if (!counts.some((c) => c > 0)) {
      setNotice({ level: 'error', text: `'${name}': at least one class needs a positive count.` });
      refreshRows();
      return;
    }
    view.counts = counts;
    target = targetPrior(EDITED_LABEL, counts);
    persist();
    refreshRows(i);
    postTarget();
    return;
  }
  const locked = s.classes.map((c) => view.locked.includes(c.name));
  target = targetPrior(EDITED_LABEL, setShare(target?.shares ?? [], locked, i, v / 100));
  if (view.mode === 'count') view.counts = target.shares.map((x) => Math.round(x * 1000));
  persist();
  refreshRows(fromSlider ? -1 : i);
  postTarget();
}

function classTable(s: Ready): HTMLElement {
  rows = [];
  const totalTrain = s.classes.reduce((a, c) => a + c.trainCount, 0);
  const body = s.classes.map((c, i) => {
    const text = h('input', {
      type: 'text',
      inputmode: 'decimal',
      class: 'share-input',
      'aria-label': `Target ${view.mode === 'percent' ? 'share (%)' : 'count'} of ${c.name}`,
      value: shownValue(i),
    });
    text.addEventListener('change', () => editRow(s, i, text.value, false));
    let slider: HTMLInputElement | null = null;
    if (view.mode === 'percent') {
      slider = h('input', { type: 'range', min: 0, max: 100, step: 0.01, 'aria-label': `Target share slider of ${c.name}`, value: (target?.shares[i] ?? 0) * 100 });
      const sl = slider;
      sl.addEventListener('input', () => editRow(s, i, sl.value, true));
    }
    const lock = h('input', { type: 'checkbox', 'aria-label': `Lock ${c.name}`, checked: view.locked.includes(c.name) });
    lock.addEventListener('change', () => {
      view.locked = lock.checked ? [...view.locked, c.name] : view.locked.filter((n) => n !== c.name);
      persist();
    });
    rows.push({ text, slider });
    const interval = target?.intervals?.[i];
    return h(
      'tr',
      { 'data-class': c.name },
      h('th', { scope: 'row', class: 'name' }, c.name),
      h('td', { class: 'num train-count' }, formatNumber(c.trainCount)),
      h('td', { class: 'num source-share' }, totalTrain > 0 ? `${((c.trainCount / totalTrain) * 100).toFixed(2)}%` : '—'),
      h('td', { class: 'num' }, text, interval ? h('div', { class: 'interval', title: '95% interval of the estimate' }, `${(interval[0] * 100).toFixed(1)}–${(interval[1] * 100).toFixed(1)}%`) : null),
      h('td', { class: 'slider' }, slider ?? ''),
      h('td', {}, lock),
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
        h('th', { scope: 'col' }, 'class'),
        h('th', { scope: 'col', class: 'num' }, 'train'),
        h('th', { scope: 'col', class: 'num' }, 'source'),
        h('th', { scope: 'col', class: 'num' }, view.mode === 'percent' ? 'target %' : 'target count'),
        h('th', { scope: 'col' }, view.mode === 'percent' ? 'slider' : ''),
        h('th', { scope: 'col' }, 'lock'),
      ),
    ),
    h('tbody', {}, ...body),
  );
}

function button(label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

function presets(s: Ready): HTMLElement {
  const ratio = h('input', { type: 'range', id: 'ratio', min: 1, max: 100, step: 0.5, value: view.ratio, 'aria-label': 'Shift ratio r' });
  const ratioValue = h('output', { for: 'ratio', 'data-testid': 'ratio-value' }, String(view.ratio));
  ratio.addEventListener('input', () => {
    view.ratio = Number(ratio.value);
    ratioValue.textContent = ratio.value;
    persist();
  });
  const only = h('select', { multiple: true, size: Math.min(6, s.classes.length), 'aria-label': 'Classes for "only these classes"' }, ...s.classes.map((c) => h('option', { value: c.name }, c.name)));
  return h(
    'section',
    { class: 'presets', 'aria-label': 'Presets' },
    h('div', { class: 'row' }, button('Uniform', () => applyPreset(s, { kind: 'uniform' })), button('Same as training', () => applyPreset(s, { kind: 'training' }))),
    h(
      'div',
      { class: 'row' },
      h('label', { for: 'ratio' }, 'r = '),
      ratioValue,
      ratio,
      button('Forward-r', () => applyPreset(s, { kind: 'forward', ratio: view.ratio })),
      button('Backward-r', () => applyPreset(s, { kind: 'backward', ratio: view.ratio })),
    ),
    h(
      'div',
      { class: 'row' },
      only,
      button('Only these classes', () => applyPreset(s, { kind: 'only', classes: Array.from(only.selectedOptions, (o) => o.value) })),
    ),
    h(
      'div',
      { class: 'row' },
      button('From labelled folder…', () => api.postMessage({ type: 'histogramFromFolder' })),
      button('From JSON/CSV file…', () => api.postMessage({ type: 'importFile' })),
    ),
  );
}

function modeSwitch(s: Ready): HTMLElement {
  const radio = (mode: Mode, label: string) => {
    const r = h('input', { type: 'radio', name: 'mode', id: `mode-${mode}`, checked: view.mode === mode });
    r.addEventListener('change', () => {
      view.mode = mode;
      view.counts = mode === 'count' ? (target?.shares ?? []).map((x) => Math.round(x * 1000)) : null;
      persist();
      renderReady(s);
    });
    return h('label', { for: `mode-${mode}` }, r, label);
  };
  return h('fieldset', { class: 'mode' }, h('legend', {}, 'Enter'), radio('percent', ' percentages'), radio('count', ' counts'));
}

function savedSection(saved: PriorEditorState['saved'], s: Ready | null): HTMLElement {
  const name = h('input', { type: 'text', id: 'prior-name', placeholder: 'name', 'aria-label': 'Name of the prior to save' });
  const save = button('Save', () => {
    const problem = priorNameProblem(name.value);
    if (problem) return setNotice({ level: 'error', text: problem });
    if (target) api.postMessage({ type: 'savePrior', name: name.value, prior: target });
  });
  return h(
    'section',
    { class: 'saved', 'aria-label': 'Saved priors', 'data-testid': 'saved' },
    h('h2', {}, 'Saved priors'),
    s ? h('div', { class: 'row' }, name, save) : null,
    saved.length === 0
      ? h('p', { class: 'status' }, 'None yet in .lade/priors/.')
      : h(
          'ul',
          {},
          ...saved.map((p) =>
            p.status === 'ok'
              ? h('li', { 'data-prior': p.name }, button(p.name, () => api.postMessage({ type: 'loadPrior', name: p.name }), { class: 'link', title: p.origin }), h('span', { class: 'status' }, ` ${p.origin}`))
              : h(
                  'li',
                  { 'data-prior': p.name, class: 'invalid' },
                  button(p.name, () => api.postMessage({ type: 'openPriorFile', name: p.name }), { class: 'link', title: 'Open the file' }),
                  h('span', { class: 'error' }, ` ${p.error}`),
                ),
          ),
        ),
  );
}

function renderReady(s: Ready): void {
  const where = s.context.kind === 'run' ? `Run ${s.context.runName}` : `Dataset ${s.context.root}`;
  app.replaceChildren(
    h('p', { class: 'context', 'data-testid': 'context' }, `${where} · ${s.classes.length} classes · target: `, h('strong', { 'data-testid': 'target-label' }, target?.label ?? '')),
    h('div', { class: 'notice', 'data-testid': 'notice', role: 'status' }),
    presets(s),
    modeSwitch(s),
    classTable(s),
    savedSection(s.saved, s),
  );
  setNotice(notice);
}

function render(): void {
  const s = state;
  if (!s) {
    app.replaceChildren(h('p', { class: 'status' }, 'Loading…'));
  } else if (s.status === 'empty') {
    app.replaceChildren(
      h('p', { class: 'status' }, 'No run is open in the metrics panel. Open one (LADE: Show Metrics), or work on a dataset’s classes.'),
      h('div', { class: 'notice', 'data-testid': 'notice', role: 'status' }),
      button('Use a dataset’s classes…', () => api.postMessage({ type: 'useDataset' })),
      savedSection(s.saved, null),
    );
    setNotice(notice);
  } else {
    renderReady(s);
  }
}

onHostMessage(PriorEditorHostMessageSchema, 'prior editor host', (m) => {
  if (m.type === 'setState') {
    state = m.state;
    notice = m.state.notice;
    if (m.state.status === 'ready') {
      const key = classKey(m.state);
      if (key !== view.key) view = { ...view, key, locked: [], counts: null, mode: view.mode };
      target = m.state.target;
      if (view.mode === 'count' && !view.counts) view.counts = target.shares.map((x) => Math.round(x * 1000));
      persist();
    }
    render();
  } else if (state?.status === 'ready') {
    if (m.prior.shares.length !== state.classes.length) return;
    notice = m.notice;
    setTarget(m.prior, false);
    renderReady(state); // intervals may have come or gone
  }
});

render();
api.postMessage({ type: 'ready' });
