"""LADE Studio's PyTorch engine: the LADE losses, the project's models, its data layouts and run folders."""

__version__ = "0.1.0"
