"""Lists a dataset as (path, class index) per split, in the TypeScript trainer's class order and file order
(src/core/train/samples.ts): a folder per class (optionally under train/ val/ test/), or manifest files (split
lists 'relative/path label' as in ImageNet-LT, or CSV files with a header), as src/core/dataset reads them.
Holds out a stratified validation split drawn exactly as the TypeScript side draws it."""
import csv
import os
import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from .rng import Rng

IMAGE_EXT = {".png", ".jpg", ".jpeg"}
SPLIT_NAMES = {"train": "train", "val": "val", "valid": "val", "validation": "val", "test": "test"}
# Words a manifest file name may carry, mapped to the trainer's split names.
MANIFEST_SPLITS = {"train": "train", "training": "train", "val": "val", "valid": "val", "validation": "val", "dev": "val", "test": "test", "testing": "test"}
PATH_COLUMNS = ["path", "filepath", "file_path", "file", "filename", "file_name", "image", "image_path", "img", "img_path"]
LABEL_COLUMNS = ["label", "class", "class_name", "classname", "category", "target", "label_name", "y"]
SPLIT_COLUMNS = ["split", "subset", "set", "partition", "fold"]


class DatasetError(ValueError):
    """A problem with the user's dataset; the message names the file or folder."""


@dataclass(frozen=True)
class Sample:
    path: str
    label: int


@dataclass
class Listing:
    classes: List[str]
    splits: Dict[str, List[Sample]]
    root: str


def natural_key(text: str) -> Tuple:
    """Numeric-aware order ('2.png' before '10.png'), case-insensitive first, like localeCompare(numeric)."""
    parts = re.split(r"(\d+)", text)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in parts if p != ""), text.swapcase()


def _subdirs(d: str) -> List[str]:
    return sorted(e.name for e in os.scandir(d) if e.is_dir() and not e.name.startswith("."))


