// Scan benchmark: `lade analyze` (the built dist/cli.js) against `find DIR -type f | wc -l` on the same
// tree in the same run, alternating, whole processes both: 1,000,000 empty image files in 1,000 class
// folders (cost per file), 300,000 in 1,000 and 8,142 classes of 3 files (cost per folder); plus the time
// on a 100,000-file tree. Trees are built once and cached under the OS temp folder.
// Goals: median ratio lade/find <= 1.5 on every shape; 100k files under 1 s.
//
// Run: npm run bench:scan [-- --runs N] [-- --shapes 1m,300k,8142x3]  (under flock on a shared machine)
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const CLI = path.resolve('dist/cli.js');

interface Tree {
  readonly dir: string;
  readonly classes: number;
  readonly perClass: number;
}

/** Creates classes x perClass empty files (.jpg and .png alternating) unless a finished copy exists. */
function ensureTree(name: string, classes: number, perClass: number): Tree {
  const dir = path.join(os.tmpdir(), 'lade-bench-scan', name);
  const done = path.join(dir, '.complete');
  if (existsSync(done)) return { dir, classes, perClass };
  rmSync(dir, { recursive: true, force: true });
  const started = Date.now();
  process.stdout.write(`building ${dir} (${classes * perClass} files, once) ...`);
  for (let c = 0; c < classes; c++) {
    const classDir = path.join(dir, `class_${String(c).padStart(4, '0')}`);
    mkdirSync(classDir, { recursive: true });
    for (let i = 0; i < perClass; i++) {
      closeSync(openSync(path.join(classDir, `img_${String(i).padStart(6, '0')}.${i % 2 === 0 ? 'jpg' : 'png'}`), 'w'));
    }
  }
  writeFileSync(done, new Date().toISOString());
  console.log(` ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { dir, classes, perClass };
}

/** Wall time of one command in ms, and its stdout. */
function timed(cmd: string, args: readonly string[]): { ms: number; stdout: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

function runLade(tree: Tree): number {
  const { ms, stdout } = timed(process.execPath, [CLI, 'analyze', tree.dir, '--json']);
  const total = (JSON.parse(stdout) as { total: number }).total;
  if (total !== tree.classes * tree.perClass) throw new Error(`lade counted ${total} files, expected ${tree.classes * tree.perClass}`);
  return ms;
}

function runFind(tree: Tree): number {
  const { ms, stdout } = timed('sh', ['-c', `find '${tree.dir}' -type f | wc -l`]);
  // find also sees the .complete marker.
  if (Number(stdout.trim()) !== tree.classes * tree.perClass + 1) throw new Error(`find counted ${stdout.trim()} files`);
  return ms;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Tree shapes timed against find: a cost per file (1M in 1,000 classes) and per folder (many small classes). */
const SHAPES: Record<string, { classes: number; perClass: number }> = {
  '1m': { classes: 1000, perClass: 1000 },
  '300k': { classes: 1000, perClass: 300 },
  '8142x3': { classes: 8142, perClass: 3 },
};

function main(): void {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, shapes: { type: 'string', default: Object.keys(SHAPES).join(',') } } });
  const runs = Number(values.runs);
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const fmt = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
  const lines: string[] = [];
  for (const name of values.shapes!.split(',')) {
    const shape = SHAPES[name];
    if (!shape) throw new Error(`unknown shape '${name}' (shapes: ${Object.keys(SHAPES).join(', ')})`);
    const tree = ensureTree(name, shape.classes, shape.perClass);
    // Warm the page cache for both tools before timing; then alternate, so load changes hit both alike.
    runFind(tree);
    runLade(tree);
    const lade: number[] = [];
    const find: number[] = [];
    for (let i = 0; i < runs; i++) {
      lade.push(runLade(tree));
      find.push(runFind(tree));
    }
    const files = (shape.classes * shape.perClass).toLocaleString('en');
    lines.push(
      `${files} files / ${shape.classes.toLocaleString('en')} classes: lade analyze ${fmt(median(lade))}, find | wc -l ${fmt(median(find))}, ` +
        `ratio ${(median(lade) / median(find)).toFixed(2)} (goal <= 1.5)`,
      `  lade runs: ${lade.map(fmt).join(', ')}`,
      `  find runs: ${find.map(fmt).join(', ')}`,
    );
  }
  const small = ensureTree('100k', 1000, 100);
  runLade(small);
  const smallLade = Array.from({ length: runs }, () => runLade(small));
  const load = os.loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`\nscan benchmark (${runs} alternating runs each, medians; ${os.cpus().length} cores, load average ${load}, node ${process.version})`);
  for (const l of lines) console.log(l);
  console.log(`100,000 files / 1,000 classes: lade analyze ${fmt(median(smallLade))} (goal < 1 s)`);
}

main();
