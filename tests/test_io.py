"""Reading every supported format into RawSheets, and a clear ReadError for every broken file."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import hostile_files as hostile
import msoffcrypto.format.ooxml
import openpyxl
import pandas as pd
import pytest
import xlwt

from ovop_data import readworker
from ovop_data.bench import READERS, openpyxl_grids
from ovop_data.io import RawSheet, ReadError, TooLargeError, read_sheets, read_upload
from ovop_data.limits import LIMITS, Limits

ENGINES = list(READERS)  # the app's calamine and the benchmark's openpyxl pass the same tests


def _titled_workbook(path: Path) -> Path:
    """A sheet as staff make it: merged title in B3, header in row 5 from column B, one data row, a number row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data Produk UMKM"
    ws["B3"] = "DATA PRODUK UNGGULAN DESA"
    ws.merge_cells("B3:E3")
    for col, text in zip("BCDE", ["No", "Nama Produk", "Desa", "Tanggal"], strict=True):
        ws[f"{col}5"] = text
    ws["B6"], ws["C6"], ws["D6"], ws["E6"] = 1, "Kopi Tuan Galang", "Balairejo", dt.date(2023, 7, 12)
    ws["B7"] = 2
    wb.create_sheet("Kosong")
    wb.save(path)
    return path


def _cell(sheet: RawSheet, ref: str) -> object:
    """Value of an Excel reference ('C5') in a RawSheet, by Excel's own numbering."""
    col = ord(ref[0]) - ord("A")
    row = int(ref[1:]) - 1
    return sheet.cells.iat[row, col]


# --- workbooks -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_xlsx_keeps_leading_rows_and_columns_so_excel_addresses_hold(tmp_path: Path, engine: str) -> None:
    [sheet] = read_sheets(_titled_workbook(tmp_path / "produk.xlsx"), reader=READERS[engine])
    assert (sheet.file, sheet.sheet) == ("produk.xlsx", "Data Produk UMKM")
    assert _cell(sheet, "B3") == "DATA PRODUK UNGGULAN DESA"
    assert _cell(sheet, "C3") is None  # merged cells: the value sits in the top-left cell only
    assert [_cell(sheet, r) for r in ("B5", "C5", "D5", "E5")] == ["No", "Nama Produk", "Desa", "Tanggal"]
    assert _cell(sheet, "C6") == "Kopi Tuan Galang"
    assert _cell(sheet, "B6") == 1  # calamine gives 1.0, openpyxl 1; the caller converts
    assert pd.Timestamp(_cell(sheet, "E6")) == pd.Timestamp("2023-07-12")
    assert _cell(sheet, "A1") is None and _cell(sheet, "C7") is None  # blanks are None, never ''
    assert sheet.cells.shape == (7, 5)
    assert all(pd.api.types.is_object_dtype(d) for d in sheet.cells.dtypes)


def test_both_engines_read_the_same_grid(tmp_path: Path) -> None:
    path = _titled_workbook(tmp_path / "produk.xlsx")
    [fast] = read_sheets(path)
    [slow] = read_sheets(path, reader=openpyxl_grids)
    assert fast.cells.shape == slow.cells.shape
    # Same cells once numbers and dates are compared as values (1.0 == 1, date == midnight datetime).
    for ref in ("B3", "B5", "C5", "B6", "C6", "D6", "B7", "A1", "C7"):
        assert _cell(fast, ref) == _cell(slow, ref)
    assert pd.Timestamp(_cell(fast, "E6")) == pd.Timestamp(_cell(slow, "E6"))


