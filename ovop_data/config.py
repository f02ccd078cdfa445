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
    """Folder of the workbooks the dashboard loads (OVOP_DATA_DIR, default data/ in the project).

    With OVOP_DATABASE_URL the workbooks live in the database: this folder then only holds this server's copies
    of them (hidden sub-folder .basisdata) and seeds a database that never held a workbook.
    """
    return Path(os.environ.get("OVOP_DATA_DIR", DATA_DIR))


#: Environment variable saying the server's disk does not last (a hosted platform's container, a replica).
DISK_SEMENTARA = "OVOP_DISK_SEMENTARA"
_YES = frozenset({"1", "ya", "true", "yes", "on"})


def disk_sementara() -> bool:
    """Whether the disk is declared ephemeral (OVOP_DISK_SEMENTARA=1): nothing may be kept only on it.

    Platforms such as Streamlit Community Cloud start every container from the repository: an upload or an
    SQLite file written there is gone at the next restart. With this set and no OVOP_DATABASE_URL, uploads and
    follow-up writes are refused instead of being silently lost.
    """
    return os.environ.get(DISK_SEMENTARA, "").strip().lower() in _YES
