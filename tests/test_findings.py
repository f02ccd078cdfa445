"""The report as staff read it: identical findings grouped with row ranges, and a plain label for every code."""

from __future__ import annotations

import pandas as pd
import pytest

from ovop_data.codes import CODES, LABELS, code_label, codes_label
from ovop_data.dataset import FINDING_COLUMNS
from ovop_data.findings import REPORT_COLUMNS, grouped_findings, grouped_lines, report_rows, row_ranges


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], ""),
        ([7], "7"),
        ([5, 6, 7, 8, 9, 10, 11, 12, 15, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31], "5–12, 15, 20–31"),
        ([12, 5, 6, 5], "5–6, 12"),  # unordered and repeated: sorted, each once
        ([None, 3, float("nan"), 4], "3–4"),  # a sheet-level finding has no row
    ],
)
def test_row_ranges(rows, expected):
    assert row_ranges(rows) == expected


def _finding(row, code="kategori_tidak_dikenal", message="Kategori tidak dikenal.", sheet="Produk", file="a.xlsx"):
    severity = CODES[code][0]
    return dict(
        table="produk", file=file, sheet=sheet, row=row, column="kategori", value="BUM Desa",
        severity=severity, code=code, message=message, suggestion="",
    )  # fmt: skip


def test_143_identical_warnings_are_one_line_other_findings_stay_apart():
    rows = [*range(2, 100), *range(120, 165)]
    findings = pd.DataFrame(
        [_finding(r) for r in rows]
        + [_finding(50, sheet="Lain"), _finding(51, message="Lain."), _finding(52, file="b.xlsx")],
        columns=list(FINDING_COLUMNS),
    )
    grouped = grouped_findings(findings)
    assert len(rows) == 143 and len(grouped) == 4
    first = grouped.iloc[0]
    assert (first["baris"], first["jumlah"], first["temuan"]) == ("2–99, 120–164", 143, "Kategori tidak dikenal")
    assert list(grouped["jumlah"]) == [143, 1, 1, 1]
    lines = grouped_lines(findings)
    assert lines[0] == "  [catatan] a.xlsx/Produk baris 2–99, 120–164 (143 baris) kategori: Kategori tidak dikenal."
    assert len(lines) == 4
    # The full report keeps one row per finding, each with its code beside its label.
    full = report_rows(findings)
    assert list(full.columns) == list(REPORT_COLUMNS) and len(full) == len(findings)
    assert set(full["code"]) == {"kategori_tidak_dikenal"}


def test_a_sheet_level_finding_has_no_rows_and_the_input_is_untouched():
    findings = pd.DataFrame(
        [dict(_finding(None, "sheet_tidak_dikenal", "Sheet 'X' tidak dikenali."), table="", column="")],
        columns=list(FINDING_COLUMNS),
    )
    before = findings.copy()
    grouped = grouped_findings(findings)
    assert grouped.iloc[0]["baris"] == "" and grouped.iloc[0]["jumlah"] == 1
    assert grouped_lines(findings) == ["  [catatan] a.xlsx/Produk: Sheet 'X' tidak dikenali."]
    pd.testing.assert_frame_equal(findings, before)
    assert grouped_findings(findings.iloc[0:0]).empty


def test_every_code_has_a_plain_label():
    assert set(LABELS) == set(CODES)
    for code, text in LABELS.items():
        assert text and "_" not in text and text[0].isupper(), code
    assert code_label("desa_ambigu") == "Nama desa ada di beberapa kecamatan"
    assert codes_label("duplikat; desa_ambigu") == "Baris ganda; Nama desa ada di beberapa kecamatan"
    assert code_label("kode_lama") == "kode_lama"  # an unknown code (an old cache) is shown as it is
