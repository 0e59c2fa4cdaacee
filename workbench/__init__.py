"""Fine-Tune Workbench: support history in, fine-tuning data, jobs and comparisons out."""

__version__ = "0.1.0"
