// `lade` argument dispatch: global help and version, then the chosen subcommand. A user error (any error
// carrying the userError brand) exits 2 with one line on stderr; anything else is a bug: exit 1, one line,
// and the stack with --debug or LADE_DEBUG=1.
import { version } from '../../package.json';
import { isUserError } from '../core/userError';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, type CliIo } from './command';
import { COMMANDS } from './commands';

function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: lade <command> [options]',
    '',
    'Long-tailed image classification with the LADE loss: dataset analysis, training and evaluation.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `lade <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

/** `lade <cmd>: <first line>`, whether or not the message already carries the prefix. */
export function errorLine(command: string, message: string): string {
  const first = message.split('\n')[0]!.trim();
  const prefix = `lade ${command}: `;
  return first.startsWith(prefix) ? first : `${prefix}${first}`;
}

export async function runCli(argv: readonly string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const debug = argv.includes('--debug') || env.LADE_DEBUG === '1';
  const [name, ...rest] = argv.filter((a) => a !== '--debug');
  if (name === undefined) {
    io.err(globalHelp());
    return EXIT_BAD_INPUT;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(globalHelp());
    return EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${version}\n`);
    return EXIT_OK;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(`lade: unknown command '${name}' (commands: ${COMMANDS.map((c) => c.name).join(', ')}; see lade --help)\n`);
    return EXIT_BAD_INPUT;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    const stack = e instanceof Error && e.stack ? `${e.stack}\n` : '';
    if (isUserError(e)) {
      io.err(`${errorLine(name, e.message)}\n${debug ? stack : ''}`);
      return EXIT_BAD_INPUT;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.err(`${errorLine(name, `internal error: ${message}`)}\n${debug ? stack : 'run again with --debug (or LADE_DEBUG=1) for the stack trace\n'}`);
    return EXIT_FAILURE;
  }
}
