"""The networks: the project's CNN and ResNet-20 with the TF.js engine's architecture (src/core/train/models.ts),
and any torchvision classifier by name ('tv:resnet18'), from scratch or from a weights file with a new C-way head.

Two details keep the architectures equal to the TF.js ones: TF 'same' padding is asymmetric on stride-2
convolutions (the extra row and column go after, not before), so those convolutions pad explicitly; and the
batch-norm layers use epsilon 1e-5 and momentum 0.1, which is what models.ts sets (Keras momentum 0.9)."""
import math
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


class SameConv2d(nn.Conv2d):
    """Conv2d with TensorFlow's 'same' padding: total = max((ceil(in/s) - 1) s + k - in, 0), half before
    (rounded down), the rest after."""

    def __init__(self, in_ch: int, out_ch: int, kernel: int, stride: int = 1, bias: bool = False):
        # With stride 1 (odd kernels) 'same' is the symmetric padding k // 2 whatever the input size.
        super().__init__(in_ch, out_ch, kernel, stride=stride, padding=kernel // 2 if stride == 1 else 0, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.stride == (1, 1):
            return super().forward(x)
        pads = []
        for size, k, s in ((x.shape[-1], self.kernel_size[1], self.stride[1]), (x.shape[-2], self.kernel_size[0], self.stride[0])):
            total = max((math.ceil(int(size) / s) - 1) * s + k - int(size), 0)
            pads += [total // 2, total - total // 2]
        if any(pads):
            x = F.pad(x, pads)
        return super().forward(x)


def bn(channels: int) -> nn.BatchNorm2d:
    return nn.BatchNorm2d(channels, eps=1e-5, momentum=0.1)


class Cnn(nn.Module):
    """conv32-pool-conv64-pool-dense128-head."""

    def __init__(self, size: int, channels: int, num_classes: int):
        super().__init__()
        self.conv1 = SameConv2d(channels, 32, 3, bias=True)
        self.conv2 = SameConv2d(32, 64, 3, bias=True)
        side = size // 2 // 2
        self.features = nn.Linear(64 * side * side, 128)
        self.head = nn.Linear(128, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        # TF.js flattens NHWC; flattening in that order keeps dense weights portable between the engines.
        h = h.permute(0, 2, 3, 1).flatten(1)
        return self.head(F.relu(self.features(h)))


class BasicBlock(nn.Module):
    def __init__(self, in_ch: int, out_ch: int, stride: int):
        super().__init__()
        self.conv1 = SameConv2d(in_ch, out_ch, 3, stride)
        self.bn1 = bn(out_ch)
        self.conv2 = SameConv2d(out_ch, out_ch, 3, 1)
        self.bn2 = bn(out_ch)
        self.proj: Optional[nn.Sequential] = None
        if stride != 1 or in_ch != out_ch:
            self.proj = nn.Sequential(SameConv2d(in_ch, out_ch, 1, stride), bn(out_ch))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = F.relu(self.bn1(self.conv1(x)))
        h = self.bn2(self.conv2(h))
        shortcut = x if self.proj is None else self.proj(x)
        return F.relu(h + shortcut)


class ResNet20(nn.Module):
    """CIFAR-style ResNet-20: 3 stages of 3 basic blocks, widths w, 2w, 4w, 1x1 projections where the shape changes."""

    def __init__(self, channels: int, num_classes: int, width: int = 16):
        super().__init__()
        self.stem = nn.Sequential(SameConv2d(channels, width, 3), bn(width), nn.ReLU())
        blocks = []
        in_ch = width
        for stage, filters in enumerate((width, 2 * width, 4 * width)):
            for b in range(3):
                blocks.append(BasicBlock(in_ch, filters, 2 if stage > 0 and b == 0 else 1))
                in_ch = filters
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(in_ch, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.blocks(self.stem(x)).mean(dim=(2, 3)))


def initialise(model: nn.Module, generator: torch.Generator) -> None:
    """The TF.js engine's scheme from a seeded generator: He-normal convolutions, PyTorch-style uniform dense
    weights, zero biases, batch-norm gamma 1 and beta 0."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            fan_in = m.weight[0].numel()
            with torch.no_grad():
                m.weight.copy_(torch.randn(m.weight.shape, generator=generator) * math.sqrt(2.0 / fan_in))
        elif isinstance(m, nn.Linear):
            bound = 1.0 / math.sqrt(m.in_features)
            with torch.no_grad():
                m.weight.copy_((torch.rand(m.weight.shape, generator=generator) * 2 - 1) * bound)
        else:
            continue
        if m.bias is not None:
            nn.init.zeros_(m.bias)


class GrayToRgb(nn.Module):
    """Lets a 3-channel torchvision network take the 1-channel inputs of a grayscale dataset."""

    def __init__(self, net: nn.Module):
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x.expand(-1, 3, -1, -1))


def replace_head(net: nn.Module, num_classes: int, generator: torch.Generator) -> nn.Linear:
    """Swaps the last Linear layer (fc, classifier[-1], heads.head ...) for a fresh num_classes-way one."""
    last = None
    for name, module in net.named_modules():
        if isinstance(module, nn.Linear):
            last = (name, module)
    if last is None:
        raise ValueError(f"model {type(net).__name__} has no Linear layer to replace with a {num_classes}-way head")
    name, old = last
    head = nn.Linear(old.in_features, num_classes)
    initialise(head, generator)
    parent = net
    *path, leaf = name.split(".")
    for part in path:
        parent = getattr(parent, part)
    setattr(parent, leaf, head)
    return head


def torchvision_model(name: str, num_classes: int) -> nn.Module:
    import torchvision

    builder = getattr(torchvision.models, name, None)
    if builder is None or not callable(builder) or name.startswith("_"):
        raise ValueError(f"torchvision {torchvision.__version__} has no model '{name}' (model 'tv:{name}')")
    try:
        return builder(weights=None, num_classes=num_classes)
    except TypeError:  # torchvision before 0.13
        return builder(pretrained=False, num_classes=num_classes)


def load_weights_file(path: str) -> dict:
    """A state dict, or a checkpoint holding one under 'model' or 'state_dict' (our checkpoint.pt included)."""
    try:
        # weights_only: tensors and plain containers, never arbitrary pickled code from a downloaded file.
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # unreadable, not a torch file, or a pickled whole model
        raise ValueError(f"cannot read weights file '{path}' as a state dict: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}") from None
    for key in ("model", "state_dict"):
        if isinstance(state, dict) and isinstance(state.get(key), dict):
            state = state[key]
    if not isinstance(state, dict):
        raise ValueError(f"weights file '{path}' holds no state dict")
    # DDP-saved weights carry 'module.', grayscale torchvision runs 'net.' (GrayToRgb).
    for prefix in ("module.", "net."):
        if state and all(k.startswith(prefix) for k in state):
            state = {k[len(prefix):]: v for k, v in state.items()}
    return state


def build_model(kind: str, size: int, channels: int, num_classes: int, width: int, seed: int,
                weights: Optional[str] = None, freeze_backbone: bool = False) -> nn.Module:
    """kind 'cnn' | 'resnet20' | 'tv:<torchvision name>'. With `weights`, the network is built with the file's
    own head, loaded, and given a fresh num_classes-way head (freeze_backbone: only the head trains)."""
    generator = torch.Generator().manual_seed(seed)
    state = load_weights_file(weights) if weights is not None else None
    # With weights, build with the file's head width so that every tensor loads, then replace the head.
    head_out = [v.shape[0] for k, v in (state or {}).items() if k.endswith("weight") and v.dim() == 2][-1:]
    classes = head_out[0] if head_out else num_classes
    if kind.startswith("tv:"):
        torch.manual_seed(seed)  # torchvision initialises from the global generator
        net = torchvision_model(kind[3:], classes)
    elif kind == "cnn":
        net = Cnn(size, channels, classes)
    elif kind == "resnet20":
        net = ResNet20(channels, classes, width)
    else:
        raise ValueError(f"unknown model '{kind}' (use cnn, resnet20 or tv:<torchvision name>)")
    if not kind.startswith("tv:"):
        initialise(net, generator)
    if state is not None:
        missing, unexpected = net.load_state_dict(state, strict=False)
        if missing or unexpected:
            raise ValueError(f"weights file '{weights}' does not fit model '{kind}': missing {missing[:3]}, unexpected {unexpected[:3]}")
        head = replace_head(net, num_classes, generator)
        if freeze_backbone:
            for p in net.parameters():
                p.requires_grad_(False)
            for p in head.parameters():
                p.requires_grad_(True)
    if kind.startswith("tv:") and channels == 1:
        net = GrayToRgb(net)
    return net
