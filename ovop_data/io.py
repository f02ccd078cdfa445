"""All file reading: spreadsheets and CSV files into raw grids of cells, one per sheet.

Nothing here interprets the cells: a RawSheet is the sheet exactly as Excel
shows it (row i of `cells` is Excel row i+1, column j is Excel column j, A=0),
so every later message can cite the row and column the user sees. A file that
cannot be read raises ReadError with a message in Bahasa Indonesia, never a
library traceback; a file over one of `limits.LIMITS` raises TooLargeError naming
the bound. Workbooks are read in a capped reader process (`readworker`), so no
file's content can end the server.
"""

from __future__ import annotations

import csv
import io
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .bounds import Exceeded, Extent, check_file_size
from .bounds import column_letters as _column_letters
from .limits import LIMITS, Limits, angka, over
from .readworker import ReaderRefused, read_workbook

#: Workbook formats python-calamine reads.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CSV_SUFFIXES = (".csv",)
SUFFIXES = WORKBOOK_SUFFIXES + CSV_SUFFIXES

#: Reads a workbook file (path, file name for messages, limits) into (sheet name, grid of cells) pairs.
#: The app always uses calamine in the capped reader process; the benchmark passes openpyxl's.
GridReader = Callable[[Path, str, Limits], list[tuple[str, pd.DataFrame]]]

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Name of the stream Office writes into an encrypted .xlsx (an OLE container, not a zip).
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_CSV_DELIMITERS = (";", ",", "\t")
_CSV_SNIFF_LINES = 50


class ReadError(Exception):
    """A file that cannot be read as a spreadsheet; the message says which file and why, in Indonesian."""


class TooLargeError(ReadError):
    """A file over one of limits.LIMITS; the message names the bound. Nothing of it was materialised."""


@dataclass(frozen=True)
class RawSheet:
    """One non-empty sheet as a grid of cells: no header, blank cells None, values as the reader gives them."""

    file: str
    sheet: str
    cells: pd.DataFrame


def read_sheets(path: str | Path, *, limits: Limits = LIMITS, reader: GridReader | None = None) -> list[RawSheet]:
    """Every non-empty worksheet (hidden ones too) of a .xlsx/.xlsm/.xls/.ods/.csv file; ReadError when unreadable.

    ``reader`` replaces calamine for workbooks (the benchmark compares openpyxl's); checks stay the same.
    """
    path = Path(path)
    _check_suffix(path)
    size = _regular_file_size(path)
    _refuse_too_large(lambda: check_file_size(size, path.name, limits))
    if path.suffix.lower() in CSV_SUFFIXES:
        return _csv_sheets(_read_bytes(path), path.name, limits)
    if size == 0:
        raise ReadError(f"Berkas '{path.name}' kosong.")
    return _workbook_sheets(path, path.name, reader, limits)


def read_upload(
    name: str, content: bytes, *, limits: Limits = LIMITS, reader: GridReader | None = None
) -> list[RawSheet]:
    """Like read_sheets, for a file uploaded in the browser (its name and its bytes)."""
    file = Path(name).name
    suffix = Path(file).suffix.lower()
    _check_suffix(Path(file))
    _refuse_too_large(lambda: check_file_size(len(content), file, limits))
    if suffix in CSV_SUFFIXES:
        return _csv_sheets(content, file, limits)
    if not content:
        raise ReadError(f"Berkas '{file}' kosong.")
    # calamine reports a password only when it opens a path, so the bytes go to a temporary file.
    with tempfile.TemporaryDirectory(prefix="ovop-") as tmp:
        path = Path(tmp) / f"unggahan{suffix}"
        path.write_bytes(content)
        return _workbook_sheets(path, file, reader, limits)


def _refuse_too_large(check) -> None:
    """Run a bounds check, turning its Exceeded into TooLargeError."""
    try:
        check()
    except Exceeded as err:
        raise TooLargeError(str(err)) from None