def test_several_sheets_in_workbook_order_empty_ones_skipped_hidden_ones_kept(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Kunjungan OVOP 2023"
    wb.active.append(["Tanggal", "Desa"])
    wb.create_sheet("Kosong")
    hidden = wb.create_sheet("Arsip")
    hidden.append(["Aspirasi"])
    hidden.sheet_state = "hidden"
    blank_but_formatted = wb.create_sheet("Hanya Format")
    blank_but_formatted["C4"].number_format = "dd/mm/yyyy"
    wb.save(tmp_path / "data.xlsx")
    names = [s.sheet for s in read_sheets(tmp_path / "data.xlsx")]
    assert names == ["Kunjungan OVOP 2023", "Arsip"]


@pytest.mark.parametrize("engine", ENGINES)
def test_empty_strings_become_none_other_text_kept_as_typed(tmp_path: Path, engine: str) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["Desa", "", " Balerejo ", "x"])
    wb.save(tmp_path / "a.xlsx")
    [sheet] = read_sheets(tmp_path / "a.xlsx", reader=READERS[engine])
    assert sheet.cells.iloc[0].tolist() == ["Desa", None, " Balerejo ", "x"]


def test_xls_written_by_xlwt(tmp_path: Path) -> None:
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Kunjungan")
    ws.write(2, 1, "Tanggal")
    ws.write(2, 2, "Desa")
    ws.write(3, 1, 45119)
    ws.write(3, 2, "Tembalang")
    wb.save(str(tmp_path / "lama.xls"))
    [sheet] = read_sheets(tmp_path / "lama.xls")
    assert sheet.sheet == "Kunjungan"
    assert _cell(sheet, "B3") == "Tanggal" and _cell(sheet, "C4") == "Tembalang"
    assert _cell(sheet, "B4") == 45119


def test_ods_written_by_pandas(tmp_path: Path) -> None:
    frame = pd.DataFrame({"Nama Produk": ["Keripik Pisang"], "Desa": ["TegalAsri"]})
    with pd.ExcelWriter(tmp_path / "produk.ods", engine="odf") as writer:
        frame.to_excel(writer, sheet_name="Produk", startrow=3, startcol=1, index=False)
    [sheet] = read_sheets(tmp_path / "produk.ods")
    assert sheet.sheet == "Produk"
    assert _cell(sheet, "B4") == "Nama Produk" and _cell(sheet, "C5") == "TegalAsri"
    assert _cell(sheet, "A1") is None


def test_xls_saved_with_an_xlsx_name_is_still_read(tmp_path: Path) -> None:
    wb = xlwt.Workbook()
    wb.add_sheet("S").write(0, 0, "Desa")
    wb.save(str(tmp_path / "x.xls"))
    (tmp_path / "salah-nama.xlsx").write_bytes((tmp_path / "x.xls").read_bytes())
    [sheet] = read_sheets(tmp_path / "salah-nama.xlsx")
    assert (sheet.file, _cell(sheet, "A1")) == ("salah-nama.xlsx", "Desa")


def test_accepts_str_paths_and_uppercase_suffixes(tmp_path: Path) -> None:
    path = _titled_workbook(tmp_path / "PRODUK.XLSX")
    assert read_sheets(str(path))[0].file == "PRODUK.XLSX"


def test_read_upload_reads_bytes_under_the_users_file_name(tmp_path: Path) -> None:
    content = _titled_workbook(tmp_path / "x.xlsx").read_bytes()
    [sheet] = read_upload("C:\\Users\\staf\\Produk Desa.xlsx".replace("\\", "/"), content)
    assert sheet.file == "Produk Desa.xlsx"
    assert _cell(sheet, "C6") == "Kopi Tuan Galang"


def test_read_upload_csv() -> None:
    [sheet] = read_upload("kunjungan.csv", b"Tanggal;Desa\n12/07/2023;Balairejo\n")
    assert (sheet.file, sheet.sheet) == ("kunjungan.csv", "kunjungan")
    assert sheet.cells.iloc[1].tolist() == ["12/07/2023", "Balairejo"]


# --- CSV ---------------------------------------------------------------------------------------------------

_CSV_ROWS = [["Tanggal", "Desa", "Catatan"], ["12/07/2023", "Balairejo", "Kopi – kripik"], ["13/07/2023", "", "Café"]]


