"""The package version (one place: setup.cfg reads it, the API and the store fingerprint use it)."""
__version__ = "0.1.0"
