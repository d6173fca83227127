// The deep check (--validate): reads every image to find empty, corrupt or truncated files, files whose
// extension names another format, and exact duplicates (same content under two paths, possibly with two
// labels). PNG and JPEG files are decoded in full with the trainer's decoder, so a file that passes here
// trains; headers of other formats are parsed with sharp when it is installed, else magic bytes and trailers.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { decodeImage } from '../train/images';
import { imageExtension } from './imageFiles';
import { relativeTo } from './ignore';
import { formatOfExtension, sniffFormat, truncationProblem } from './imageSignature';
import type { ValidationSummary } from './types';
import type { WarningSink } from './warnings';

export interface ValidationTarget {
  readonly path: string;
  readonly className: string;
}

export interface ValidateOptions {
  readonly root: string;
  readonly warnings: WarningSink;
  readonly signal?: AbortSignal;
  /** Files checked so far. */
  readonly onChecked?: (checked: number) => void;
  /** Files read at once; results are still handled in input order, so reports are deterministic. */
  readonly concurrency?: number;
}

type HeaderReader = (buf: Buffer) => Promise<unknown>;

/** sharp's metadata() parses the header; null when sharp is not installed (it is an optional dependency). */
async function loadHeaderReader(): Promise<HeaderReader | null> {
  try {
    const { default: sharp } = await import('sharp');
    return (buf) => sharp(buf).metadata();
  } catch {
    return null;
  }
}

type Finding =
  | { readonly kind: 'ok' }
  | { readonly kind: 'missing-file' | 'unreadable' | 'corrupt-image'; readonly reason: string };

interface Checked {
  readonly target: ValidationTarget;
  readonly finding: Finding;
  readonly mismatch: string | null;
  readonly hash: string | null;
}

async function check(target: ValidationTarget, readHeader: HeaderReader | null): Promise<Checked> {
  let buf: Buffer;
  try {
    buf = await readFile(target.path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const kind = code === 'ENOENT' ? 'missing-file' : 'unreadable';
    return { target, finding: { kind, reason: code ?? String(e) }, mismatch: null, hash: null };
  }
  const corrupt = (reason: string): Checked => ({ target, finding: { kind: 'corrupt-image', reason }, mismatch: null, hash: null });
  if (buf.length === 0) return corrupt('empty file');
  const format = sniffFormat(buf);
  if (format === null) return corrupt('not a PNG, JPEG, GIF, BMP, WebP or TIFF file');
  const truncated = truncationProblem(buf, format);
  if (truncated) return corrupt(`truncated: ${truncated}`);
  if (format === 'png' || format === 'jpeg') {
    try {
      decodeImage(buf, target.path);
    } catch (e) {
      return corrupt(`cannot be decoded: ${e instanceof Error ? e.message : String(e)}`);
    }
  } else if (readHeader) {
    try {
      await readHeader(buf);
    } catch (e) {
      return corrupt(`unreadable header: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const ext = imageExtension(target.path);
  const mismatch = ext !== null && formatOfExtension(ext) !== format ? format : null;
  return { target, finding: { kind: 'ok' }, mismatch, hash: createHash('sha1').update(buf).digest('base64') };
}

export async function validateImages(files: AsyncIterable<ValidationTarget>, opts: ValidateOptions): Promise<ValidationSummary> {
  const { root, warnings, signal } = opts;
  const readHeader = await loadHeaderReader();
  const concurrency = opts.concurrency ?? 8;
  const rel = (p: string) => relativeTo(root, p);
  // First path seen for each content hash; later paths with the same hash are duplicates of it.
  const firstByHash = new Map<string, ValidationTarget>();
  let checked = 0;
  let corrupt = 0;
  let extensionMismatches = 0;
  let duplicates = 0;
  let missing = 0;

  const handle = ({ target, finding, mismatch, hash }: Checked): void => {
    checked++;
    opts.onChecked?.(checked);
    const where = `${rel(target.path)} (class ${target.className})`;
    if (finding.kind !== 'ok') {
      if (finding.kind === 'corrupt-image') corrupt++;
      if (finding.kind === 'missing-file') missing++;
      const what = finding.kind === 'missing-file' ? 'missing' : finding.kind === 'unreadable' ? 'cannot be read' : 'is corrupt';
      warnings.add({ kind: finding.kind, message: `${where} ${what}: ${finding.reason}`, path: target.path, classes: [target.className] });
      return;
    }
    if (mismatch) {
      extensionMismatches++;
      warnings.add({ kind: 'extension-mismatch', message: `${where} is a ${mismatch.toUpperCase()} file`, path: target.path });
    }
    if (hash === null) return;
    const first = firstByHash.get(hash);
    if (!first) {
      firstByHash.set(hash, target);
      return;
    }
    duplicates++;
    const labels = first.className === target.className ? '' : `, labelled ${first.className} there but ${target.className} here`;
    warnings.add({
      kind: 'duplicate',
      message: `${rel(target.path)} has the same content as ${rel(first.path)}${labels}`,
      path: target.path,
      classes: [...new Set([first.className, target.className])],
    });
  };

  const window: Promise<Checked>[] = [];
  for await (const target of files) {
    signal?.throwIfAborted();
    window.push(check(target, readHeader));
    if (window.length >= concurrency) handle(await window.shift()!);
  }
  while (window.length > 0) handle(await window.shift()!);
  signal?.throwIfAborted();
  return { decoder: readHeader ? 'sharp' : 'signature', checked, corrupt, extensionMismatches, duplicates, missing };
}
