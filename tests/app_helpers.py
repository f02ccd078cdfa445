"""What an AppTest run shows, as text and tables, for the page tests."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

#: The sign-in form's submit button, as AppTest names it.
SUBMIT_SIGN_IN = "FormSubmitter:form_masuk-Masuk"
HALAMAN = Path(__file__).resolve().parent.parent / "halaman"
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


def markdown_tables(at) -> list[pd.DataFrame]:
    """The Markdown tables (escape.markdown_table) on the page, their cells as the reader sees them (unescaped)."""
    tables = []
    for element in at.markdown:
        lines = str(element.value).split("\n")
        if len(lines) < 2 or not lines[0].startswith("| ") or lines[1] != "|" + "---|" * (lines[0].count(" | ") + 1):
            continue
        rows = [[_as_read(cell) for cell in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines]
        tables.append(pd.DataFrame(rows[2:], columns=rows[0]))
    return tables


def _as_read(cell: str) -> str:
    """A Markdown table cell as the reader sees it: escapes, word joiners and no-break spaces undone."""
    return re.sub(r"\\(.)", r"\1", cell.strip()).replace("\u2060", "").replace("\u00a0", " ")


def shown_cells(element) -> pd.DataFrame:
    """A table's cells as the grid draws them: the Styler's texts where the page sent some (dated tables), else
    the values. `element.value` keeps the real values, which is what the grid sorts by."""
    import pyarrow as pa

    display = element.proto.arrow_data.styler.display_values
    if not display:
        return element.value.astype(str)
    return pa.ipc.open_stream(display).read_pandas()


def element_tree(at) -> list:
    """Every element of the main area, depth first."""
    out = []

    def walk(node):
        for child in getattr(node, "children", {}).values():
            out.append(child)
            walk(child)

    walk(at.main)
    return out


def element_order(at) -> list[str]:
    """Every element of the main area in the order it is drawn, as 'type' or 'type:key'."""
    out = []

    def walk(node):
        for child in getattr(node, "children", {}).values():
            kind = getattr(child, "type", "")
            key = getattr(child, "key", None)
            if kind and not getattr(child, "children", None):
                out.append(f"{kind}:{key}" if key else kind)
            walk(child)

    walk(at.main)
    return out


def sign_in(run_app, nama: str, sandi: str, page: str = "masuk"):
    """An AppTest after submitting the built-in sign-in form, then opened at `page`."""
    at = run_app(page="masuk")
    at.text_input(key="masuk_nama").input(nama)
    at.text_input(key="masuk_sandi").input(sandi)
    at.button(key=SUBMIT_SIGN_IN).click().run()
    assert not at.exception
    if page != "masuk":
        at.switch_page(str(HALAMAN / f"{page}.py")).run()
    assert not at.exception
    return at
