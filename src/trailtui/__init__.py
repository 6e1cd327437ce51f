"""trailtui: a terminal console for investigating AWS CloudTrail activity the way CloudWatch does it."""

__version__ = "0.1.0"
