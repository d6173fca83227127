// Scan benchmark: `lade analyze` (the built dist/cli.js) against `find DIR -type f | wc -l` on the same
// tree in the same run, alternating, on 1,000,000 empty image files in 1,000 class folders; plus the time
// on a 100,000-file tree. Trees are built once and cached under the OS temp folder.
// Goals: median ratio lade/find <= 1.5 on 1M files; 100k files under 1 s.
//
// Run: npm run bench:scan [-- --runs N]
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

function main(): void {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const runs = Number(values.runs);
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const big = ensureTree('1m', 1000, 1000);
  const small = ensureTree('100k', 1000, 100);

  // Warm the page cache for both tools before timing.
  runFind(big);
  runLade(big);
  const lade: number[] = [];
  const find: number[] = [];
  for (let i = 0; i < runs; i++) {
    lade.push(runLade(big));
    find.push(runFind(big));
  }
  runLade(small);
  const smallLade = Array.from({ length: runs }, () => runLade(small));
  const smallFind = Array.from({ length: runs }, () => runFind(small));

  const fmt = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
  const load = os.loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`\nscan benchmark (${runs} alternating runs each, medians; ${os.cpus().length} cores, load average ${load}, node ${process.version})`);
  console.log(`1,000,000 files / 1,000 classes: lade analyze ${fmt(median(lade))}, find | wc -l ${fmt(median(find))}, ratio ${(median(lade) / median(find)).toFixed(2)} (goal <= 1.5)`);
  console.log(`  lade runs: ${lade.map(fmt).join(', ')}`);
  console.log(`  find runs: ${find.map(fmt).join(', ')}`);
  console.log(`100,000 files / 1,000 classes: lade analyze ${fmt(median(smallLade))} (goal < 1 s), find | wc -l ${fmt(median(smallFind))}`);
}

main();
