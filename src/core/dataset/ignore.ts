// Ignore globs, matched against paths relative to the dataset root with '/' separators.
import picomatch from 'picomatch';

/** Returns true when a root-relative path (file or folder) is to be left out. */
export type IgnoreMatcher = (relativePath: string) => boolean;

export function compileIgnore(globs: readonly string[] | undefined): IgnoreMatcher | null {
  const patterns = (globs ?? []).map((g) => g.trim()).filter((g) => g.length > 0);
  if (patterns.length === 0) return null;
  // dot: true so '**' also reaches hidden names a user asks about explicitly; hidden names are skipped anyway.
  const isMatch = picomatch(patterns, { dot: true });
  return (relativePath) => isMatch(relativePath);
}

/** Root-relative '/'-separated form of an absolute path under root ('' for root itself). */
export function relativeTo(root: string, absolutePath: string): string {
  if (absolutePath === root) return '';
  const rel = absolutePath.startsWith(root) ? absolutePath.slice(root.length).replace(/^[\\/]+/, '') : absolutePath;
  return rel.replace(/\\/g, '/').replace(/\/+$/, '');
}
