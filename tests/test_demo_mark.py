"""Demo-ness comes from the mark the demo generator writes inside the workbook, never from the file name."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ovop_data import demo
from ovop_data.demo_mark import DEMO_MARK, TANGGAL_ACUAN, carries_demo_mark
from ovop_data.io import RawSheet, read_sheets
from ovop_data.load import load_dataset, workbook_paths
from ovop_ui.cache import today

ROOT = Path(__file__).resolve().parent.parent
DEMO_FILES = (ROOT / "data" / demo.PRODUK_FILE, ROOT / "data" / demo.KUNJUNGAN_FILE)


def _real_copy(source: Path, target: Path) -> Path:
    """The demo workbook as staff would keep real data in it: same layout, their own titles."""
    workbook = openpyxl.load_workbook(source)
    for sheet in workbook.worksheets:
        sheet["A1"] = f"Data {sheet.title} Kabupaten Blitar 2025"
    workbook.save(target)
    return target


def test_the_bundled_demo_workbooks_are_demo() -> None:
    data = load_dataset(DEMO_FILES, "35.05")
    assert data.is_demo
    assert today(data) == TANGGAL_ACUAN


def test_the_generator_titles_every_sheet_with_the_mark() -> None:
    assert all(t.startswith(DEMO_MARK) for t in (demo.TITLE_PRODUK, demo.TITLE_KUNJUNGAN, demo.TITLE_ASPIRASI))
    for path in DEMO_FILES:
        assert all(carries_demo_mark(sheet) for sheet in read_sheets(path))


def test_a_real_workbook_named_demo_is_real_data_with_the_real_date(tmp_path: Path) -> None:
    real = _real_copy(DEMO_FILES[0], tmp_path / demo.PRODUK_FILE)
    data = load_dataset([real], "35.05")
    assert len(data.produk) > 0
    assert not data.is_demo
    assert today(data) == dt.date.today()


def test_the_demo_under_another_name_is_still_demo(tmp_path: Path) -> None:
    shutil.copy(DEMO_FILES[0], tmp_path / "produk_2024.xlsx")
    assert load_dataset(workbook_paths(tmp_path), "35.05").is_demo


def test_one_real_file_beside_the_demo_makes_it_real_data(tmp_path: Path) -> None:
    shutil.copy(DEMO_FILES[1], tmp_path / demo.KUNJUNGAN_FILE)
    _real_copy(DEMO_FILES[0], tmp_path / demo.PRODUK_FILE)
    assert not load_dataset(workbook_paths(tmp_path), "35.05").is_demo


def test_nothing_loaded_is_not_demo(tmp_path: Path) -> None:
    assert not load_dataset([], "35.05").is_demo


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([[DEMO_MARK + " Produk", None], ["No", "Nama Produk"]], True),
        ([[None, None], [None, "  " + DEMO_MARK]], True),  # a row inserted above, a column to the left
        ([["Data Produk 2025 — " + DEMO_MARK, None]], False),  # the mark must start the title
        ([["No", "Nama Produk"], [DEMO_MARK, "Keripik"]], False),  # a value in the table is not a title
        ([[20241231, DEMO_MARK]], False),
    ],
)
def test_the_mark_is_the_first_filled_cell(rows: list[list[object]], expected: bool) -> None:
    sheet = RawSheet("a.xlsx", "Data", pd.DataFrame(rows, dtype=object))
    assert carries_demo_mark(sheet) is expected
