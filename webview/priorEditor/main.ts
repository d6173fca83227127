// The prior editor (side bar view, from 250 px wide): a chart of the source prior against the target, a
// compact preset toolbar, a filter, and one virtualized row per class (name, source share, the target as a
// field and a slider, a lock). Edits keep the prior normalised (locked classes stay put), presets come
// from the core, and every change goes to the host (which drives the metrics panel).
import '../shared/base.css';
import './styles.css';
import { priorNameProblem } from '../../src/core/priors/files';
import { buildPreset, presetLabel, type PresetSpec } from '../../src/core/priors/presets';
import { EDITED_LABEL, targetPrior, type TargetPrior } from '../../src/core/priors/target';
import { PriorEditorHostMessageSchema, type PriorEditorState, type PriorEditorWebviewMessage, type PriorNotice } from '../../src/protocol/priorEditor';
import { DEFAULT_SHOT_THRESHOLDS } from '../../src/core/metrics/types';
import { shotGroup, type ShotGroup } from '../../src/core/metrics/summarize';
import { h } from '../shared/dom';
import { onHostMessage } from '../shared/hostMessages';
import { vscodeApi } from '../shared/vscodeApi';
import { ClassList, type ListItem } from './classList';
import { PriorChart } from './priorChart';
import { parseEntry, setShare } from './rebalance';

type Mode = 'percent' | 'count';
interface ViewState {
  /** Class names joined: locks and counts only apply to the classes they were made for. */
  key: string;
  locked: string[];
  mode: Mode;
  ratio: number;
  counts: number[] | null;
  /** Comma-separated name fragments; a class shows when its name contains any of them. */
  filter?: string;
  /** Rows under many/medium/few-shot headings. */
  grouped?: boolean;
}

type Ready = Extract<PriorEditorState, { status: 'ready' }>;

const api = vscodeApi<PriorEditorWebviewMessage, ViewState>();
let view: ViewState = api.getState() ?? { key: '', locked: [], mode: 'percent', ratio: 10, counts: null };
const app = document.getElementById('app') as HTMLElement;

let state: PriorEditorState | undefined;
let target: TargetPrior | undefined;
let notice: PriorNotice | undefined;
let list: ClassList | undefined;
let chart: PriorChart | undefined;
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

let pendingChart = false;

