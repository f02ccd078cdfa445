"""Settings read from the environment, with the paths every module resolves from this file."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"

#: Kemendagri code of the programme's area: a kabupaten/kota ("35.05") or a province ("35").
DEFAULT_AREA = "35.05"


def area() -> str:
    """The configured area code (environment variable OVOP_WILAYAH, default 35.05 Kabupaten Blitar)."""
    return os.environ.get("OVOP_WILAYAH", DEFAULT_AREA).strip() or DEFAULT_AREA


def data_dir() -> Path:
    """Folder of the workbooks the dashboard loads (OVOP_DATA_DIR, default data/ in the project)."""
    return Path(os.environ.get("OVOP_DATA_DIR", DATA_DIR))