def _csv_text(delimiter: str) -> str:
    return "\r\n".join(delimiter.join(r) for r in _CSV_ROWS) + "\r\n"


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [
        ("utf-8", ","),
        ("utf-8", ";"),
        ("utf-8-sig", ","),  # Excel's "CSV UTF-8" adds a BOM
        ("utf-8-sig", ";"),
        ("cp1252", ";"),  # Excel on Windows, Indonesian locale: semicolons, Windows-1252
        ("cp1252", ","),
        ("utf-16", "\t"),  # Excel's "Unicode text"
    ],
)
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = tmp_path / "kunjungan.csv"
    path.write_bytes(_csv_text(delimiter).encode(encoding))
    [sheet] = read_sheets(path)
    assert (sheet.file, sheet.sheet) == ("kunjungan.csv", "kunjungan")
    assert sheet.cells.shape == (3, 3)
    assert sheet.cells.iloc[0].tolist() == ["Tanggal", "Desa", "Catatan"]
    assert sheet.cells.iloc[1].tolist() == ["12/07/2023", "Balairejo", "Kopi – kripik"]
    assert sheet.cells.iloc[2].tolist() == ["13/07/2023", None, "Café"]


def test_csv_semicolons_win_over_commas_inside_values(tmp_path: Path) -> None:
    text = "Nama Produk;Desa;Legalitas\nKeripik pisang, singkong;Tembalang;NIB, PIRT, Halal\nKopi;Balerejo;NIB\n"
    (tmp_path / "p.csv").write_text(text, encoding="utf-8")
    [sheet] = read_sheets(tmp_path / "p.csv")
    assert sheet.cells.shape == (3, 3)
    assert sheet.cells.iat[1, 2] == "NIB, PIRT, Halal"


def test_csv_quoted_fields_and_ragged_rows(tmp_path: Path) -> None:
    text = 'Nama Produk,Desa,Catatan\n"Kopi, bubuk",Balerejo\n"Gula ""aren""",Tembalang,"baris\nkedua"\n'
    (tmp_path / "p.csv").write_text(text, encoding="utf-8")
    [sheet] = read_sheets(tmp_path / "p.csv")
    assert sheet.cells.iloc[1].tolist() == ["Kopi, bubuk", "Balerejo", None]
    assert sheet.cells.iloc[2].tolist() == ['Gula "aren"', "Tembalang", "baris\nkedua"]