def _images_under(d: str) -> List[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(d):
        out += [os.path.join(dirpath, f) for f in filenames if os.path.splitext(f)[1].lower() in IMAGE_EXT]
    return sorted(out)  # code-unit order, as the TypeScript crawl lists a class folder


def list_image_folder(root: str) -> Listing:
    if not os.path.isdir(root):
        raise DatasetError(f"Dataset folder '{root}' does not exist or is not a folder.")
    split_dirs = [d for d in _subdirs(root) if d.lower() in SPLIT_NAMES]
    if any(SPLIT_NAMES[d.lower()] == "train" for d in split_dirs):
        layout = [(SPLIT_NAMES[d.lower()], os.path.join(root, d)) for d in split_dirs]
    else:
        layout = [("train", root)]
    train_dir = next(d for s, d in layout if s == "train")
    classes = _subdirs(train_dir)
    if len(classes) < 2:
        raise DatasetError(f"'{train_dir}' needs at least two class folders, found {len(classes)}.")
    index = {c: i for i, c in enumerate(classes)}
    splits: Dict[str, List[Sample]] = {}
    for split, d in layout:
        samples = []
        for cls in _subdirs(d):
            if cls not in index:
                raise DatasetError(f"Class '{cls}' in split '{split}' has no folder in the train split.")
            samples += [Sample(p, index[cls]) for p in _images_under(os.path.join(d, cls))]
        splits.setdefault(split, []).extend(samples)
    if not splits.get("train"):
        raise DatasetError(f"No .png/.jpg images found under '{train_dir}'.")
    return Listing(classes, splits, root)


def _split_from_file_name(name: str) -> Optional[str]:
    words = [w for w in re.split(r"[^A-Za-z]+", os.path.splitext(name)[0]) if w]
    for w in reversed(words):
        if w.lower() in MANIFEST_SPLITS:
            return MANIFEST_SPLITS[w.lower()]
    return None


def _resolve_manifest(file: str, root: str) -> str:
    for candidate in (os.path.abspath(file), os.path.join(root, file)):
        if os.path.isfile(candidate):
            return candidate
    raise DatasetError(f"no such manifest file: {file}")


def _read_split_list(file: str) -> Iterable[Tuple[str, str, Optional[str], int]]:
    with open(file, encoding="utf-8-sig") as f:
        for line, raw in enumerate(f, 1):
            text = raw.strip()
            if not text or text.startswith("#"):
                continue
            m = re.match(r"^(.*\S)\s+(\S+)$", text)
            if not m:
                raise DatasetError(f"{file}:{line}: expected 'relative/path label', got '{text[:80]}'")
            yield m.group(1), m.group(2), None, line


def _find_column(header: List[str], wanted: Optional[str], candidates: Sequence[str]) -> int:
    lower = [h.strip().lower() for h in header]
    for c in [wanted.lower()] if wanted else candidates:
        if c in lower:
            return lower.index(c)
    return -1


def _read_csv(file: str, columns: Dict[str, str]) -> Iterable[Tuple[str, str, Optional[str], int]]:
    with open(file, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            raise DatasetError(f"{file}: empty CSV manifest (a header naming the path and label columns is required)")
        cols = [_find_column(header, columns.get(k), c) for k, c in (("path", PATH_COLUMNS), ("label", LABEL_COLUMNS), ("split", SPLIT_COLUMNS))]
        if cols[0] < 0 or cols[1] < 0:
            raise DatasetError(f"{file}:1: header has no {'path' if cols[0] < 0 else 'label'} column")
        for fields in reader:
            if not fields or fields == [""]:
                continue
            line = reader.line_num
            if len(fields) != len(header):
                raise DatasetError(f"{file}:{line}: expected {len(header)} fields as in the header, found {len(fields)}")
            split = fields[cols[2]].strip() if cols[2] >= 0 else ""
            yield fields[cols[0]].strip(), fields[cols[1]].strip(), split or None, line


def _read_class_map(file: str) -> List[str]:
    """One name per line (line order = index), or lines pairing a name and an index ('/a/airfield 0')."""
    with open(file, encoding="utf-8-sig") as f:
        lines = [l.strip() for l in f if l.strip() and not l.strip().startswith("#")]
    if not lines:
        raise DatasetError(f"{file}: class-name map is empty")
    pairs = []
    for l in lines:
        t = l.split()
        pairs.append((int(t[-1]), " ".join(t[:-1])) if len(t) > 1 and t[-1].isdigit() else (int(t[0]), " ".join(t[1:])) if len(t) > 1 and t[0].isdigit() else None)
    if all(pairs):
        names = [""] * (max(i for i, _ in pairs) + 1)
        for i, n in pairs:
            names[i] = n
        return names
    return lines


def list_manifests(root: str, manifests: Sequence[str], class_names: Optional[str] = None, columns: Optional[Dict[str, str]] = None) -> Listing:
    """Records in file and line order; integer labels are class indices, name labels sort, a class map fixes both."""
    files = [_resolve_manifest(m, root) for m in manifests]
    records = []
    for file in files:
        file_split = _split_from_file_name(os.path.basename(file))
        if file_split is None and len(files) > 1:
            file_split = os.path.splitext(os.path.basename(file))[0]
        rows = _read_csv(file, columns or {}) if file.lower().endswith(".csv") else _read_split_list(file)
        for path, label, row_split, line in rows:
            split = MANIFEST_SPLITS.get((row_split or "").lower(), row_split) or file_split or "train"
            records.append((path, label, split, f"{file}:{line}"))
    class_map = _read_class_map(class_names) if class_names else None
    labels = {r[1] for r in records}
    if class_map is not None:
        index = {n: i for i, n in enumerate(class_map)}
        classes = class_map
        resolve = lambda l: int(l) if l.isdigit() else index.get(l, -1)  # noqa: E731
    elif labels and all(l.isdigit() for l in labels):
        classes = [str(i) for i in range(max(int(l) for l in labels) + 1)]
        resolve = int
    elif any(l.isdigit() for l in labels):
        raise DatasetError(f"{files[0]}: labels mix integers and names; use one kind, or give a class-name map")
    else:
        classes = sorted(labels)
        index = {n: i for i, n in enumerate(classes)}
        resolve = index.__getitem__
    splits: Dict[str, List[Sample]] = {}
    for path, label, split, where in records:
        i = resolve(label)
        if not 0 <= i < len(classes):
            raise DatasetError(f"{where}: label '{label}' is not in the class-name map")
        splits.setdefault(split, []).append(Sample(os.path.join(root, path), i))
    if not splits.get("train"):
        raise DatasetError(f"manifests {', '.join(manifests)} list no training images (no 'train' split)")
    return Listing(classes, splits, root)


def list_dataset(root: str, manifest=None, class_names: Optional[str] = None, columns: Optional[Dict[str, str]] = None) -> Listing:
    if manifest:
        return list_manifests(os.path.abspath(root), [manifest] if isinstance(manifest, str) else list(manifest), class_names, columns)
    return list_image_folder(os.path.abspath(root))


def hold_out_validation(train: Sequence[Sample], num_classes: int, fraction: float, seed: int) -> Tuple[List[Sample], List[Sample]]:
    """floor(fraction * n_c) images, but at least one, of every class with at least two, drawn with mulberry32(seed ^ 0x5eed)."""
    by_class: List[List[Sample]] = [[] for _ in range(num_classes)]
    for s in train:
        by_class[s.label].append(s)
    rng = Rng(seed ^ 0x5EED)
    keep, val = [], []
    for group in by_class:
        take = max(1, int(len(group) * fraction)) if len(group) >= 2 and fraction > 0 else 0
        for k, j in enumerate(rng.permutation(len(group))):
            (val if k < take else keep).append(group[j])
    key = lambda s: (s.label, natural_key(s.path))  # noqa: E731
    return sorted(keep, key=key), sorted(val, key=key)


def class_counts(samples: Sequence[Sample], num_classes: int) -> List[int]:
    counts = [0] * num_classes
    for s in samples:
        counts[s.label] += 1
    return counts
