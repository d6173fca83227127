// COCO-style JSON manifests, as iNaturalist 2017/2018 ship their labels: {images: [{id, file_name}],
// annotations: [{image_id, category_id}], categories: [{id, name}]}. One record per annotated image, in
// annotation order; the label is the category name (ids when names are missing or not unique), so the
// records flow through the same label and split handling as split lists and CSV.
import { readFile } from 'node:fs/promises';
import { DatasetError } from './errors';
import type { ManifestRecord } from './manifestRecord';

type Id = number | string;

const isId = (v: unknown): v is Id => (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && v !== '');

function list(raw: Record<string, unknown>, key: string, file: string, required: boolean): Record<string, unknown>[] {
  const v = raw[key];
  if (v === undefined && !required) return [];
  if (!Array.isArray(v)) throw new DatasetError(`${file}: "${key}" must be a list`, file);
  v.forEach((item, i) => {
    if (typeof item !== 'object' || item === null) throw new DatasetError(`${file}: ${key}[${i}] must be an object`, file);
  });
  return v as Record<string, unknown>[];
}

/** Category id -> label: the name where every category has a distinct one, else the id itself. */
function categoryLabels(categories: readonly Record<string, unknown>[], file: string): Map<Id, string> {
  const ids = categories.map((c, i) => {
    if (!isId(c.id)) throw new DatasetError(`${file}: categories[${i}] needs an "id"`, file);
    return c.id;
  });
  const names = categories.map((c) => (typeof c.name === 'string' ? c.name.trim() : ''));
  const useNames = names.every((n) => n !== '') && new Set(names).size === names.length;
  return new Map(ids.map((id, i) => [id, useNames ? names[i]! : String(id)]));
}

export async function* readCocoManifest(file: string, split: string | null): AsyncGenerator<ManifestRecord> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new DatasetError(`${file}: not a readable JSON manifest (${(e as Error).message})`, file);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new DatasetError(`${file}: expected a COCO-style object with "images", "annotations" and "categories"`, file);
  }
  const doc = raw as Record<string, unknown>;
  const paths = new Map<Id, string>();
  list(doc, 'images', file, true).forEach((img, i) => {
    if (!isId(img.id) || typeof img.file_name !== 'string' || img.file_name === '') {
      throw new DatasetError(`${file}: images[${i}] needs an "id" and a "file_name"`, file);
    }
    paths.set(img.id, img.file_name);
  });
  const categories = list(doc, 'categories', file, false);
  const labels = categories.length > 0 ? categoryLabels(categories, file) : null;
  const labelled = new Map<Id, string>();
  const annotations = list(doc, 'annotations', file, true);
  for (let i = 0; i < annotations.length; i++) {
    const a = annotations[i]!;
    const where = `${file}: annotations[${i}]`;
    if (!isId(a.image_id) || !isId(a.category_id)) throw new DatasetError(`${where} needs an "image_id" and a "category_id"`, file);
    const imagePath = paths.get(a.image_id);
    if (imagePath === undefined) throw new DatasetError(`${where} refers to image_id ${a.image_id}, which is not in "images"`, file);
    const label = labels ? labels.get(a.category_id) : String(a.category_id);
    if (label === undefined) throw new DatasetError(`${where} refers to category_id ${a.category_id}, which is not in "categories"`, file);
    const earlier = labelled.get(a.image_id);
    if (earlier === label) continue;
    if (earlier !== undefined) {
      throw new DatasetError(`${where}: image ${imagePath} is labelled both '${earlier}' and '${label}'; a classification manifest needs one label per image`, file);
    }
    labelled.set(a.image_id, label);
    yield { path: imagePath, label, split, file, line: i + 1 };
  }
}
