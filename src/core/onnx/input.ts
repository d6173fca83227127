// What an ONNX image classifier expects as input: size, channels and layout from the model's input
// metadata, and the normalisation (pixels / 255, then (x - mean) / std per channel) from the user's flags,
// else the model's metadata_props, else mean 0 / std 1.

export type Layout = 'NCHW' | 'NHWC';

export interface InputSpec {
  readonly name: string;
  readonly size: number;
  readonly channels: 1 | 3;
  readonly layout: Layout;
}

export interface Normalisation {
  /** One value per channel. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** Where the values came from: 'flags', 'metadata' (metadata_props mean/std) or 'default'. */
  readonly source: 'flags' | 'metadata' | 'default';
}

/** The model's input metadata as onnxruntime reports it (a dimension may be symbolic: a string). */
export interface InputMetadata {
  readonly name: string;
  readonly isTensor: boolean;
  readonly type?: string;
  readonly shape?: readonly (number | string)[];
}

const isChannels = (d: number | string | undefined): d is 1 | 3 => d === 1 || d === 3;

/**
 * A 4-D float input [batch, C, H, W] or [batch, H, W, C] with square fixed H = W and C of 1 or 3. When both
 * readings fit (e.g. 3x3x3) the PyTorch convention, NCHW, wins.
 */
export function inputSpec(meta: InputMetadata, file: string): InputSpec {
  const shape = meta.shape ?? [];
  const where = `'${file}' input '${meta.name}'`;
  if (!meta.isTensor || meta.type !== 'float32') throw new Error(`${where} is not a float32 tensor (${meta.type ?? 'not a tensor'}).`);
  if (shape.length !== 4) throw new Error(`${where} has shape [${shape.join(', ')}]; an image classifier takes [batch, C, H, W] or [batch, H, W, C].`);
  const [, a, b, c] = shape;
  const square = (h: number | string | undefined, w: number | string | undefined): h is number => typeof h === 'number' && h > 0 && h === w;
  if (isChannels(a) && square(b, c)) return { name: meta.name, size: b, channels: a, layout: 'NCHW' };
  if (isChannels(c) && square(a, b)) return { name: meta.name, size: a, channels: c, layout: 'NHWC' };
  throw new Error(`${where} has shape [${shape.join(', ')}]: need 1 or 3 channels and a fixed square size, NCHW or NHWC.`);
}

function parseList(text: string, what: string, channels: number): number[] {
  const values = text.split(',').map((s) => Number(s.trim()));
  if (values.some((v, i) => !Number.isFinite(v) || text.split(',')[i]!.trim() === '')) throw new Error(`${what} '${text}' is not a comma-separated list of numbers.`);
  if (values.length === 1) return new Array<number>(channels).fill(values[0]!);
  if (values.length !== channels) throw new Error(`${what} '${text}' has ${values.length} values; the model takes ${channels} channel(s).`);
  return values;
}

/**
 * Flags win over metadata_props keys `mean` and `std` (comma-separated, one per channel or one for all);
 * a side that neither gives is mean 0 / std 1. std must be positive.
 */
export function normalisation(
  flags: { readonly mean?: string; readonly std?: string },
  metadata: ReadonlyMap<string, string>,
  channels: number,
): Normalisation {
  const pick = (key: 'mean' | 'std'): [string, 'flags' | 'metadata'] | undefined => {
    if (flags[key] !== undefined) return [flags[key], 'flags'];
    const m = metadata.get(key);
    return m !== undefined ? [m, 'metadata'] : undefined;
  };
  const mean = pick('mean');
  const std = pick('std');
  const meanValues = mean ? parseList(mean[0], mean[1] === 'flags' ? '--mean' : "metadata_props 'mean'", channels) : new Array<number>(channels).fill(0);
  const stdValues = std ? parseList(std[0], std[1] === 'flags' ? '--std' : "metadata_props 'std'", channels) : new Array<number>(channels).fill(1);
  if (stdValues.some((s) => !(s > 0))) throw new Error(`std must be positive, got ${stdValues.join(',')}.`);
  const sources = [mean?.[1], std?.[1]];
  const source = sources.includes('flags') ? 'flags' : sources.includes('metadata') ? 'metadata' : 'default';
  return { mean: meanValues, std: stdValues, source };
}

/** Writes one image's size x size x channels HWC bytes into row `row` of a batch tensor, normalised. */
export function writeRow(pixels: Uint8Array, spec: InputSpec, norm: Normalisation, out: Float32Array, row: number): void {
  const { size, channels, layout } = spec;
  const plane = size * size;
  const base = row * plane * channels;
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < channels; c++) {
      const v = (pixels[p * channels + c]! / 255 - norm.mean[c]!) / norm.std[c]!;
      out[base + (layout === 'NCHW' ? c * plane + p : p * channels + c)] = v;
    }
  }
}
