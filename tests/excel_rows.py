"""Reconciliation by Excel row: every input row is accepted or rejected, never both, never lost.

The validator computes ``accepted = rows_in - rejected``, so comparing those numbers proves nothing; these
helpers compare the sets of (file, sheet, Excel row) instead.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

Row = tuple[str, str, int]


def input_rows(raw_tables: Iterable, table: str) -> set[Row]:
    """The (file, sheet, Excel row) of every non-blank data row the loader located for `table`."""
    return {(raw.file, raw.sheet, int(row)) for raw in raw_tables if raw.table == table for row in raw.frame["baris"]}


def accepted_rows(clean: pd.DataFrame) -> set[Row]:
    """The (sumber, sheet, baris) of a clean table (a row naming several villages appears once)."""
    return {(f, s, int(r)) for f, s, r in clean[["sumber", "sheet", "baris"]].itertuples(index=False)}


def rejected_rows(rejected: pd.DataFrame, table: str) -> list[Row]:
    """The (file, sheet, row) of the rejected table for `table`, as a list so repeats can be seen."""
    mine = rejected[rejected["table"] == table]
    return [(f, s, int(r)) for f, s, r in mine[["file", "sheet", "row"]].itertuples(index=False)]


def assert_rows_reconcile(data, raw_tables: list) -> None:
    """Input rows = accepted rows ∪ rejected rows, disjoint; each rejected once; counts are those set sizes."""
    for table, counts in data.counts.items():
        given = input_rows(raw_tables, table)
        accepted = accepted_rows(getattr(data, table))
        rejected_list = rejected_rows(data.rejected, table)
        rejected = set(rejected_list)
        assert len(rejected_list) == len(rejected), f"{table}: a row is rejected twice"
        assert accepted.isdisjoint(rejected), f"{table}: accepted and rejected {sorted(accepted & rejected)}"
        assert accepted | rejected == given, (
            f"{table}: lost {sorted(given - accepted - rejected)}, invented {sorted((accepted | rejected) - given)}"
        )
        assert (counts["rows_in"], counts["accepted"], counts["rejected"]) == (
            len(given),
            len(accepted),
            len(rejected),
        )
        assert counts["blank"] == sum(raw.blank for raw in raw_tables if raw.table == table)
