"""What an AppTest run shows, as text and tables, for the page tests."""

from __future__ import annotations

import pandas as pd

_TEXT_KINDS = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")


def rendered_text(at) -> str:
    """Everything the run sent: readable texts, metrics, every table's cells and every element's raw message
    (component arguments such as a map's HTML included)."""
    parts = [str(e.value) for kind in _TEXT_KINDS for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [df.value.to_csv() for df in at.dataframe]

    def walk(node):
        yield str(getattr(node, "proto", ""))
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    parts += walk(at._tree)
    return "\n".join(parts)


def tables_starting(at, *columns: str) -> list[pd.DataFrame]:
    """The tables on the page whose first headers are these."""
    return [df.value for df in at.dataframe if tuple(df.value.columns[: len(columns)]) == columns]
