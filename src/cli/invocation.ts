// How the user started lade, so the hints it prints ("next: lade eval …") work when typed as shown:
// after `npm ci` there is no `lade` on the PATH, so `npx lade` or `node dist/cli.js` is what they typed.
import path from 'node:path';

/**
 * The command prefix that reruns this program: `npx lade` under npx, `lade` for a linked bin (a `lade`
 * symlink) or an installed package (Windows' shims run the script inside node_modules), otherwise
 * `node <script>` (relative to the working folder when inside it).
 */
export function invokedAs(script: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  if (!script) return 'lade';
  // npx runs the `lade` bin; npm_command alone is inherited by whatever npx started.
  if (path.basename(script) === 'lade') return env.npm_command === 'exec' ? 'npx lade' : 'lade';
  if (/[\\/]node_modules[\\/]/.test(script)) return 'lade';
  const rel = path.relative(cwd, script);
  const shown = rel.startsWith('..') || path.isAbsolute(rel) ? script : rel;
  return `node ${/\s/.test(shown) ? JSON.stringify(shown) : shown}`;
}