def test_csv_sep_line_sets_the_delimiter_and_is_not_a_row(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text("sep=;\r\nDesa;Kecamatan\r\nBalerejo;Wlingi\r\n", encoding="utf-8")
    [sheet] = read_sheets(tmp_path / "p.csv")
    assert sheet.cells.iloc[0].tolist() == ["Desa", "Kecamatan"]
    assert sheet.cells.shape == (2, 2)


def test_csv_title_line_and_blank_lines_keep_their_row_numbers(tmp_path: Path) -> None:
    text = "DATA KUNJUNGAN;;\n;;\nTanggal;Desa;Kecamatan\n12/07/2023;Balairejo;Wlinggi\n"
    (tmp_path / "k.csv").write_text(text, encoding="utf-8")
    [sheet] = read_sheets(tmp_path / "k.csv")
    assert sheet.cells.shape == (4, 3)
    assert sheet.cells.iat[2, 0] == "Tanggal" and sheet.cells.iat[3, 2] == "Wlinggi"
    assert sheet.cells.iloc[1].isna().all()


def test_csv_single_column(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("Desa\nBalerejo\n", encoding="utf-8")
    assert read_sheets(tmp_path / "d.csv")[0].cells.iloc[:, 0].tolist() == ["Desa", "Balerejo"]


# --- broken files ------------------------------------------------------------------------------------------


def _encrypted_xlsx(tmp_path: Path) -> bytes:
    plain = _titled_workbook(tmp_path / "plain.xlsx")
    out = io.BytesIO()
    with plain.open("rb") as handle:
        msoffcrypto.format.ooxml.OOXMLFile(handle).encrypt("rahasia", out)
    return out.getvalue()


def _zip_not_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("catatan.txt", "bukan workbook")
    return buffer.getvalue()


def _truncated_xlsx(tmp_path: Path) -> bytes:
    content = _titled_workbook(tmp_path / "utuh.xlsx").read_bytes()
    return content[: len(content) // 2]  # an upload or copy cut short


def _damaged_sheet_xlsx(tmp_path: Path) -> bytes:
    """A sound zip whose worksheet XML is cut in half."""
    source = zipfile.ZipFile(_titled_workbook(tmp_path / "utuh.xlsx"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    return buffer.getvalue()


def _empty_workbook(tmp_path: Path) -> bytes:
    openpyxl.Workbook().save(tmp_path / "kosong.xlsx")
    return (tmp_path / "kosong.xlsx").read_bytes()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("acak.xlsx", lambda tmp: bytes(range(256)) * 8, "tidak bisa dibaca sebagai spreadsheet"),
        ("kosong.xlsx", lambda tmp: b"", "kosong"),
        ("arsip.xlsx", lambda tmp: _zip_not_xlsx(), "tidak bisa dibaca sebagai spreadsheet"),
        ("rahasia.xlsx", _encrypted_xlsx, "terkunci kata sandi"),
        ("terpotong.xlsx", _truncated_xlsx, "tidak bisa dibaca sebagai spreadsheet"),
        ("rusak.xlsx", _damaged_sheet_xlsx, "tidak bisa dibaca sebagai spreadsheet"),
        ("tanpa-isi.xlsx", _empty_workbook, "tidak berisi data"),
        ("catatan.txt", lambda tmp: b"Desa,Kecamatan\n", "bukan spreadsheet yang dikenal"),
        ("laporan.pdf", lambda tmp: b"%PDF-1.4", "bukan spreadsheet yang dikenal"),
        ("tanpa-akhiran", lambda tmp: b"Desa\n", "bukan spreadsheet yang dikenal"),
        ("kosong.csv", lambda tmp: b"", "kosong"),
        ("hanya-bom.csv", lambda tmp: b"\xef\xbb\xbf\r\n \r\n", "kosong"),
        ("hanya-pemisah.csv", lambda tmp: b";;\n;;\n", "kosong"),
        ("biner.csv", lambda tmp: b"\x81\x8d\x00\x9d\x00", "bukan teks CSV"),
        ("excel.csv", lambda tmp: _empty_workbook(tmp), "berkas Excel yang diberi akhiran .csv"),
    ],
)
def test_broken_files_raise_read_error_naming_the_file(
    tmp_path: Path, engine: str, name: str, make, words: str
) -> None:
    content = make(tmp_path)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadError, match=words) as from_path:
        read_sheets(path, reader=READERS[engine])
    assert f"'{name}'" in str(from_path.value)
    with pytest.raises(ReadError, match=words) as from_upload:
        read_upload(name, content, reader=READERS[engine])
    assert f"'{name}'" in str(from_upload.value)


def test_encrypted_message_tells_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as err:
        read_upload("rahasia.xlsx", _encrypted_xlsx(tmp_path))
    assert str(err.value) == "Berkas 'rahasia.xlsx' terkunci kata sandi; buka kuncinya di Excel lalu unggah lagi."


def test_missing_file(tmp_path: Path) -> None:
    for name in ("hilang.xlsx", "hilang.csv"):
        with pytest.raises(ReadError, match=f"Berkas '{name}' tidak ditemukan"):
            read_sheets(tmp_path / name)


def test_openpyxl_on_a_format_it_cannot_read_is_a_programming_error(tmp_path: Path) -> None:
    (tmp_path / "a.ods").write_bytes(b"x")
    with pytest.raises(ValueError, match="openpyxl"):
        read_sheets(tmp_path / "a.ods", reader=openpyxl_grids)


# --- hostile files: refused with the bound named, fast, and the process lives ------------------------------
# Each read below runs in this pytest process: if the isolation failed (the Rust reader aborting, memory
# running out), pytest itself would die, which is the honest test.

_ROWS = "batas 200.000 baris per sheet"


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("sel-jauh.xlsx", hostile.far_cell_xlsx, f"sheet 'Produk' menyatakan 1.048.576 baris; {_ROWS}"),
        # the lying dimension gets past the cheap check: the reader process aborts, the file is scanned
        ("dimensi-bohong.xlsx", lambda: hostile.far_cell_xlsx("A1"), f"berisi 1.048.576 baris; {_ROWS}"),
        ("tanpa-dimensi.xlsx", lambda: hostile.far_cell_xlsx(None), f"berisi 1.048.576 baris; {_ROWS}"),
        ("sejuta-baris.xlsx", hostile.million_rows_xlsx, f"berisi sedikitnya [\\d.]+ baris; {_ROWS}"),
        ("sejuta-baris-dinyatakan.xlsx", lambda: hostile.million_rows_xlsx(dimension="A1:A1000000"), "menyatakan"),
        ("sel-panjang.xlsx", hostile.long_cell_xlsx, "sel B2 di sheet 'Produk' berisi 200.000 karakter; batas 32.767"),
        ("banyak-sheet.xlsx", hostile.many_sheets_xlsx, "berisi 500 sheet; batas 50 sheet per berkas"),
        ("bom-zip.xlsx", lambda: hostile.zip_bomb_xlsx(300), "setelah diekstrak; batas 256 MB"),
        ("sejuta-baris.ods", hostile.repeated_rows_ods, f"berisi 1.000.001 baris; {_ROWS}"),
        ("kolom-raksasa.ods", lambda: hostile.repeated_rows_ods(1_000, 16_384), "batas 256 kolom per sheet"),
        ("sel-panjang.csv", hostile.long_cell_csv, "lebih dari 131.072 karakter; batas 32.767 karakter per sel"),
        ("sel-agak-panjang.csv", lambda: hostile.long_cell_csv(40_000), "sel B2 berisi 40.000 karakter; batas 32.767"),
        ("banyak-kolom.csv", hostile.many_columns_csv, "berisi 5.000 kolom; batas 256 kolom per sheet"),
        ("terlalu-berat.csv", lambda: b"x" * (25 * 1024 * 1024 + 1), "26 MB; batas 25 MB per berkas"),
    ],
)
def test_hostile_files_are_refused_naming_the_bound(tmp_path: Path, name: str, make, words: str) -> None:
    content = make()
    path = tmp_path / name
    path.write_bytes(content)
    for read in (lambda: read_sheets(path), lambda: read_upload(name, content)):
        started = time.perf_counter()
        with pytest.raises(TooLargeError, match=words) as refused:
            read()
        assert time.perf_counter() - started < 10  # generous: the benchmark measures, this guards a hang
        assert str(refused.value).startswith(f"Berkas '{name}' terlalu besar")
    # the reader processes survived or were replaced: an ordinary workbook still reads
    assert read_sheets(_titled_workbook(tmp_path / "biasa.xlsx"))[0].sheet == "Data Produk UMKM"


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("nul.csv", hostile.nul_csv(), "berisi byte NUL"),
        ("utf8-rusak.csv", hostile.invalid_utf8_csv(), "bukan UTF-8 maupun Windows-1252"),
        ("utf8-rusak.xlsx", hostile.invalid_utf8_xlsx(), "tidak bisa dibaca sebagai spreadsheet"),
    ],
)
def test_nul_bytes_and_invalid_utf8_are_a_clear_read_error(name: str, content: bytes, words: str) -> None:
    with pytest.raises(ReadError, match=words) as err:
        read_upload(name, content)
    assert not isinstance(err.value, TooLargeError)


