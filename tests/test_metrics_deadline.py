"""The promise ledger on the edges of a deadline (apart from test_metrics.py, which others edit meanwhile)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ovop_data import metrics

TODAY = date(2024, 1, 1)
TEMBALANG = "35.05.17.2005"

# (tanggal, tenggat) in days from TODAY (None: no tenggat) -> (terlambat, hari_terlambat)
DEADLINE_DAY = [
    (-30, 0, (False, None)),  # on its deadline day a promise is still on time
    (-30, -1, (True, 1)),  # the day after, one day late
    (-30, 1, (False, None)),
    (-90, None, (False, None)),  # the default deadline (tanggal + 90 days) is today
    (-91, None, (True, 1)),
]


@pytest.mark.parametrize(("tanggal", "tenggat", "expected"), DEADLINE_DAY)
def test_promise_on_its_deadline_day_is_not_overdue(tanggal, tenggat, expected):
    day = pd.Timestamp(TODAY)
    frame = pd.DataFrame(
        {
            "id_aspirasi": ["S"],
            "tanggal": [day + pd.Timedelta(days=tanggal)],
            "kode_desa": [TEMBALANG],
            "opd_penanggung_jawab": ["DPMD"],
            "status": ["Belum"],
            "tenggat": [pd.NaT if tenggat is None else day + pd.Timedelta(days=tenggat)],
        }
    )
    row = metrics.aspirasi_ledger(frame, today=TODAY).iloc[0]
    late = None if pd.isna(row["hari_terlambat"]) else int(row["hari_terlambat"])
    assert (bool(row["terlambat"]), late) == expected
