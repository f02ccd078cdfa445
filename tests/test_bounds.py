"""The declared-size checks and the limits table: refusals name the bound, ordinary workbooks pass untouched."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import hostile_files as hostile
import openpyxl
import pandas as pd
import pytest

from ovop_data.bounds import Exceeded, check_workbook, column_letters, column_number
from ovop_data.limits import LIMITS, Limits, angka, describe, limits_markdown

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("letters", "number"), [("A", 1), ("Z", 26), ("AA", 27), ("IV", 256), ("XFD", 16_384)])
def test_column_letters_and_numbers_round_trip(letters: str, number: int) -> None:
    assert column_number(letters) == number
    assert column_letters(number) == letters


def test_numbers_use_the_indonesian_thousands_separator() -> None:
    assert angka(1_048_576) == "1.048.576"
    assert angka(256) == "256"


def test_every_limit_is_documented_with_a_reason() -> None:
    table = limits_markdown()
    for field in dataclasses.fields(Limits):
        assert field.metadata["label"] in table and field.metadata["why"]
    assert len(describe()) == len(dataclasses.fields(Limits))
    assert "| ukuran berkas | 25 MB |" in table and "| baris per sheet | 200.000 |" in table


def test_limits_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        LIMITS.rows = 10  # type: ignore[misc]


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        (
            "sel-jauh.xlsx",
            hostile.far_cell_xlsx,
            "sheet 'Produk' menyatakan 1.048.576 baris; batas 200.000 baris per sheet",
        ),
        ("tanpa-dimensi.xlsx", lambda: hostile.far_cell_xlsx(None), "berisi 1.048.576 baris; batas 200.000"),
        ("banyak-sheet.xlsx", hostile.many_sheets_xlsx, "berisi 500 sheet; batas 50 sheet per berkas"),
        ("bom.xlsx", lambda: hostile.zip_bomb_xlsx(300), "300 MB setelah diekstrak; batas 256 MB"),
        ("baris.ods", hostile.repeated_rows_ods, "sheet 'Produk' berisi 1.000.001 baris; batas 200.000"),
        ("kolom.ods", lambda: hostile.repeated_rows_ods(1_000, 16_384), "berisi 16.384 kolom; batas 256 kolom"),
    ],
)
def test_declared_size_over_a_bound_is_refused_at_once(tmp_path: Path, name: str, make, words: str) -> None:
    path = _write(tmp_path, name, make())
    started = time.perf_counter()
    with pytest.raises(Exceeded, match=words) as refused:
        check_workbook(path, name)
    assert time.perf_counter() - started < 10
    assert str(refused.value).startswith(f"Berkas '{name}' terlalu besar: ")


def test_a_lying_dimension_passes_the_cheap_check_but_not_the_scan(tmp_path: Path) -> None:
    path = _write(tmp_path, "bohong.xlsx", hostile.far_cell_xlsx("A1"))
    check_workbook(path, "bohong.xlsx")  # the declared "A1" is believed: the reader process is the safety net
    with pytest.raises(Exceeded, match=r"berisi 1\.048\.576 baris"):
        check_workbook(path, "bohong.xlsx", scan_cells=True)


def test_a_scan_stops_at_the_bound_and_says_so(tmp_path: Path) -> None:
    path = _write(tmp_path, "baris.xlsx", hostile.million_rows_xlsx(rows=100_000))
    with pytest.raises(Exceeded, match=r"berisi sedikitnya [\d.]+ baris; batas 1.000 baris per sheet"):
        check_workbook(path, "baris.xlsx", Limits(rows=1_000))


def test_cells_bound_counts_every_sheet_of_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.xlsx", hostile.many_sheets_xlsx(3))
    with pytest.raises(
        Exceeded, match=r"\(menyatakan 1 baris × 1 kolom\) membuat berkas ini berisi 3 sel; batas 2 sel per berkas"
    ):
        check_workbook(path, "a.xlsx", Limits(cells=2))


@pytest.mark.parametrize(
    "make",
    [
        hostile.trailing_blank_rows_ods,  # LibreOffice's blank rest of the sheet is not data
        lambda: hostile.long_cell_xlsx(10),
        lambda: hostile.million_rows_xlsx(rows=10, dimension="A1:A10"),
    ],
)
def test_ordinary_files_pass(tmp_path: Path, make) -> None:
    suffix = ".ods" if make is hostile.trailing_blank_rows_ods else ".xlsx"
    check_workbook(_write(tmp_path, f"biasa{suffix}", make()), "biasa", scan_cells=True)


@pytest.mark.parametrize("scan_cells", [False, True])
def test_workbooks_written_by_excel_libraries_pass(tmp_path: Path, scan_cells: bool) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["Desa", "Kecamatan"])
    wb.active["AB30"] = "jauh tetapi wajar"
    wb.save(tmp_path / "a.xlsx")
    with pd.ExcelWriter(tmp_path / "a.ods", engine="odf") as writer:
        pd.DataFrame({"Desa": ["Balerejo"]}).to_excel(writer, sheet_name="Produk", startrow=3)
    for path in (tmp_path / "a.xlsx", tmp_path / "a.ods", *sorted((ROOT / "data").glob("demo_*.xlsx"))):
        check_workbook(path, path.name, scan_cells=scan_cells)


def test_non_zip_files_are_left_to_the_reader(tmp_path: Path) -> None:
    check_workbook(_write(tmp_path, "lama.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100), "lama.xls")
