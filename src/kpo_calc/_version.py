"""The package version, kept in one place (read by hatch at build time)."""

__version__ = "0.1.0"
