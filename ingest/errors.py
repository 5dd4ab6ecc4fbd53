"""Errors of the ingest pipeline: each names the file and the reason."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A file that cannot be read, decoded or parsed; nothing of it enters the store."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