def test_a_nul_inside_workbook_xml_is_read_not_fatal() -> None:
    [sheet] = read_upload("nul.xlsx", hostile.nul_xlsx())
    assert sheet.cells.iat[0, 0].startswith("Desa")


def test_a_reader_that_runs_out_of_memory_ends_alone(tmp_path: Path) -> None:
    # Bounds so loose that no check catches the far cell: only the reader's memory cap stands.
    loose = Limits(rows=2_000_000, columns=20_000, cells=10**12, reader_memory_mb=1024)
    with pytest.raises(TooLargeError, match=r"melampaui batas memori 1\.024 MB") as err:
        read_upload("sel-jauh.xlsx", hostile.far_cell_xlsx(), limits=loose)
    assert str(err.value).startswith("Berkas 'sel-jauh.xlsx' terlalu besar untuk dibaca")
    assert read_sheets(_titled_workbook(tmp_path / "biasa.xlsx"))[0].cells.shape == (7, 5)


def test_a_reader_that_runs_too_long_is_stopped(tmp_path: Path) -> None:
    loose = Limits(columns=20_000, cells=10**12, read_seconds=1)
    started = time.perf_counter()
    with pytest.raises(TooLargeError, match="melampaui batas waktu 1 detik"):
        read_upload("kolom-raksasa.ods", hostile.repeated_rows_ods(1_000, 16_384), limits=loose)
    assert time.perf_counter() - started < 10
    assert read_sheets(_titled_workbook(tmp_path / "biasa.xlsx"))[0].cells.shape == (7, 5)


