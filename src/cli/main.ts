// Entry of the `lade` CLI (bundled to dist/cli.js).
import { runCli } from './cli';
import { invokedAs } from './invocation';

const io = {
  out: (text: string) => void process.stdout.write(text),
  err: (text: string) => void process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
  program: invokedAs(process.argv[1], process.env, process.cwd()),
};

// exitCode rather than exit(): a large --json document on a pipe must be flushed before Node leaves.
void runCli(process.argv.slice(2), io).then((code) => {
  process.exitCode = code;
});
