"""The package's version: one place, read by pyproject.toml and the User-Agent header."""

__version__ = "0.1.0"
