"""Tables in the real grid: dates read "12 Juli 2023" on screen yet a click on the header sorts them by date."""

from __future__ import annotations

import pandas as pd
import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import SCREENSHOTS, BrowserErrors, Dashboard, wait_for_page

pytestmark = pytest.mark.e2e


def first_cells(grid: Locator) -> Locator:
    """The first column of the rows the grid has drawn, in its accessible copy (which holds the real values)."""
    return grid.locator("tbody tr td:first-child")


def test_a_date_column_sorts_by_date_not_by_its_indonesian_text(
    page: Page, dashboard: Dashboard, browser_errors: BrowserErrors
) -> None:
    page.goto(dashboard.url + "kunjungan")
    wait_for_page(page)
    grid = page.get_by_test_id("stDataFrame").first  # the visits, newest first; "Tanggal" is the first column
    grid.scroll_into_view_if_needed()
    expect(first_cells(grid).first).not_to_have_text("")
    newest_first = pd.to_datetime(first_cells(grid).all_inner_texts())
    assert len(newest_first) >= 3 and newest_first.is_monotonic_decreasing

    top = first_cells(grid).first.inner_text()
    header = grid.locator("canvas").first.bounding_box()
    page.mouse.click(header["x"] + 40, header["y"] + 15)  # the "Tanggal" header: sorts ascending, in the browser
    expect(first_cells(grid).first).not_to_have_text(top)
    oldest_first = pd.to_datetime(first_cells(grid).all_inner_texts())
    # Sorting the texts would put "1 Agustus 2023" before "12 Juli 2023" and mix the years.
    assert oldest_first.is_monotonic_increasing, list(oldest_first)
    assert oldest_first[0] < newest_first[-1]
    grid.screenshot(path=SCREENSHOTS / "kunjungan-tanggal-urut.png")  # to look at: "12 Juli 2023", oldest first
    assert browser_errors.all() == []