def test_reads_beyond_the_reader_count_wait_their_turn(tmp_path: Path) -> None:
    path = _titled_workbook(tmp_path / "produk.xlsx")
    with ThreadPoolExecutor(max_workers=5) as pool:
        shapes = list(pool.map(lambda _: read_sheets(path)[0].cells.shape, range(10)))
    assert shapes == [(7, 5)] * 10


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        (lambda p: p.mkdir(), "'data.xlsx' adalah folder, bukan berkas spreadsheet"),
        (lambda p: p.symlink_to(p.parent / "tidak-ada.xlsx"), r"pintasan \(symlink\) ke berkas yang tidak ada"),
        (lambda p: os.mkfifo(p), "bukan berkas biasa"),
    ],
)
def test_entries_that_are_not_regular_files(tmp_path: Path, setup, words: str) -> None:
    path = tmp_path / "data.xlsx"
    setup(path)
    with pytest.raises(ReadError, match=words):
        read_sheets(path)


def test_the_server_process_never_loads_the_rust_reader() -> None:
    # python-calamine aborts its process on a failed allocation: only the reader process may import it.
    code = "import sys, ovop_data.io, ovop_data.load, ovop_data.store; assert 'python_calamine' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent, check=True)


def _no_process(*args, **kwargs):
    raise OSError(11, "Resource temporarily unavailable")


_POPEN = subprocess.Popen


def _not_a_reader(args, **kwargs):
    # A process that answers the handshake with bytes outside the protocol.
    return _POPEN([sys.executable, "-c", "import sys; sys.stdout.write('x' * 64)"], **kwargs)


@pytest.mark.parametrize("start", [_no_process, _not_a_reader], ids=["no-process", "not-a-reader"])
def test_a_reader_that_cannot_start_fails_that_file_with_a_message(tmp_path: Path, monkeypatch, start) -> None:
    from ovop_data import readworker

    monkeypatch.setattr(readworker._POOL, "_idle", [])  # force a new reader process
    monkeypatch.setattr(readworker.subprocess, "Popen", start)
    with pytest.raises(ReadError, match=r"tidak (bisa|dapat) dibaca"):
        read_sheets(_titled_workbook(tmp_path / "produk.xlsx"))


def test_an_idle_reader_that_ended_is_replaced_not_blamed_on_the_next_file(tmp_path: Path, monkeypatch) -> None:
    """A reused reader found dead at the next request (killed late by its timer, or by the system) must not turn
    that file's answer into the second, cell-scanning attempt: the declared size is still what is named."""
    stale = readworker._Reader(LIMITS.reader_memory_mb)
    stale.reads = 1  # it answered an earlier request, then ended while idle
    stale.process.kill()
    stale.process.wait()
    monkeypatch.setattr(readworker._POOL, "_idle", [stale])
    monkeypatch.setattr(readworker._Reader, "alive", lambda self: True)  # as if it ended just after the check
    path = tmp_path / "sejuta-baris-dinyatakan.xlsx"
    path.write_bytes(hostile.million_rows_xlsx(dimension="A1:A1000000"))
    with pytest.raises(TooLargeError, match=r"menyatakan 1\.000\.000 baris"):
        read_sheets(path)
