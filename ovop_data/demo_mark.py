"""What marks the bundled demo data, and the date it describes: importable without the demo generator.

The demo generator (`demo.py`) starts every sheet's title row with `DEMO_MARK`. The
loader decides demo-ness from that mark inside the workbook, never from the file
name, so a real workbook saved as ``demo_….xlsx`` keeps the real "today".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .io import RawSheet
from .text import is_blank

#: The date the demo data describes ("today" for the demo: the visits run to the end of 2024).
TANGGAL_ACUAN = date(2024, 12, 31)
#: The start of every demo sheet's title (row 1), also the workbook's subject.
DEMO_MARK = "DATA DEMO — bukan data resmi."
# The title is the first filled cell; a sheet whose first rows hold none is not a demo sheet.
_TITLE_ROWS = 5


def carries_demo_mark(sheet: RawSheet) -> bool:
    """True when the sheet's first filled cell (row by row) is a title starting with DEMO_MARK."""
    for row in sheet.cells.head(_TITLE_ROWS).itertuples(index=False):
        for value in row:
            if not is_blank(value):
                return isinstance(value, str) and value.strip().startswith(DEMO_MARK)
    return False


def demo_files(sheets: Iterable[RawSheet]) -> set[str]:
    """Files every read sheet of which carries the demo mark (one real sheet makes the file real data)."""
    marked: dict[str, bool] = {}
    for sheet in sheets:
        marked[sheet.file] = marked.get(sheet.file, True) and carries_demo_mark(sheet)
    return {file for file, demo in marked.items() if demo}
