// How messages name classes: by name alone. A class's index is its place in the alphabetical folder
// order, which means nothing to the user; it is shown only when no name is known. Browser-safe.

export function className(c: number, names?: readonly string[]): string {
  return names?.[c] ?? `class ${c}`;
}

/** The first `max` classes by name, then how many more. */
export function classList(indices: readonly number[], names?: readonly string[], max = 8): string {
  const shown = indices.slice(0, max).map((c) => className(c, names));
  return `${shown.join(', ')}${indices.length > max ? ` and ${indices.length - max} more` : ''}`;
}