def _regular_file_size(path: Path) -> int:
    """The size of a regular file; ReadError for a missing file, broken link, folder, pipe or unreadable entry."""
    try:
        info = path.stat()  # follows a symlink: a broken one raises FileNotFoundError
    except FileNotFoundError:
        if path.is_symlink():
            raise ReadError(f"Berkas '{path.name}' adalah pintasan (symlink) ke berkas yang tidak ada.") from None
        raise ReadError(f"Berkas '{path.name}' tidak ditemukan (mungkin dipindah atau dihapus).") from None
    except OSError as err:  # no permission on the folder, a vanished network drive, a symlink loop
        raise ReadError(f"Berkas '{path.name}' tidak bisa dibuka ({err.strerror or err}).") from None
    if stat.S_ISDIR(info.st_mode):
        raise ReadError(f"'{path.name}' adalah folder, bukan berkas spreadsheet.")
    if not stat.S_ISREG(info.st_mode):  # a pipe or device would block the reader forever
        raise ReadError(f"'{path.name}' bukan berkas biasa (mis. pipe atau perangkat); dilewati.")
    return info.st_size


def _check_suffix(path: Path) -> None:
    if path.suffix.lower() not in SUFFIXES:
        raise ReadError(f"Berkas '{path.name}' bukan spreadsheet yang dikenal; gunakan .xlsx, .xls, .ods atau .csv.")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ReadError(f"Berkas '{path.name}' tidak ditemukan.") from None
    except OSError as err:  # a folder, no permission, a vanished network drive
        raise ReadError(f"Berkas '{path.name}' tidak bisa dibuka ({err.strerror or err}).") from None


# --- workbooks ---------------------------------------------------------------------------------


def _workbook_sheets(path: Path, file: str, reader: GridReader | None, limits: Limits) -> list[RawSheet]:
    if _is_encrypted(path):
        raise ReadError(_locked(file))
    grids = (reader or _calamine_grids)(path, file, limits)
    sheets = [RawSheet(file, name, cells) for name, cells in grids if not cells.empty]
    if not sheets:
        raise ReadError(f"Berkas '{file}' tidak berisi data (semua sheet kosong).")
    return sheets


def _calamine_grids(path: Path, file: str, limits: Limits) -> list[tuple[str, pd.DataFrame]]:
    try:
        return read_workbook(path, file, limits, convert=cell_grid)
    except ReaderRefused as err:
        if err.kind in ("refused", "died", "timeout"):
            raise TooLargeError(str(err)) from None
        if err.kind == "locked":
            raise ReadError(_locked(file)) from None
        if err.kind == "missing":
            raise ReadError(f"Berkas '{file}' tidak ditemukan (mungkin dipindah atau dihapus).") from None
        raise ReadError(unreadable_message(file)) from None


def _is_encrypted(path: Path) -> bool:
    """An Office file saved with a password is an OLE container holding an 'EncryptionInfo' stream."""
    try:
        with path.open("rb") as handle:
            if handle.read(8) != _OLE_MAGIC:
                return False
            return _ENCRYPTION_STREAM in handle.read()
    except OSError as err:  # no permission, a vanished network drive
        raise ReadError(f"Berkas '{path.name}' tidak bisa dibuka ({err.strerror or err}).") from None


def cell_grid(rows: list) -> pd.DataFrame:
    """Rows of cell values as an object DataFrame, '' turned into None and short rows padded (one shape for all)."""
    width = max((len(r) for r in rows), default=0)
    if width == 0:
        return pd.DataFrame(dtype=object)
    if all(len(r) == width for r in rows):  # calamine pads every row to the sheet's width
        array = np.array(rows, dtype=object).reshape(len(rows), width)
    else:  # csv (and the benchmark's openpyxl) give ragged rows
        array = np.empty((len(rows), width), dtype=object)  # filled with None
        for i, row in enumerate(rows):
            array[i, : len(row)] = row
    array[array == ""] = None
    if all(v is None for v in array.flat):  # stops at the first value of a non-empty sheet
        return pd.DataFrame(dtype=object)
    return pd.DataFrame(array, dtype=object)


def _locked(file: str) -> str:
    return f"Berkas '{file}' terkunci kata sandi; buka kuncinya di Excel lalu unggah lagi."


