// The metrics page's shared state: the host's state and target prior, the what-if workers and the columns
// they answer for, and the view settings the webview persists. Sections read it; main.ts owns its changes.
import type { TargetPrior } from '../../src/core/priors/target';
import type { MetricsState, MetricsWebviewMessage } from '../../src/protocol/metricsPanel';
import type { MethodSpec } from '../../src/protocol/whatifWorker';
import { vscodeApi } from '../shared/vscodeApi';
import type { MethodResult, WhatIfPool } from './whatifPool';

export interface ViewState {
  focus: string | null;
  fullMatrix: boolean;
}

export type Ready = Extract<MetricsState, { status: 'ready' }>;
export interface Column extends MethodSpec {
  readonly run: string;
  /** The method's colour in every chart and table (colors.ts). */
  readonly color: string;
}

export const api = vscodeApi<MetricsWebviewMessage, ViewState>();
export const view: ViewState = api.getState() ?? { focus: null, fullMatrix: false };
export const persist = (): void => api.setState(view);

export const page: {
  state: MetricsState | undefined;
  target: TargetPrior | undefined;
  pool: WhatIfPool | null;
  columns: Column[];
  loadError: string | null;
  /** The newest prior's request id. */
  requestId: number;
} = { state: undefined, target: undefined, pool: null, columns: [], loadError: null, requestId: 0 };

export function resultOf(col: Column): MethodResult | undefined {
  return page.pool?.latest?.results.get(col.id);
}

/** The request id once every worker has answered the newest request, else undefined. */
export function completeId(): string | undefined {
  return page.pool?.latest?.id === page.requestId ? String(page.requestId) : undefined;
}

/** Marks a section with the prior it shows, and data-complete once every method's numbers for it are in. */
export function markShown(el: HTMLElement): void {
  el.setAttribute('data-label', page.target?.label ?? '');
  const complete = completeId();
  if (complete === undefined) el.removeAttribute('data-complete');
  else el.setAttribute('data-complete', complete);
}

