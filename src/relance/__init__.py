"""relance: get paid, from the keyboard."""

__version__ = "0.1.0"
