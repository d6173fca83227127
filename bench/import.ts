// Import benchmark: `lade import` (the built dist/cli.js) of a 50,000 x 1,000 float16 .npz written by
// numpy (np.savez: logits float16, labels int64; 100 MB) into a ready run folder, against a plain read of
// the same file (fs.readFileSync + fflate unzipSync) in a Node process of its own, alternating. Prints the
// median times, their ratio, the peak memory of each (GNU time's maximum resident set) and the load
// average, since the machine is shared. The file is generated once per run in a temp folder.
//
// Run: flock /tmp/lade-heavy.lock npm run bench:import [-- --runs N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const CLI = path.resolve('dist/cli.js');
const PYTHON = '/usr/bin/python3';
const TIME = '/usr/bin/time';
const ROWS = 50_000;
const CLASSES = 1_000;

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);

function fail(message: string): never {
  console.error(`bench:import: ${message}`);
  process.exit(2);
}

if (!existsSync(CLI)) fail('dist/cli.js is missing; run node esbuild.mjs first (npm run bench:import does).');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lade-bench-import-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const npz = path.join(dir, 'test.npz');
const made = spawnSync(
  PYTHON,
  [
    '-c',
    'import sys, numpy as np; r = np.random.default_rng(0); ' +
      `np.savez(sys.argv[1], logits=(2 * r.standard_normal((${ROWS}, ${CLASSES}), dtype=np.float32)).astype(np.float16), labels=r.integers(0, ${CLASSES}, ${ROWS}))`,
    npz,
  ],
  { encoding: 'utf8' },
);
if (made.status !== 0) fail(`could not write the .npz with ${PYTHON} and numpy: ${made.stderr.trim().split('\n').pop()}`);
const classes = Array.from({ length: CLASSES }, (_, c) => `class_${String(c).padStart(4, '0')}`);
writeFileSync(path.join(dir, 'classes.txt'), `${classes.join('\n')}\n`);
writeFileSync(path.join(dir, 'counts.json'), JSON.stringify(Object.fromEntries(classes.map((c, i) => [c, 1 + Math.floor(500 / (1 + i))]))));

const plainRead =
  `const { unzipSync } = require(${JSON.stringify(require.resolve('fflate'))}); ` +
  `const files = unzipSync(require('node:fs').readFileSync(${JSON.stringify(npz)})); ` +
  `if (!files['logits.npy'] || !files['labels.npy']) process.exit(1);`;
const commands: Record<'read' | 'import', string[]> = {
  read: [process.execPath, '-e', plainRead],
  import: [
    process.execPath, CLI, 'import', path.join(dir, 'run'), '--force', '--classes', path.join(dir, 'classes.txt'),
    '--train-counts', path.join(dir, 'counts.json'), '--loss', 'ce', '--split', `test=${npz}`,
  ],
};

/** Wall seconds and peak resident MB of one child process. */
function measure(cmd: string[]): { seconds: number; peakMb: number } {
  const started = process.hrtime.bigint();
  const r = spawnSync(TIME, ['-f', '%M', ...cmd], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) fail(`${cmd.slice(1, 3).join(' ')} failed: ${r.stderr.trim()}`);
  const peakKb = Number(r.stderr.trim().split('\n').pop());
  return { seconds, peakMb: peakKb / 1024 };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const times = { read: [] as number[], import: [] as number[] };
const peaks = { read: [] as number[], import: [] as number[] };
for (let i = 0; i < runs; i++) {
  for (const k of ['read', 'import'] as const) {
    const m = measure(commands[k]);
    times[k].push(m.seconds);
    peaks[k].push(m.peakMb);
  }
}
const run = path.join(dir, 'run');
const logitsMb = statSync(path.join(run, 'logits-test.bin')).size / 2 ** 20;
const load = os.loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`${ROWS} x ${CLASSES} float16 .npz (${(statSync(npz).size / 2 ** 20).toFixed(0)} MiB) -> run folder (logits ${logitsMb.toFixed(0)} MiB float32), ${runs} runs each, alternating`);
console.log(`  plain read (readFileSync + unzipSync): median ${median(times.read).toFixed(2)} s, peak RSS ${median(peaks.read).toFixed(0)} MB`);
console.log(`  lade import:                          median ${median(times.import).toFixed(2)} s, peak RSS ${median(peaks.import).toFixed(0)} MB`);
console.log(`  ratio import / plain read: ${(median(times.import) / median(times.read)).toFixed(2)}   (load average ${load}, ${os.cpus().length} cores)`);