function refreshRows(skip = -1): void {
  list?.refresh(skip);
  // At 8,142 classes a chart update costs more than a slider event: once per frame is enough.
  if (!pendingChart) {
    pendingChart = true;
    requestAnimationFrame(() => {
      pendingChart = false;
      if (target) chart?.update(target.shares);
    });
  }
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

/** Indices of the classes the filter shows, in class order. */
function filtered(s: Ready): number[] {
  const terms = (view.filter ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  const all = s.classes.map((_, i) => i);
  return terms.length === 0 ? all : all.filter((i) => terms.some((t) => s.classes[i]!.name.toLowerCase().includes(t)));
}

const GROUP_TITLES: Record<ShotGroup, string> = {
  many: `many-shot (> ${DEFAULT_SHOT_THRESHOLDS.many} images)`,
  medium: `medium-shot (${DEFAULT_SHOT_THRESHOLDS.few}–${DEFAULT_SHOT_THRESHOLDS.many})`,
  few: `few-shot (< ${DEFAULT_SHOT_THRESHOLDS.few})`,
};

function listItems(s: Ready, shown: readonly number[]): ListItem[] {
  if (!view.grouped) return shown.map((index) => ({ kind: 'class', index }));
  const out: ListItem[] = [];
  for (const group of ['many', 'medium', 'few'] as const) {
    const members = shown.filter((i) => shotGroup(s.classes[i]!.trainCount, DEFAULT_SHOT_THRESHOLDS) === group);
    if (members.length === 0) continue;
    out.push({ kind: 'group', group, title: `${GROUP_TITLES[group]} · ${members.length}`, members });
    for (const index of members) out.push({ kind: 'class', index });
  }
  return out;
}

function button(label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

function presets(s: Ready): HTMLElement {
  const ratio = h('input', { type: 'number', id: 'ratio', class: 'ratio', min: 1, max: 1000, step: 0.5, value: view.ratio, 'aria-label': 'Shift ratio r', title: 'Shift ratio r of the forward/backward presets' });
  ratio.addEventListener('change', () => {
    const r = Number(ratio.value);
    if (!(r >= 1)) {
      setNotice({ level: 'error', text: `The shift ratio r must be a number >= 1 (got '${ratio.value.slice(0, 20)}').` });
      ratio.value = String(view.ratio);
      return;
    }
    view.ratio = r;
    persist();
  });
  const shift = (kind: 'forward' | 'backward') => () => {
    const r = Number(ratio.value);
    if (r >= 1) view.ratio = r;
    applyPreset(s, { kind, ratio: view.ratio });
  };
  return h(
    'div',
    { class: 'toolbar presets', role: 'toolbar', 'aria-label': 'Presets' },
    button('Uniform', () => applyPreset(s, { kind: 'uniform' }), { title: 'Every class the same share' }),
    button('Training', () => applyPreset(s, { kind: 'training' }), { title: 'Same as the training set' }),
    h('span', { class: 'ratio-group' }, h('label', { for: 'ratio' }, 'r'), ratio),
    button('Forward', shift('forward'), { title: 'Forward-r: the shift protocol, classes with most training images stay most common' }),
    button('Backward', shift('backward'), { title: 'Backward-r: the shift protocol reversed, the tail becomes the head' }),
    button('Only shown', () => applyPreset(s, { kind: 'only', classes: filtered(s).map((i) => s.classes[i]!.name) }), {
      title: 'Equal shares for the classes the filter shows, 0 for the rest',
    }),
    button('Folder…', () => api.postMessage({ type: 'histogramFromFolder' }), { title: 'The class histogram of a labelled folder' }),
    button('File…', () => api.postMessage({ type: 'importFile' }), { title: 'Shares or counts from a JSON or CSV file' }),
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
  return h('fieldset', { class: 'mode' }, h('legend', {}, 'Enter'), radio('percent', ' %'), radio('count', ' counts'));
}

/** Puts the classes the filter shows (grouped when asked) into the list, and says how many. */
function showRows(s: Ready): void {
  const shown = filtered(s);
  const n = (x: number) => x.toLocaleString('en-US');
  const count = document.querySelector('[data-testid=shown-count]');
  if (count) count.textContent = shown.length === s.classes.length ? n(s.classes.length) : `${n(shown.length)} of ${n(s.classes.length)}`;
  list?.setItems(listItems(s, shown));
}

function filterBar(s: Ready): HTMLElement {
  const input = h('input', { type: 'search', class: 'filter', placeholder: 'Filter (a, b, …)', value: view.filter ?? '', 'aria-label': 'Filter classes' });
  const group = h('input', { type: 'checkbox', id: 'group-shot', checked: !!view.grouped });
  input.addEventListener('input', () => {
    view.filter = input.value;
    persist();
    showRows(s);
  });
  group.addEventListener('change', () => {
    view.grouped = group.checked;
    persist();
    showRows(s);
  });
  return h(
    'div',
    { class: 'filter-bar' },
    input,
    h('span', { class: 'status shown-count', 'data-testid': 'shown-count', title: 'Classes shown' }),
    h('label', { for: 'group-shot', class: 'group-toggle', title: 'Group the rows by shot (training images per class)' }, group, ' by shot'),
  );
}

function classList(s: Ready): HTMLElement {
  const totalTrain = s.classes.reduce((a, c) => a + c.trainCount, 0);
  list = new ClassList(
    s.classes.map((c) => ({ name: c.name, trainCount: c.trainCount, sourceShare: totalTrain > 0 ? c.trainCount / totalTrain : NaN })),
    {
      mode: () => view.mode,
      shown: shownValue,
      share: (i) => target?.shares[i] ?? 0,
      interval: (i) => target?.intervals?.[i] ?? null,
      locked: (i) => view.locked.includes(s.classes[i]!.name),
      edit: (i, raw, fromSlider) => editRow(s, i, raw, fromSlider),
      lock: (i, locked) => {
        const name = s.classes[i]!.name;
        view.locked = locked ? [...view.locked, name] : view.locked.filter((n) => n !== name);
        persist();
      },
    },
  );
  const head = h(
    'div',
    { class: 'list-head', 'aria-hidden': 'true' },
    h('span', { class: 'name' }, 'class'),
    h('span', { class: 'source-share' }, 'source'),
    h('span', { class: 'share-head' }, view.mode === 'percent' ? 'target %' : 'count'),
    h('span', { class: 'lock-head', title: 'Lock: keep the share while others change' }, 'lock'),
  );
  return h('section', { class: 'classes', 'aria-label': 'Target per class' }, head, list.element);
}

function chartSection(s: Ready): HTMLElement {
  const canvas = h('canvas', { 'data-testid': 'prior-chart' });
  chart = new PriorChart(canvas, (i, percent) => editRow(s, i, String(percent), true));
  return h('div', { class: 'chart-box' }, canvas);
}

/** Draws the chart once its box is in the page (chart.js sizes the canvas to it). */
function drawChart(s: Ready): void {
  const totalTrain = s.classes.reduce((a, c) => a + c.trainCount, 0);
  chart?.render(
    s.classes.map((c) => c.name),
    s.classes.map((c) => (totalTrain > 0 ? c.trainCount / totalTrain : 0)),
    target?.shares ?? [],
  );
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
    h('p', { class: 'context', 'data-testid': 'context' }, h('span', { class: 'where', title: where }, where), h('span', { class: 'target' }, '· target: ', h('strong', { 'data-testid': 'target-label' }, target?.label ?? ''))),
    h('div', { class: 'notice', 'data-testid': 'notice', role: 'status' }),
    chartSection(s),
    presets(s),
    h('div', { class: 'entry-bar' }, modeSwitch(s)),
    filterBar(s),
    classList(s),
    savedSection(s.saved, s),
  );
  setNotice(notice);
  showRows(s);
  drawChart(s);
}

function render(): void {
  const s = state;
  if (s?.status !== 'ready') {
    list = undefined;
    chart = undefined;
  }
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

// A taller or shorter side bar shows more or fewer rows.
window.addEventListener('resize', () => list?.renderWindow());
render();
api.postMessage({ type: 'ready' });
