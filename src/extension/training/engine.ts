// The engine of "Train with LADE": lade.engine (or the command argument's engine), with the interpreter from
// lade.python, else the Python extension's selected one (its API, when installed), else python3 on the PATH.
import * as vscode from 'vscode';
import { chooseEngine, DEVICES, ENGINES, type EngineChoice, type EngineSetting, type TorchDevice } from '../../core/engines/engine';
import { pythonCandidates } from '../../core/engines/python';

interface PythonExtensionApi {
  readonly environments?: { getActiveEnvironmentPath(resource?: vscode.Uri): { readonly path: string } };
  readonly settings?: { getExecutionDetails(resource?: vscode.Uri): { readonly execCommand?: readonly string[] } };
}

/** ms-python.python's selected interpreter, if that extension is installed and says. */
async function pythonExtensionInterpreter(scope?: vscode.Uri): Promise<string | undefined> {
  const ext = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!ext) return undefined;
  try {
    const api = ext.isActive ? ext.exports : await ext.activate();
    const fromEnvironments = api.environments?.getActiveEnvironmentPath(scope).path;
    return fromEnvironments || api.settings?.getExecutionDetails(scope).execCommand?.[0];
  } catch {
    return undefined;
  }
}

export function torchDevice(scope?: vscode.Uri): TorchDevice {
  const d = vscode.workspace.getConfiguration('lade', scope).get<string>('torch.device', 'auto');
  return (DEVICES as readonly string[]).includes(d) ? (d as TorchDevice) : 'auto';
}

/**
 * The engine for a run of `scope`'s dataset. `requested` is a command argument's engine (automation);
 * `ask` offers the choice when lade.engine is auto and torch is there. Undefined when the user dismissed it.
 */
export async function resolveEngine(scope: vscode.Uri, opts: { requested?: unknown; ask: boolean; tfjsOnly?: string }): Promise<EngineChoice | undefined> {
  const config = vscode.workspace.getConfiguration('lade', scope);
  const requested = opts.requested ?? config.get<string>('engine', 'auto');
  if (typeof requested !== 'string' || !(ENGINES as readonly string[]).includes(requested)) throw new Error(`'engine' must be one of ${ENGINES.join(', ')}`);
  const setting = config.get<string>('python', '').trim();
  const candidates = pythonCandidates({ setting: setting || undefined, extension: setting ? undefined : await pythonExtensionInterpreter(scope) });
  const choice = await chooseEngine(requested as EngineSetting, candidates, { tfjsOnly: opts.tfjsOnly });
  if (!opts.ask || requested !== 'auto' || choice.engine !== 'torch') return choice;
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'PyTorch', description: choice.reason, choice },
      { label: 'TF.js', description: 'the built-in engine, in a worker thread', choice: { engine: 'tfjs', reason: 'TF.js engine, as picked' } as EngineChoice },
    ],
    { title: 'LADE: engine', placeHolder: 'Train with (lade.engine: auto)' },
  );
  return picked?.choice;
}
