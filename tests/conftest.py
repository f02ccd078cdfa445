"""Shared fixtures: paths to the reference data beside the repository."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from geo_server import serve_directory

ROOT = Path(__file__).resolve().parent.parent
SHARED_GEO = ROOT.parent / "shared" / "geo"


@pytest.fixture(scope="session")
def shared_geo() -> Path:
    """../shared/geo (real boundaries); CI always has it, a user's machine may not."""
    if not (SHARED_GEO / "blitar_desa.geojson").exists():
        pytest.skip("../shared/geo tidak ada di mesin ini (data batas wilayah untuk uji)")
    return SHARED_GEO


@pytest.fixture(scope="session")
def geo_server(shared_geo: Path) -> Iterator[str]:
    """Base URL of a local HTTP server for ../shared/geo/source (the boundary download without internet)."""
    with serve_directory(shared_geo / "source") as url:
        yield url
