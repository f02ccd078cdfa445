"""The page tests run with or without ../shared/geo: real boundaries when it is there, else the schematic map.

Prove the second case with the folder hidden: ``OVOP_TEST_SHARED_GEO=/nonexistent pytest tests/test_app*.py``;
only the tests asking for ``shared_geo`` (a download from the local geo server) skip then.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("page", ["ringkasan", "peta"])
def test_pages_draw_the_real_map_or_announce_the_schematic_one(run_app, boundaries_are_real: bool, page: str) -> None:
    at = run_app(page=page)
    assert not at.exception
    schematic = any("Peta skematis" in w.value for w in at.warning)
    assert schematic == (not boundaries_are_real)
