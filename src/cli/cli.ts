// `lade` argument dispatch: global help and version, then the chosen subcommand. Bad input exits 2 with
// one line on stderr; anything unexpected exits 1 with the error.
import { version } from '../../package.json';
import { DatasetError } from '../core/dataset/errors';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, UsageError, type CliIo } from './command';
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

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
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
    if (e instanceof UsageError) {
      io.err(`${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (e instanceof DatasetError) {
      io.err(`lade ${name}: ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    io.err(`lade ${name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_FAILURE;
  }
}
