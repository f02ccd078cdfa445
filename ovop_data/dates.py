"""Dates as staff type them: Excel cells, serial numbers and Indonesian or English text.

A visit sheet holds the same few hundred dates over and over, so each distinct
value is parsed once and the results are spread back over the rows; that keeps
20,000 cells well under a tenth of a second. Day-first throughout: in Indonesia
12/07/2023 is the twelfth of July.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from .text import fold

#: Excel's 1900 date system counts days from 1899-12-30 (its phantom 29 Feb 1900 included).
EXCEL_EPOCH = dt.date(1899, 12, 30)
#: Serial numbers accepted as dates: 1990-01-01 up to 2100-12-31. Outside this a number is more
#: likely a count or a year typed in a date column than a date, so it is not guessed at.
SERIAL_RANGE = ((dt.date(1990, 1, 1) - EXCEL_EPOCH).days, (dt.date(2100, 12, 31) - EXCEL_EPOCH).days)
#: Years accepted in typed dates.
YEAR_RANGE = (1900, 2100)

MONTHS: dict[str, int] = {
    **dict.fromkeys(("januari", "jan", "january"), 1),
    **dict.fromkeys(("februari", "pebruari", "feb", "peb", "february"), 2),
    **dict.fromkeys(("maret", "mar", "march"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "jun", "june"), 6),
    **dict.fromkeys(("juli", "jul", "july"), 7),
    **dict.fromkeys(("agustus", "agu", "agt", "ags", "agus", "aug", "august"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "okt", "oct", "october"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "des", "dec", "december"), 12),
}

_WEEKDAY = re.compile(
    r"^(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\b\.?\s*,?\s*"
)
# An optional time after the date ("12/07/2023 10:30", "2023-07-12T10:30:00"); the date part is kept.
_TIME = r"(?:[ t]+\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?)?"
_DMY = re.compile(r"^(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})" + _TIME + "$")
_YMD = re.compile(r"^(\d{4})([/.-])(\d{1,2})\2(\d{1,2})" + _TIME + "$")
_D_MON_Y = re.compile(r"^(\d{1,2})\s*[-/. ]?\s*([a-z]+)\.?\s*[-/., ]?\s*(\d{4}|\d{2})" + _TIME + "$")
_MON_D_Y = re.compile(r"^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})" + _TIME + "$")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


def parse_dates(values: pd.Series) -> pd.Series:
    """Dates (datetime64[ns], time of day dropped), NaT where a value is blank or not a real date."""
    if pd.api.types.is_datetime64_any_dtype(values):
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            values = values.dt.tz_localize(None)
        return values.dt.normalize().astype("datetime64[ns]")
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = np.array([_parse_one(v) for v in uniques], dtype="datetime64[ns]")
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    known = codes >= 0
    out[known] = parsed[codes[known]]
    return pd.Series(out, index=values.index, name=values.name)


def _parse_one(value: object) -> dt.date | None:
    if value is None or isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, dt.datetime):  # also pd.Timestamp; NaT is a datetime too
        return None if pd.isna(value) else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).date()
    if isinstance(value, int | float | np.integer | np.floating):
        return _from_serial(float(value))
    if isinstance(value, str):
        return _from_text(value)
    return None  # time-only cells, durations and anything else carry no date


def _from_serial(serial: float) -> dt.date | None:
    if serial != serial or not SERIAL_RANGE[0] <= serial < SERIAL_RANGE[1] + 1:
        return None
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def _from_text(text: str) -> dt.date | None:
    s = fold(text)
    if not s:
        return None
    if _NUMBER.match(s):
        return _from_serial(float(s.replace(",", ".")))
    s = _WEEKDAY.sub("", s, count=1)
    if m := _DMY.match(s):
        return _make(m[4], m[3], m[1])
    if m := _YMD.match(s):
        return _make(m[1], m[3], m[4])
    if m := _D_MON_Y.match(s):
        return _make(m[3], MONTHS.get(m[2]), m[1])
    if m := _MON_D_Y.match(s):
        return _make(m[3], MONTHS.get(m[1]), m[2])
    return None


def _make(year: str, month: str | int | None, day: str) -> dt.date | None:
    if month is None:
        return None
    y = int(year)
    if len(year) == 2:
        y += 2000
    if not YEAR_RANGE[0] <= y <= YEAR_RANGE[1]:
        return None
    try:
        return dt.date(y, int(month), int(day))
    except ValueError:  # 31/02/2023, month 13: not a date, reported by the caller
        return None
