// What every `lade` subcommand module provides, and the errors that mean "bad input" (exit code 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../core/userError';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** True when stderr is a terminal, so live progress may be drawn there. */
  readonly interactive: boolean;
  /** How the user ran lade (invocation.ts), for hints meant to be typed; 'lade' when not given. */
  readonly program?: string;
}

export interface CommandModule {
  /** Full help text for `lade <cmd> --help`. */
  readonly usage: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** Bad command line; printed as one line, exit code 2. */
export class UsageError extends UserError {
  override readonly name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;
/** Stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_CANCELLED = 130;

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs in strict mode, with its errors turned into one-line UsageErrors. */
export function parseCommandLine<O extends Options>(command: string, argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    throw new UsageError(`lade ${command}: ${message} (see lade ${command} --help)`);
  }
}

/** A finite number from a flag, or a UsageError naming the flag. */
export function numberFlag(command: string, flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`lade ${command}: --${flag} expects a number, got '${value}'`);
  return n;
}
