import json
import os
import shutil
import subprocess

import numpy as np
import pytest
import torch
from PIL import Image

from conftest import REPO, make_dataset
from lade_torch.batches import MEAN, STD, normalise
from lade_torch.dataset import class_counts, hold_out_validation, list_dataset
from lade_torch.images import decode, detect_channels

TSX = os.path.join(REPO, "node_modules", ".bin", "tsx")

TS_LISTING = """
import { classCounts, holdOutValidation, listImageFolder } from 'REPO/src/core/train/samples';
listImageFolder(process.argv[2]).then((l) => {
const h = holdOutValidation(l.splits.get('train')!, l.classes.length, 0.25, 7);
console.log(JSON.stringify({ classes: l.classes, train: h.train.map((s) => [s.path, s.label]), val: h.val.map((s) => [s.path, s.label]),
  counts: classCounts(h.train, l.classes.length) }));
});
"""


@pytest.mark.skipif(not (os.path.exists(TSX) and shutil.which("node")), reason="needs the repository's node_modules (tsx)")
def test_listing_and_hold_out_match_the_typescript_trainer(tmp_path):
    root = make_dataset(str(tmp_path / "d"), {"b_cls": 9, "A_cls": 5, "c10": 3, "c2": 1}, size=4)
    for name in ("10.png", "2.png", "x.jpg"):  # code-unit file order (10 before 2); a second extension
        Image.new("L", (4, 4)).save(os.path.join(root, "b_cls", name))
    script = tmp_path / "list.ts"
    script.write_text(TS_LISTING.replace("REPO", REPO))
    out = subprocess.run([TSX, str(script), root], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert out.returncode == 0, out.stderr
    ts = json.loads(out.stdout)
    listing = list_dataset(root)
    train, val = hold_out_validation(listing.splits["train"], len(listing.classes), 0.25, 7)
    assert listing.classes == ts["classes"]
    assert [[s.path, s.label] for s in train] == ts["train"]
    assert [[s.path, s.label] for s in val] == ts["val"]
    assert class_counts(train, len(listing.classes)) == ts["counts"]


def test_split_folders_share_the_train_class_order(tmp_path):
    root = make_dataset(str(tmp_path / "d"), {"dog": 4, "cat": 2}, size=4, splits=["train", "test"])
    listing = list_dataset(root)
    assert listing.classes == ["cat", "dog"]
    assert set(listing.splits) == {"train", "test"}
    assert [s.label for s in listing.splits["test"]] == [0, 1, 1]


def test_split_list_and_csv_manifests(tmp_path):
    root = make_dataset(str(tmp_path / "d"), {"a": 3, "b": 3}, size=4)
    (tmp_path / "d" / "lt_train.txt").write_text("a/0.png 0\nb/0.png 1\n# comment\nb/1.png 1\n")
    (tmp_path / "d" / "lt_val.txt").write_text("a/1.png 0\n")
    listing = list_dataset(root, ["lt_train.txt", "lt_val.txt"])
    assert listing.classes == ["0", "1"]
    assert [(os.path.relpath(s.path, root), s.label) for s in listing.splits["train"]] == [("a/0.png", 0), ("b/0.png", 1), ("b/1.png", 1)]
    assert len(listing.splits["val"]) == 1
    (tmp_path / "d" / "m.csv").write_text('file,class,split\na/0.png,zebra,train\n"b/0.png",ant,train\nb/1.png,ant,test\n')
    csv_listing = list_dataset(root, "m.csv")
    assert csv_listing.classes == ["ant", "zebra"]
    assert [s.label for s in csv_listing.splits["train"]] == [1, 0]
    assert [s.label for s in csv_listing.splits["test"]] == [0]


def test_decode_resizes_like_the_typescript_side(tmp_path):
    # 2x2 -> 4x4 bilinear with centres aligned: edge pixels keep the corner values, inner ones blend 3:1.
    img = np.array([[0, 100], [200, 40]], dtype=np.uint8)
    Image.fromarray(img).save(tmp_path / "g.png")
    out = decode(str(tmp_path / "g.png"), 4, 1)[0]
    assert out[0].tolist() == [0, 25, 75, 100]
    assert out[:, 0].tolist() == [0, 50, 150, 200]
    rgb = np.zeros((2, 2, 3), dtype=np.uint8)
    rgb[..., 0] = 255
    Image.fromarray(rgb).save(tmp_path / "red.png")
    assert decode(str(tmp_path / "red.png"), 2, 1)[0, 0, 0] == 76  # luma 0.299 * 255, rounded
    assert decode(str(tmp_path / "red.png"), 2, 3)[:, 0, 0].tolist() == [255, 0, 0]


def test_channels_auto_and_normalisation(tmp_path):
    gray = make_dataset(str(tmp_path / "g"), {"a": 2, "b": 2}, size=4)
    color = make_dataset(str(tmp_path / "c"), {"a": 2, "b": 2}, size=4, gray=False)
    assert detect_channels(list_dataset(gray).splits["train"]) == 1
    assert detect_channels(list_dataset(color).splits["train"]) == 3
    px = torch.tensor([0, 255], dtype=torch.uint8)
    assert normalise(px).tolist() == [(0 - MEAN) / STD, (1 - MEAN) / STD]
