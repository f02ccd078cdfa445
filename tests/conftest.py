"""Shared fixtures: paths to the reference data beside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_GEO = ROOT.parent / "shared" / "geo"


@pytest.fixture(scope="session")
def shared_geo() -> Path:
    """../shared/geo (real boundaries); CI always has it, a user's machine may not."""
    if not (SHARED_GEO / "blitar_desa.geojson").exists():
        pytest.skip("../shared/geo tidak ada di mesin ini (data batas wilayah untuk uji)")
    return SHARED_GEO
