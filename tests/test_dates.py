"""Dates as staff type them, day first, each distinct value parsed once."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from ovop_data import dates
from ovop_data.dates import parse_dates

JULY_12 = pd.Timestamp("2023-07-12")


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2023, 7, 12),
        dt.datetime(2023, 7, 12, 10, 30),  # time of day dropped
        pd.Timestamp("2023-07-12 09:00"),
        np.datetime64("2023-07-12T08:00"),
        45119,  # Excel serial
        45119.0,  # calamine gives floats
        45119.75,  # serial with a time of day
        np.int64(45119),
        "45119",
        " 45119 ",
        "12/07/2023",
        "12/7/2023",
        "12-7-23",
        "12-07-2023",
        "12.07.2023",
        "12/07/23",
        "2023-07-12",
        "2023/07/12",
        "2023-07-12 10:30:00",
        "2023-07-12T10:30:00",
        "12/07/2023 10:30",
        "12 Juli 2023",
        "12 juli 2023",
        "12 JULI 2023",
        "12 Jul 2023",
        "12 Jul. 2023",
        "12-Jul-23",
        "12 July 2023",
        "July 12, 2023",
        "Rabu, 12/07/2023",
        "Rabu, 12 Juli 2023",
        "rabu 12 juli 2023",
        "Wednesday, 12 July 2023",
        "Wed, 12 Jul 2023",
    ],
)
def test_every_accepted_form_gives_12_july_2023(value: object) -> None:
    result = parse_dates(pd.Series([value], dtype=object))
    assert result.iloc[0] == JULY_12


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 Januari 2024", "2024-01-01"),
        ("3 Jan 2024", "2024-01-03"),
        ("29 Februari 2024", "2024-02-29"),  # leap year
        ("5 Pebruari 2022", "2022-02-05"),
        ("5 Feb 2022", "2022-02-05"),
        ("7 Maret 2022", "2022-03-07"),
        ("7 Mar 2022", "2022-03-07"),
        ("8 April 2022", "2022-04-08"),
        ("8 Apr 2022", "2022-04-08"),
        ("9 Mei 2022", "2022-05-09"),
        ("9 May 2022", "2022-05-09"),
        ("10 Juni 2022", "2022-06-10"),
        ("10 Jun 2022", "2022-06-10"),
        ("17 Agustus 2022", "2022-08-17"),
        ("17 Agu 2022", "2022-08-17"),
        ("17 Agt 2022", "2022-08-17"),
        ("17 Ags 2022", "2022-08-17"),
        ("17 Aug 2022", "2022-08-17"),
        ("1 September 2022", "2022-09-01"),
        ("1 Sep 2022", "2022-09-01"),
        ("1 Sept 2022", "2022-09-01"),
        ("2 Oktober 2022", "2022-10-02"),
        ("2 Okt 2022", "2022-10-02"),
        ("2 Oct 2022", "2022-10-02"),
        ("3 November 2022", "2022-11-03"),
        ("3 Nopember 2022", "2022-11-03"),
        ("3 Nov 2022", "2022-11-03"),
        ("4 Desember 2022", "2022-12-04"),
        ("4 Des 2022", "2022-12-04"),
        ("4 Dec 2022", "2022-12-04"),
        ("Jumat, 1 Sept 2023", "2023-09-01"),
        ("Jum'at, 1/9/2023", "2023-09-01"),
        ("Minggu, 3 Des 2023", "2023-12-03"),
        ("05/04/2023", "2023-04-05"),  # day first: 5 April, never 4 May
        (32874, "1990-01-01"),  # lowest serial accepted
        (73415, "2100-12-31"),  # highest serial accepted
    ],
)
def test_month_names_weekdays_and_day_first(text: object, expected: str) -> None:
    assert parse_dates(pd.Series([text], dtype=object)).iloc[0] == pd.Timestamp(expected)


@pytest.mark.parametrize(
    "value",
    [
        None,
        float("nan"),
        pd.NaT,
        "",
        "   ",
        "31/02/2023",  # impossible date
        "29/02/2023",  # not a leap year
        "12/13/2023",  # month 13 (a US-style date is not guessed)
        "2023-13-01",
        "32 Juli 2023",
        "12 Juli",  # no year
        "belum ada",
        "12 Julai 2023",  # unknown month name
        2023,  # a year, not a serial
        "2023",
        1,  # a count, not a date
        32873,  # 1989-12-31: before the plausible range
        73416,  # 2101-01-01: after it
        True,
        dt.time(10, 30),
    ],
)
def test_blank_impossible_and_implausible_values_are_nat(value: object) -> None:
    assert pd.isna(parse_dates(pd.Series([value], dtype=object)).iloc[0])


def test_result_keeps_index_and_name_and_is_datetime64_ns() -> None:
    values = pd.Series(["12/07/2023", None, "2023-07-13"], index=[10, 20, 30], name="tanggal", dtype=object)
    result = parse_dates(values)
    assert result.dtype == "datetime64[ns]"
    assert list(result.index) == [10, 20, 30]
    assert result.name == "tanggal"
    assert result.iloc[0] == JULY_12 and pd.isna(result.iloc[1]) and result.iloc[2] == pd.Timestamp("2023-07-13")


def test_argument_is_not_mutated() -> None:
    values = pd.Series(["12/07/2023", 45119.0], dtype=object)
    parse_dates(values)
    assert values.tolist() == ["12/07/2023", 45119.0]


def test_datetime64_input_is_normalised_to_dates() -> None:
    values = pd.Series(pd.to_datetime(["2023-07-12 10:30", None]))
    result = parse_dates(values)
    assert result.dtype == "datetime64[ns]"
    assert result.iloc[0] == JULY_12 and pd.isna(result.iloc[1])


def test_timezone_aware_input_keeps_its_local_date() -> None:
    values = pd.Series(pd.to_datetime(["2023-07-12 23:30"]).tz_localize("Asia/Jakarta"))
    assert parse_dates(values).iloc[0] == JULY_12


def test_empty_series() -> None:
    result = parse_dates(pd.Series([], dtype=object))
    assert result.empty and result.dtype == "datetime64[ns]"


def test_each_distinct_value_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = dates._parse_one

    def counting(value: object) -> object:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(dates, "_parse_one", counting)
    values = pd.Series(["12/07/2023", "13/07/2023", None] * 10_000, dtype=object)
    result = parse_dates(values)
    assert sorted(calls) == ["12/07/2023", "13/07/2023"]
    assert result.iloc[::3].eq(JULY_12).all() and result.iloc[2::3].isna().all()
