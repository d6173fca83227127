// Which files count as images (by extension, case-insensitive) and which names are hidden.

export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'gif', 'bmp', 'tif', 'tiff'] as const;
export type ImageExtension = (typeof IMAGE_EXTENSIONS)[number];

const EXTENSIONS: ReadonlySet<string> = new Set(IMAGE_EXTENSIONS);

/** The lower-cased image extension of a file name or path, or null when it is not an image. */
export function imageExtension(name: string): ImageExtension | null {
  const dot = name.lastIndexOf('.');
  // Shortest extension is 3 characters; longest is 4.
  if (dot < 0 || name.length - dot > 5 || name.length - dot < 4) return null;
  const ext = name.slice(dot + 1).toLowerCase();
  return EXTENSIONS.has(ext) ? (ext as ImageExtension) : null;
}

export function isHiddenName(name: string): boolean {
  return name.charCodeAt(0) === 46; // '.'
}

/** True for an image file whose own name (the last path segment) is not hidden. */
export function isVisibleImagePath(filePath: string): boolean {
  const slash = Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\'));
  return filePath.charCodeAt(slash + 1) !== 46 && imageExtension(filePath) !== null;
}
