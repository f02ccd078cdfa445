"""Finding the table in a sheet: which table, where its header is, what each column means."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ovop_data.bench import READERS
from ovop_data.io import RawSheet, read_sheets
from ovop_data.sheets import column_letter, locate_table, recognise_table

_ = None  # a blank cell, for readable grids below


def _sheet(rows: list[list[object]], name: str = "Sheet1", file: str = "data.xlsx") -> RawSheet:
    """A RawSheet from rows as Excel shows them (row 0 is Excel row 1), short rows padded with None."""
    width = max(len(r) for r in rows)
    cells = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows], dtype=object)
    return RawSheet(file, name, cells)


PRODUK_HEADER = ["No", "Nama Produk", "Kategori", "Desa", "Kecamatan"]
KUNJUNGAN_HEADER = ["No", "Tanggal", "Desa", "Kecamatan", "Kegiatan", "Pejabat"]
ASPIRASI_HEADER = ["No", "Tanggal", "Desa", "Kecamatan", "Aspirasi", "OPD", "Status"]


# --- which table ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet_name", "expected"),
    [
        ("Data Produk UMKM", "produk"),
        ("PRODUK", "produk"),
        ("produk_2023", "produk"),
        ("Daftar IKM", "produk"),
        ("Kunjungan OVOP 2023", "kunjungan"),
        ("Sambang Desa", "kunjungan"),
        ("kunjungan2024", "kunjungan"),
        ("Aspirasi", "aspirasi"),
        ("Rekap Tindak Lanjut", "aspirasi"),
        ("Kendala Desa", "aspirasi"),
    ],
)
def test_recognised_by_sheet_name_even_when_headers_say_nothing(sheet_name: str, expected: str) -> None:
    assert recognise_table(_sheet([["a", "b"], [1, 2]], name=sheet_name)) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (PRODUK_HEADER, "produk"),
        (["NO", "Nama Produk Unggulan", "KATEGORI", "Nama Desa", "Kec.", "No. HP"], "produk"),
        (KUNJUNGAN_HEADER, "kunjungan"),
        (["No", "Tgl Kunjungan", "Desa / Kelurahan", "Kec.", "Produk Disorot"], "kunjungan"),
        (ASPIRASI_HEADER, "aspirasi"),
        (["Hari/Tanggal", "Desa/Kel", "Kendala", "Penanggung Jawab", "Tindak Lanjut"], "aspirasi"),
        (["Kategori", "Status", "OPD"], None),  # a sheet of drop-down lists
        (["Nama", "Alamat", "Umur"], None),
        (["Desa", "Kecamatan"], None),  # no defining column: could be any table
    ],
)
def test_recognised_by_headers_when_the_name_says_nothing(header: list[str], expected: str | None) -> None:
    sheet = _sheet([["REKAP 2023"], [], header, ["x"] * len(header)], name="Sheet1")
    assert recognise_table(sheet) == expected


def test_name_naming_two_tables_falls_through_to_headers() -> None:
    sheet = _sheet([ASPIRASI_HEADER], name="Kunjungan & Aspirasi")
    assert recognise_table(sheet) == "aspirasi"


def test_name_wins_over_headers() -> None:
    # A kunjungan name with produk-looking headers: the staff's name for the sheet is believed.
    assert recognise_table(_sheet([PRODUK_HEADER], name="Kunjungan")) == "kunjungan"


def test_csv_sheet_named_after_its_file_stem_is_recognised() -> None:
    assert recognise_table(_sheet([["x"]], name="aspirasi_2024", file="aspirasi_2024.csv")) == "aspirasi"


def test_word_inside_another_word_is_not_a_sheet_name_match() -> None:
    # "produktif" is not "produk": the headers decide.
    assert recognise_table(_sheet([KUNJUNGAN_HEADER], name="Desa Produktif")) == "kunjungan"


# --- header aliases ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "header", "expected"),
    [
        ("produk", "Nama Produk", "nama_produk"),
        ("produk", "NAMA PRODUK", "nama_produk"),
        ("produk", "Nama Produk Unggulan", "nama_produk"),
        ("produk", "Nama\nProduk", "nama_produk"),  # a line break typed in the header cell
        ("produk", "  nama   produk ", "nama_produk"),
        ("produk", "KATEGORI", "kategori"),
        ("produk", "Kategori Produk", "kategori"),
        ("produk", "Nama Desa", "desa"),
        ("produk", "Desa / Kelurahan", "desa"),
        ("produk", "Desa/Kel.", "desa"),
        ("produk", "Kec.", "kecamatan"),
        ("produk", "Kode Desa", "kode_desa"),
        ("produk", "No. HP", "kontak"),
        ("produk", "No HP/WA", "kontak"),  # word-prefix: 'no hp' then '/WA'
        ("produk", "Legalitas (NIB/PIRT/Halal)", "legalitas"),  # word-prefix
        ("produk", "Pemasaran (lokal/daring)", "pemasaran"),
        ("produk", "Bintang OVOP", "bintang"),
        ("produk", "PERUSAHAAN", "pelaku_usaha"),  # headers seen in published files (issue 13)
        ("produk", "Nama Perusahaan", "pelaku_usaha"),
        ("produk", "Nama BUMDes", "pelaku_usaha"),
        ("produk", "NAMA_BUMDESA", "pelaku_usaha"),
        ("produk", "TELP", "kontak"),
        ("produk", "Telp.", "kontak"),
        ("produk", "Kode_Desa", "kode_desa"),
        ("kunjungan", "Tgl Kunjungan", "tanggal"),  # word-prefix: 'tgl'
        ("kunjungan", "Hari/Tanggal", "tanggal"),
        ("kunjungan", "Tanggal Kunjungan Bupati", "tanggal"),  # word-prefix: 'tanggal kunjungan'
        ("kunjungan", "OPD Pendamping", "opd_pendamping"),
        ("kunjungan", "Keterangan", "catatan"),
        ("aspirasi", "Kategori", "kategori_kendala"),  # the same header means another column here
        ("aspirasi", "OPD", "opd_penanggung_jawab"),
        ("aspirasi", "Batas Waktu", "tenggat"),
        ("aspirasi", "Tindak Lanjut", "tindak_lanjut"),
    ],
)
def test_header_aliases(table: str, header: str, expected: str) -> None:
    defining = {"produk": ("nama_produk", "Nama Produk"), "kunjungan": ("tanggal", "Tanggal"),
                "aspirasi": ("aspirasi", "Aspirasi")}  # fmt: skip
    column, text = defining[table]
    row = [header] if expected == column else [text, header]
    located = locate_table(_sheet([row, ["x"] * len(row)]), table)
    assert located is not None
    assert expected in located.frame.columns
    assert located.column_letters[expected] == column_letter(row.index(header))


@pytest.mark.parametrize(
    ("header", "why"),
    [
        ("Kode Kecamatan", "the words after 'kode' name another column"),
        ("Kode Produk", "the words after 'kode' name another column"),
        ("Desain Kemasan", "'desa' is only the start of a word"),
        ("Tanggal Lahir Pemilik", "'tanggal' is not a produk column"),
        ("Nomor Urut Lama", "not a running-number header, not a schema column"),
    ],
)
def test_look_alike_headers_stay_extra_columns(header: str, why: str) -> None:
    located = locate_table(_sheet([["Nama Produk", "Kategori", header], ["Kopi", "Minuman", "v"]]), "produk")
    assert located is not None
    assert header in located.frame.columns, why
    assert located.frame[header].tolist() == ["v"]


def test_a_bumdes_header_says_the_kind_of_producer_unless_the_sheet_has_the_column() -> None:
    rows = [["Nama BUMDes", "Nama Produk", "Desa"], ["BUMDes Maju", "Kopi", "Beru"], ["BUMDes Jaya", "Teh", "Beru"]]
    located = locate_table(_sheet(rows), "produk")
    assert located is not None and located.frame["jenis_pelaku"].tolist() == ["BUMDes", "BUMDes"]
    assert "jenis_pelaku" not in located.column_letters  # no sheet column: the header said it
    own = [[*rows[0], "Jenis Pelaku"], [*rows[1], "Koperasi"], [*rows[2], ""]]
    located = locate_table(_sheet(own), "produk")
    assert located is not None and located.frame["jenis_pelaku"].tolist() == ["Koperasi", ""]


@pytest.mark.parametrize(
    ("header", "column"), [("Kode_Prov", "kode_provinsi"), ("Kode Kab", "kode_kabupaten"), ("KAB/KOTA", "kabupaten")]
)
def test_region_code_headers_are_region_columns_never_the_village_code(header: str, column: str) -> None:
    located = locate_table(_sheet([["Nama Produk", "Kategori", header], ["Kopi", "Minuman", "v"]]), "produk")
    assert located is not None
    assert located.column_letters.get(column) == "C" and "kode_desa" not in located.column_letters
    assert located.frame[column].tolist() == ["v"]


def test_a_region_code_column_beside_the_village_code_leaves_the_header_found() -> None:
    rows = [["Kode_Prov", "Kode_Desa", "Nama Produk", "Desa"], ["35", "3505172009", "Kopi", "Balerejo"]]
    assert recognise_table(_sheet(rows)) == "produk"
    located = locate_table(_sheet(rows), "produk")
    assert located is not None and located.header_row == 1
    assert located.column_letters["kode_desa"] == "B" and located.frame["kode_provinsi"].tolist() == ["35"]


def test_two_prefix_matches_for_one_column_are_not_guessed() -> None:
    located = locate_table(_sheet([["Tgl Kunjungan", "Tgl Input", "Desa"], ["1/7/2023", "2/7/2023", "A"]]), "kunjungan")
    assert located is not None
    assert "tanggal" not in located.frame.columns
    assert located.missing_required == ("tanggal",)
    assert {"Tgl Kunjungan", "Tgl Input"} <= set(located.frame.columns)


def test_exact_match_wins_over_prefix_match() -> None:
    located = locate_table(_sheet([["Tgl Input", "Tanggal", "Desa"], ["2/7/2023", "1/7/2023", "A"]]), "kunjungan")
    assert located is not None
    assert located.frame["tanggal"].tolist() == ["1/7/2023"]
    assert located.frame["Tgl Input"].tolist() == ["2/7/2023"]


def test_duplicate_header_first_one_is_the_column_second_kept_as_extra() -> None:
    located = locate_table(_sheet([["Desa", "Tanggal", "desa"], ["A", "1/7/2023", "B"]]), "kunjungan")
    assert located is not None
    assert located.frame["desa"].tolist() == ["A"]
    assert located.frame["desa (kolom C)"].tolist() == ["B"]
    assert located.column_letters["desa (kolom C)"] == "C"


# --- finding the header row --------------------------------------------------------------------------------


def test_header_below_merged_title_and_blank_lines() -> None:
    rows = [
        [_, "DATA PRODUK UNGGULAN DESA"],
        [_, "KABUPATEN BLITAR TAHUN 2023"],
        [],
        [],
        [_, "No", "Nama Produk", "Kategori", "Desa", "Kecamatan", "Keterangan Lain"],
        [_, 1.0, "Kopi Tuan Galang", "Minuman", "Balairejo", "Wlinggi", "dari berita"],
        [_, 2.0, "Keripik Pisang", "Makanan", "TegalAsri", "Wlingi"],
    ]
    located = locate_table(_sheet(rows, name="Data Produk UMKM"))
    assert located is not None
    assert (located.table, located.file, located.sheet) == ("produk", "data.xlsx", "Data Produk UMKM")
    assert located.header_row == 5
    assert located.frame.columns.tolist() == [
        "nama_produk", "kategori", "desa", "kecamatan", "Keterangan Lain", "baris"
    ]  # fmt: skip
    assert located.frame["baris"].tolist() == [6, 7]
    assert located.frame["baris"].dtype == "int64"
    assert located.frame["nama_produk"].tolist() == ["Kopi Tuan Galang", "Keripik Pisang"]
    assert located.frame.loc[1, "Keterangan Lain"] is None
    assert located.missing_required == ()
    assert located.blank == 0
    assert located.column_letters == {
        "nama_produk": "C", "kategori": "D", "desa": "E", "kecamatan": "F", "Keterangan Lain": "G"
    }  # fmt: skip


def test_blank_rows_dropped_and_counted_number_only_rows_count_as_blank() -> None:
    rows = [
        ["No", "Tanggal", "Desa", "Aspirasi"],
        [1, "12/07/2023", "Balerejo", "Modal"],
        [_, _, _, _],
        [2, _, _, _],  # only a running number: blank
        [3, "12/07/2023", "Tembalang", "Kemasan"],
        [_, "  ", _, " "],  # only whitespace: blank
        [4, _, _, _],  # pre-numbered template rows at the end: blank too
        [5, _, _, _],
        [_, _, _, _],  # nothing at all after the last number: not a row anyone wrote
    ]
    located = locate_table(_sheet(rows, name="Aspirasi"))
    assert located is not None
    assert located.frame["baris"].tolist() == [2, 5]
    assert located.blank == 5
    assert located.missing_required == ()
    assert "No" not in located.frame.columns


def test_row_with_data_only_in_an_extra_column_is_not_blank() -> None:
    rows = [["Tanggal", "Desa", "Catatan Khusus"], ["1/7/2023", "A", _], [_, _, "lihat lampiran"]]
    located = locate_table(_sheet(rows), "kunjungan")
    assert located is not None
    assert located.frame["baris"].tolist() == [2, 3]
    assert located.blank == 0


def test_missing_required_columns_are_reported_not_raised() -> None:
    located = locate_table(_sheet([["No", "Nama Produk", "Pelaku Usaha"], [1, "Kopi", "BUMDesma"]]), "produk")
    assert located is not None
    assert located.missing_required == ("desa",)  # kategori only describes: not required
    assert located.frame.columns.tolist() == ["nama_produk", "pelaku_usaha", "baris"]


@pytest.mark.parametrize("running", ["No", "NO", "No.", "Nomor", "No Urut", "#"])
def test_running_number_column_is_dropped(running: str) -> None:
    located = locate_table(_sheet([[running, "Tanggal", "Desa"], [1, "1/7/2023", "A"]]), "kunjungan")
    assert located is not None
    assert located.frame.columns.tolist() == ["tanggal", "desa", "baris"]


def test_unnamed_column_with_data_kept_under_its_letter_empty_one_dropped() -> None:
    rows = [["Tanggal", _, "Desa", _], ["1/7/2023", "catatan", "A", _], ["2/7/2023", _, "B", _]]
    located = locate_table(_sheet(rows), "kunjungan")
    assert located is not None
    assert located.frame.columns.tolist() == ["tanggal", "kolom B", "desa", "baris"]
    assert located.column_letters["kolom B"] == "B"


def test_two_row_header_under_a_merged_group_title() -> None:
    # "No", "Nama Produk", "Kategori" merged down over rows 3-4; "Lokasi" merged across D3:E3;
    # "Legalitas" merged across F3:G3 over check-box columns. calamine gives top-left values only.
    rows = [
        ["REKAP PRODUK UNGGULAN"],
        [],
        ["No", "Nama Produk", "Kategori", "Lokasi", _, "Legalitas", _, "Catatan"],
        [_, _, _, "Desa", "Kecamatan", "NIB", "Halal", _],
        [1, "Kopi Tuan Galang", "Minuman", "Balairejo", "Wlinggi", "v", _, "x"],
    ]
    located = locate_table(_sheet(rows))
    assert located is not None
    assert located.table == "produk"
    assert located.header_row == 3
    assert located.frame.columns.tolist() == [
        "nama_produk", "kategori", "desa", "kecamatan", "Legalitas NIB", "Legalitas Halal", "Catatan", "baris"
    ]  # fmt: skip
    assert located.frame["baris"].tolist() == [5]
    assert located.frame.loc[0, "desa"] == "Balairejo"
    assert located.column_letters["kecamatan"] == "E"
    assert located.blank == 0


def test_two_row_header_where_the_group_title_completes_the_name() -> None:
    rows = [
        ["No", "Tanggal", _, "Desa"],
        [_, "Kunjungan", "Input", _],
        [1, "12/07/2023", "13/07/2023", "Balerejo"],
    ]
    located = locate_table(_sheet(rows), "kunjungan")
    assert located is not None
    assert located.frame["tanggal"].tolist() == ["12/07/2023"]  # "Tanggal Kunjungan" is an alias
    assert located.frame["Tanggal Input"].tolist() == ["13/07/2023"]
    assert located.frame["desa"].tolist() == ["Balerejo"]


def test_group_title_over_check_box_columns_is_a_two_row_header() -> None:
    # The group title "Legalitas" names a column, but the columns under it are its parts: it stays unclaimed,
    # the parts are kept under their joined names, and the sub-header row is not taken for data.
    rows = [
        ["No", "Nama Produk", "Kategori", "Desa", "Legalitas", _, _],
        [_, _, _, _, "NIB", "P-IRT", "Halal"],
        [1, "Kopi", "Minuman", "Balerejo", "ada", _, "ada"],
    ]
    located = locate_table(_sheet(rows), "produk")
    assert located is not None
    assert located.header_row == 1
    assert located.frame["baris"].tolist() == [3]
    assert located.frame.columns.tolist() == [
        "nama_produk", "kategori", "desa", "Legalitas NIB", "Legalitas P-IRT", "Legalitas Halal", "baris"
    ]  # fmt: skip


def test_header_split_over_two_rows_without_merging() -> None:
    rows = [["Nama", "Kategori", "Desa", "Pelaku"], ["Produk", _, _, "Usaha"], ["Kopi", "Minuman", "Balerejo", "X"]]
    located = locate_table(_sheet(rows), "produk")
    assert located is not None
    assert located.frame.columns.tolist() == ["nama_produk", "kategori", "desa", "pelaku_usaha", "baris"]
    assert located.frame["baris"].tolist() == [3]


def test_title_right_above_the_header_is_not_a_group_title() -> None:
    rows = [
        ["DATA KUNJUNGAN OVOP 2023"],  # merged A1:D1, value in A1 only
        ["Tanggal", "Desa", "Kecamatan", "Dokumentasi"],
        ["12/07/2023", "Balairejo", "Wlinggi", "x"],
    ]
    located = locate_table(_sheet(rows), "kunjungan")
    assert located is not None
    assert located.header_row == 2
    assert located.frame.columns.tolist() == ["tanggal", "desa", "kecamatan", "Dokumentasi", "baris"]
    assert located.frame["baris"].tolist() == [3]


@pytest.mark.parametrize(
    "first_row",
    [
        [1, "Kopi", "bubuk", _],  # a number under "No"
        [_, "Kopi", "bubuk", "Balerejo"],  # values beside the unnamed column too
        [_, "Kopi 200 gr", "bubuk", _],  # digits: not a sub-header
    ],
)
def test_first_data_row_beside_an_unnamed_column_is_not_taken_for_a_sub_header(first_row: list[object]) -> None:
    rows = [["No", "Nama Produk", _, "Desa"], first_row, [2, "Keripik", _, "Tembalang"]]
    located = locate_table(_sheet(rows), "produk")
    assert located is not None
    assert located.header_row == 1
    assert located.frame["baris"].tolist() == [2, 3]
    assert located.frame["kolom C"].tolist() == ["bubuk", None]


def test_a_one_row_header_is_not_read_as_two_rows() -> None:
    rows = [["Tanggal", "Desa", "Kegiatan"], ["12/07/2023", "Desa", "Sambang Desa"], ["13/07/2023", "B", "X"]]
    located = locate_table(_sheet(rows), "kunjungan")
    assert located is not None
    assert located.header_row == 1
    assert located.frame["baris"].tolist() == [2, 3]


def test_header_with_no_data_rows() -> None:
    located = locate_table(_sheet([["Tanggal", "Desa", "Aspirasi"]]), "aspirasi")
    assert located is not None
    assert located.frame.columns.tolist() == ["tanggal", "desa", "aspirasi", "baris"]
    assert located.frame.empty and located.blank == 0
    assert located.frame["baris"].dtype == "int64"


def test_no_header_found() -> None:
    sheet = _sheet([["Laporan"], ["isi bebas", 3], ["lagi", 4]], name="Catatan")
    assert recognise_table(sheet) is None
    assert locate_table(sheet) is None
    assert locate_table(sheet, "produk") is None


def test_header_beyond_the_scanned_rows_is_not_found() -> None:
    rows = [[f"isi {i}"] for i in range(40)] + [["Tanggal", "Desa"], ["1/7/2023", "A"]]
    assert locate_table(_sheet(rows), "kunjungan") is None


def test_unknown_table_name_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown table"):
        locate_table(_sheet([["Tanggal"]]), "produk_unggulan")


def test_values_are_kept_as_read_and_the_sheet_is_not_mutated() -> None:
    rows = [["Tanggal", "Desa", "Tahun"], [dt.date(2023, 7, 12), "  Balerejo ", 2023.0]]
    sheet = _sheet(rows)
    before = sheet.cells.copy()
    located = locate_table(sheet, "kunjungan")
    assert located is not None
    assert located.frame.loc[0, "tanggal"] == dt.date(2023, 7, 12)
    assert located.frame.loc[0, "desa"] == "  Balerejo "
    assert located.frame.loc[0, "Tahun"] == 2023.0
    pd.testing.assert_frame_equal(sheet.cells, before)


@pytest.mark.parametrize(("position", "letter"), [(0, "A"), (2, "C"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ")])
def test_column_letter(position: int, letter: str) -> None:
    assert column_letter(position) == letter


# --- through the reader -----------------------------------------------------------------------------------


def test_workbook_written_with_openpyxl_title_in_b3_header_in_row_5(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kunjungan OVOP 2023"
    ws["B3"] = "KUNJUNGAN OVOP BUPATI BLITAR"
    ws.merge_cells("B3:F3")
    ws.append([])
    for col, text in zip("BCDEF", ["No", "Hari/Tanggal", "Desa/Kel", "Kec.", "Kegiatan"], strict=True):
        ws[f"{col}5"] = text
    ws["B6"], ws["C6"], ws["D6"], ws["E6"], ws["F6"] = 1, dt.date(2023, 7, 12), "Balairejo", "Wlinggi", "Sambang Desa"
    ws["B8"], ws["C8"], ws["D8"], ws["E8"] = 2, "12/07/2023", "TegalAsri", "Wlingi"
    wb.save(tmp_path / "kunjungan.xlsx")
    for reader in READERS.values():
        [sheet] = read_sheets(tmp_path / "kunjungan.xlsx", reader=reader)
        located = locate_table(sheet)
        assert located is not None
        assert (located.table, located.header_row, located.blank) == ("kunjungan", 5, 1)
        assert located.frame["baris"].tolist() == [6, 8]
        assert located.frame["desa"].tolist() == ["Balairejo", "TegalAsri"]
        assert located.column_letters == {
            "tanggal": "C", "desa": "D", "kecamatan": "E", "kegiatan": "F"
        }  # fmt: skip
