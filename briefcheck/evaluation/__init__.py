"""Evaluation against the external data in ``../shared/data`` (never shipped with briefcheck).

Run ``python -m briefcheck.evaluation`` to print every figure; parts are skipped, with a
message, when the data is absent.
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def shared_data_dir() -> Path:
    """Where the shared data lives: $BRIEFCHECK_DATA, else ../shared/data beside the project."""
    return Path(os.environ.get("BRIEFCHECK_DATA", PROJECT_ROOT.parent / "shared" / "data"))
