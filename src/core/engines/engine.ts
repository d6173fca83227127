// Which engine trains a run: the built-in TF.js one or PyTorch (lade_torch in a child Python). 'auto' takes
// torch when a Python with torch >= 1.13 is found and the run is one torch trains (from scratch), else TF.js;
// the choice comes with its reason, shown as the backend's is.
import { findTorch, INSTALL_HINT, type PythonCandidate, type TorchPython } from './python';

export const ENGINES = ['auto', 'tfjs', 'torch'] as const;
export type EngineSetting = (typeof ENGINES)[number];

export const DEVICES = ['auto', 'cpu', 'cuda', 'mps'] as const;
export type TorchDevice = (typeof DEVICES)[number];

export type EngineChoice =
  | { readonly engine: 'tfjs'; readonly reason: string }
  | { readonly engine: 'torch'; readonly reason: string; readonly python: TorchPython };

/** Torch was asked for and cannot run: the message says what was tried and how to install it. */
export class EngineUnavailable extends Error {}

function describe(p: TorchPython): string {
  const devices = [p.cuda ? `${p.cuda} CUDA GPU${p.cuda > 1 ? 's' : ''}` : '', p.mps ? 'Apple MPS' : ''].filter(Boolean).join(', ') || 'CPU only';
  return `PyTorch ${p.torch} (Python ${p.python}, ${devices}) at ${p.command} from ${p.source}`;
}

/**
 * `tfjsOnly` names why this run needs TF.js (a TF.js model to fine-tune, a retuned head, TF.js workers),
 * when it does: auto then skips the probe, and torch is refused.
 */
export async function chooseEngine(
  setting: EngineSetting,
  candidates: readonly PythonCandidate[],
  opts: { readonly tfjsOnly?: string; readonly timeoutMs?: number } = {},
): Promise<EngineChoice> {
  if (setting === 'tfjs') return { engine: 'tfjs', reason: 'TF.js engine, as asked' };
  if (opts.tfjsOnly) {
    if (setting === 'torch') throw new EngineUnavailable(`The PyTorch engine cannot train this run: ${opts.tfjsOnly}.`);
    return { engine: 'tfjs', reason: `TF.js engine: ${opts.tfjsOnly}` };
  }
  const probe = await findTorch(candidates, opts.timeoutMs);
  if (probe.ok) {
    return { engine: 'torch', python: probe.found, reason: `${describe(probe.found)}${setting === 'auto' ? ' (auto)' : ''}` };
  }
  if (setting === 'torch') throw new EngineUnavailable(`No Python with torch >= 1.13 for the PyTorch engine (${probe.reason}). ${INSTALL_HINT}.`);
  return { engine: 'tfjs', reason: `TF.js engine: no Python with torch >= 1.13 (${probe.reason})` };
}
