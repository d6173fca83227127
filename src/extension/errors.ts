// How a failed LADE command reaches the user: its one-line message in a notification, with the actions that
// help (Resume, Choose Another Folder ...) and always Open Log; the full error, stack included, goes to the
// LADE output channel, so a bug report has it while the notification stays readable.
import * as vscode from 'vscode';
import { isUserError } from '../core/userError';
import { outputChannel } from './log';

export interface ErrorAction {
  readonly title: string;
  readonly run: () => unknown;
}

export const OPEN_LOG = 'Open Log';

/** The first line of an error's message (worker errors may carry more). */
export function errorMessage(err: unknown): string {
  const text = err instanceof Error || isUserError(err) ? (err as Error).message : String(err);
  return text.split('\n')[0]!.trim();
}

/** Logs `err` under `what` and shows its message; resolves once the user picked an action (or dismissed it). */
export async function reportFailure(what: string, err: unknown, actions: readonly ErrorAction[] = []): Promise<void> {
  const log = outputChannel();
  const message = errorMessage(err);
  log.error(`${what}: ${message}`);
  // A user error is fully told by its message; anything else is a bug whose stack belongs in the log.
  const stack = err instanceof Error ? err.stack : undefined;
  if (stack && !isUserError(err)) log.error(stack);
  const picked = await vscode.window.showErrorMessage(`LADE: ${message}`, ...actions.map((a) => a.title), OPEN_LOG);
  if (picked === OPEN_LOG) log.show(true);
  else await actions.find((a) => a.title === picked)?.run();
}
