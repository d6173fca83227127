import json

import pytest
import torch
import torch.nn.functional as F

from lade_torch.models import Cnn, ResNet20, SameConv2d, build_model


def test_same_padding_is_tensorflows_on_stride_two():
    # TF 'same' on an even input with a 3x3 stride-2 kernel pads 0 before and 1 after (PyTorch's padding=1: 1 and 1).
    conv = SameConv2d(1, 1, 3, stride=2)
    x = torch.randn(1, 1, 8, 8)
    expected = F.conv2d(F.pad(x, (0, 1, 0, 1)), conv.weight, stride=2)
    assert torch.allclose(conv(x), expected)
    assert not torch.allclose(conv(x), F.conv2d(x, conv.weight, stride=2, padding=1))
    # Odd input: 1 before and 1 after.
    x7 = torch.randn(1, 1, 7, 7)
    assert torch.allclose(conv(x7), F.conv2d(x7, conv.weight, stride=2, padding=1))
    # Stride 1 keeps the size.
    assert SameConv2d(2, 3, 3)(torch.randn(1, 2, 9, 9)).shape == (1, 3, 9, 9)


def test_resnet20_has_the_published_shape():
    net = ResNet20(3, 10, width=16)
    convs = [m for m in net.modules() if isinstance(m, torch.nn.Conv2d)]
    assert sum(1 for c in convs if c.kernel_size == (3, 3)) == 19  # stem + 18 in the blocks
    assert sum(1 for c in convs if c.kernel_size == (1, 1)) == 2  # projections into stages 2 and 3
    assert all(c.bias is None for c in convs)
    bns = [m for m in net.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert all(b.eps == 1e-5 and b.momentum == 0.1 for b in bns)
    assert net.head.in_features == 64
    assert net(torch.randn(2, 3, 32, 32)).shape == (2, 10)


def test_cnn_layers_and_seeded_initialisation():
    a, b = build_model("cnn", 28, 1, 7, 16, seed=5), build_model("cnn", 28, 1, 7, 16, seed=5)
    assert isinstance(a, Cnn) and a.features.in_features == 64 * 7 * 7 and a.features.out_features == 128
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    c = build_model("cnn", 28, 1, 7, 16, seed=6)
    assert not torch.equal(a.conv1.weight, c.conv1.weight)
    assert torch.count_nonzero(a.conv1.bias) == 0


def test_torchvision_model_by_name_and_finetune_from_weights(tmp_path):
    scratch = build_model("tv:resnet18", 32, 3, 4, 16, seed=0)
    assert scratch.fc.out_features == 4
    base = build_model("tv:resnet18", 32, 3, 1000, 16, seed=1)
    path = tmp_path / "base.pt"
    torch.save(base.state_dict(), path)
    tuned = build_model("tv:resnet18", 32, 3, 5, 16, seed=2, weights=str(path), freeze_backbone=True)
    assert tuned.fc.out_features == 5
    assert torch.equal(tuned.conv1.weight, base.conv1.weight)
    trainable = [n for n, p in tuned.named_parameters() if p.requires_grad]
    assert trainable == ["fc.weight", "fc.bias"]
    gray = build_model("tv:resnet18", 32, 1, 3, 16, seed=0)
    assert gray(torch.randn(2, 1, 32, 32)).shape == (2, 3)


def test_finetune_our_own_model_from_a_run_checkpoint(tmp_path):
    base = build_model("resnet20", 16, 1, 3, 8, seed=0)
    # The layout train.py writes: JSON metadata (floats inside) next to the tensors.
    torch.save({"format": "lade-torch-checkpoint", "meta": json.dumps({"lr": 0.05}), "model": base.state_dict(), "optimizerState": {}},
               tmp_path / "checkpoint.pt")
    tuned = build_model("resnet20", 16, 1, 6, 8, seed=1, weights=str(tmp_path / "checkpoint.pt"))
    assert tuned.head.out_features == 6
    assert torch.equal(tuned.stem[0].weight, base.stem[0].weight)


def test_unknown_models_are_named():
    with pytest.raises(ValueError, match="no model 'nonet'"):
        build_model("tv:nonet", 32, 3, 2, 16, seed=0)
    with pytest.raises(ValueError, match="unknown model 'vgg'"):
        build_model("vgg", 32, 3, 2, 16, seed=0)