def unreadable_message(file: str) -> str:
    """What a file that is not a readable spreadsheet is told, whichever reader found it so."""
    return f"Berkas '{file}' tidak bisa dibaca sebagai spreadsheet (rusak atau bukan Excel)."


# --- CSV -------------------------------------------------------------------------------------------


def _csv_sheets(content: bytes, file: str, limits: Limits) -> list[RawSheet]:
    text = _decode(content, file)
    if not text.strip():
        raise ReadError(f"Berkas '{file}' kosong.")
    lines = text.splitlines()
    delimiter = None
    # Excel writes and honours a first line "sep=;"; it does not show it as a row.
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        delimiter = lines[0].strip()[4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
    try:
        delimiter = delimiter or _sniff_delimiter(text)
        rows = _csv_rows(text, delimiter, file, limits)
    except csv.Error as err:
        # Python's csv stops at fields over 131,072 characters: far past the bound, so name the bound.
        if "field larger than field limit" in str(err):
            raise TooLargeError(
                f"Berkas '{file}' terlalu besar: ada sel berisi lebih dari {angka(csv.field_size_limit())} karakter; "
                f"batas {angka(limits.cell_chars)} karakter per sel."
            ) from None
        raise ReadError(f"Berkas '{file}' bukan teks CSV yang bisa dibaca ({err}).") from None
    cells = cell_grid(rows)
    if cells.empty:
        raise ReadError(f"Berkas '{file}' kosong.")
    return [RawSheet(file, Path(file).stem, cells)]


def _csv_rows(text: str, delimiter: str, file: str, limits: Limits) -> list[list[str]]:
    """The rows of a CSV text, refused (TooLargeError) as soon as a row, column, cell or character bound is passed."""
    sheet = Path(file).stem
    check_chars = len(text) > limits.cell_chars  # a shorter text cannot hold a longer cell
    rows, width = [], 0
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        rows.append(row)
        if len(row) > width:
            width = len(row)
            if width > limits.columns:
                break
        if len(rows) > limits.rows or len(rows) * width > limits.cells:
            break  # refused below with the bound it passed, before the rest of the file is held in memory
        if check_chars and row and max(map(len, row)) > limits.cell_chars:
            column = max(range(len(row)), key=lambda j: len(row[j]))
            where = f"sel {_column_letters(column + 1)}{len(rows)}"
            raise TooLargeError(over(file, where, len(row[column]), limits.cell_chars, "karakter", "per sel"))
    _refuse_too_large(lambda: Extent(file, limits).add(sheet, len(rows), width))
    return rows


def _decode(content: bytes, file: str) -> str:
    if not content:
        raise ReadError(f"Berkas '{file}' kosong.")
    if content.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        raise ReadError(
            f"Berkas '{file}' adalah berkas Excel yang diberi akhiran .csv; "
            "ganti akhiran namanya menjadi .xlsx/.xls lalu unggah lagi."
        )
    if content.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)  # Excel's "Unicode text"
    else:
        encodings = ("utf-8", "cp1252")  # Excel on Windows saves plain CSV as Windows-1252
    for encoding in encodings:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            raise ReadError(f"Berkas '{file}' bukan teks CSV yang bisa dibaca (berisi byte NUL; rusak atau bukan CSV).")
        return text
    raise ReadError(
        f"Berkas '{file}' bukan teks CSV yang bisa dibaca (bukan UTF-8 maupun Windows-1252; rusak atau bukan CSV)."
    )


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number (>1) of fields most often.

    Consistency, not frequency: a semicolon file can hold commas inside values
    ("Keripik pisang, singkong") but those rarely give every line the same count.
    """
    sample = [line for line in text.splitlines()[:_CSV_SNIFF_LINES] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in _CSV_DELIMITERS:
        counts = [len(r) for r in csv.reader(sample, delimiter=delimiter)]
        wide = [c for c in counts if c > 1]
        if not wide:
            continue
        mode = max(set(wide), key=lambda c: (wide.count(c), c))
        score = (counts.count(mode), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best
