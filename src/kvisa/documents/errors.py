"""Errors for unusable document input (the CLI maps them to exit code 2)."""

from __future__ import annotations


class DocumentError(ValueError):
    """Input that cannot be read as the document asked for; the message says why."""
