// Registers the prior editor view and its command around the session activate() created.
//   lade.applyPrior  extension point: apply (and optionally save) a named prior made elsewhere
import * as vscode from 'vscode';
import { PriorError } from '../../core/priors';
import { parsePriorFile, PRIOR_FILE_FORMAT, type NamedPrior } from '../../core/priors/files';
import { isRecord } from '../../protocol/validate';
import type { LadeSession } from '../session';
import { PRIOR_VIEW_ID, PriorEditorView, type ScannedDatasets } from './view';

/** Accepts { name, origin?, shares: {class: share}, intervals?: {class: [lo, hi]}, save? } with the prior file's checks. */
function namedPriorArgument(arg: unknown): { prior: NamedPrior; save: boolean } {
  if (!isRecord(arg)) throw new PriorError('lade.applyPrior: expected { name, shares: { class: share }, intervals?, save? }.');
  const text = JSON.stringify({ format: PRIOR_FILE_FORMAT, version: 1, name: arg.name, origin: arg.origin ?? 'applied', shares: arg.shares, intervals: arg.intervals });
  return { prior: parsePriorFile(text, 'lade.applyPrior'), save: arg.save === true };
}

/** The editor is returned so other features (the estimate) can hand it a prior directly. */
export function registerPriors(
  context: vscode.ExtensionContext,
  session: LadeSession,
  scanned: ScannedDatasets,
): { readonly editor: PriorEditorView; readonly disposable: vscode.Disposable } {
  const editor = new PriorEditorView(context.extensionUri, session, scanned);
  const disposable = vscode.Disposable.from(
    vscode.window.registerWebviewViewProvider(PRIOR_VIEW_ID, editor, { webviewOptions: { retainContextWhenHidden: false } }),
    vscode.commands.registerCommand('lade.applyPrior', async (arg: unknown) => {
      const { prior, save } = namedPriorArgument(arg);
      await editor.applyNamedPrior(prior, { save });
    }),
  );
  return { editor, disposable };
}
