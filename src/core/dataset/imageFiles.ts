// Which files count as images (by extension, case-insensitive) and which names are hidden. Every image
// format is recognised, but only the ones the trainer decodes (PNG, JPEG) are samples: the others are
// skipped, with a warning, by analyze and train alike.

export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'gif', 'bmp', 'tif', 'tiff'] as const;
/** The formats the trainer decodes (src/core/train/images.ts). */
export const TRAINABLE_EXTENSIONS = ['jpg', 'jpeg', 'png'] as const;
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

/** Extension letters packed into one number, ASCII case folded: 'JPG' and 'jpg' give the same key. */
function extensionKey(name: string, from: number, length: number): number {
  let key = 0;
  for (let i = 0; i < length; i++) key = key * 256 + (name.charCodeAt(from + i) | 0x20);
  return key;
}

const KEYS_3 = new Set(IMAGE_EXTENSIONS.filter((e) => e.length === 3).map((e) => extensionKey(e, 0, 3)));
const KEYS_4 = new Set(IMAGE_EXTENSIONS.filter((e) => e.length === 4).map((e) => extensionKey(e, 0, 4)));

const TRAINABLE_3 = new Set(TRAINABLE_EXTENSIONS.filter((e) => e.length === 3).map((e) => extensionKey(e, 0, 3)));
const TRAINABLE_4 = new Set(TRAINABLE_EXTENSIONS.filter((e) => e.length === 4).map((e) => extensionKey(e, 0, 4)));

/** Same answer as TRAINABLE_EXTENSIONS including imageExtension(name), without allocating. */
export function hasTrainableExtension(name: string): boolean {
  const n = name.length;
  if (n >= 4 && name.charCodeAt(n - 4) === 46) return TRAINABLE_3.has(extensionKey(name, n - 3, 3));
  return n >= 5 && name.charCodeAt(n - 5) === 46 && TRAINABLE_4.has(extensionKey(name, n - 4, 4));
}

/**
 * Same answer as imageExtension(name) !== null, without allocating: the crawl calls it once per file.
 * (c | 0x20) equals a lower-case letter only for that letter and its capital, so the match is exact.
 */
export function hasImageExtension(name: string): boolean {
  const n = name.length;
  // The last dot decides: look for it at n-4 (three letters) before n-5 (four letters).
  if (n >= 4 && name.charCodeAt(n - 4) === 46) return KEYS_3.has(extensionKey(name, n - 3, 3));
  return n >= 5 && name.charCodeAt(n - 5) === 46 && KEYS_4.has(extensionKey(name, n - 4, 4));
}

export function isHiddenName(name: string): boolean {
  return name.charCodeAt(0) === 46; // '.'
}
