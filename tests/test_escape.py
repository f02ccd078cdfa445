"""The one escaping path: text from a workbook, file name or URL never becomes HTML, script, template or Markdown."""

from __future__ import annotations

import re

import jinja2
import pandas as pd
import pytest
from hostile_text import EVALUATED, EVALUATES, EVIL_HOST, hostile_texts

from ovop_data.escape import MESSAGE_CHARS, html_text, markdown_table, markdown_text, shortened


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("Kopi `Lereng` ${x} \\n", "Kopi &#96;Lereng&#96; &#36;&#123;x&#125; &#92;n"),
        ("\"Tahu\" & 'Tempe'", "&quot;Tahu&quot; &amp; &#39;Tempe&#39;"),
        ("Kopi {{ 7*7 }}", "Kopi &#123;&#123; 7*7 &#125;&#125;"),
        ("Nasi {% hemat", "Nasi &#123;&#37; hemat"),
        ("# {# x #}", "&#35; &#123;&#35; x &#35;&#125;"),
        (None, ""),
        (float("nan"), ""),
        (3, "3"),
    ],
)
def test_html_text(text: object, expected: str) -> None:
    assert html_text(text) == expected


@pytest.mark.parametrize("text", hostile_texts(canary="/nonexistent/ovop_canary"))
def test_escaped_text_survives_any_number_of_template_renders(text: str) -> None:
    escaped = html_text(text)
    assert "{" not in escaped and "<" not in escaped and "`" not in escaped and "$" not in escaped
    env = jinja2.Environment()
    once = env.from_string(escaped).render()
    assert env.from_string(once).render() == escaped  # branca renders a map's scripts twice


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        (f"[portal](http://{EVIL_HOST}/x)", "](http"),
        (f"![x](http://{EVIL_HOST}/t.png)", "!["),
        (f"www.{EVIL_HOST}", f"www.{EVIL_HOST}"),
        (f"http://{EVIL_HOST}", f"://{EVIL_HOST}"),
        (f"x@{EVIL_HOST}", f"@{EVIL_HOST}"),
        (":red[merah]", ":red["),
        ("**tebal**", "**"),
        ("<b>x</b>", "<b>"),
    ],
)
def test_markdown_text_leaves_nothing_markdown_could_act_on(text: str, forbidden: str) -> None:
    assert forbidden not in markdown_text(text)


def test_markdown_text_is_bounded_and_on_one_line() -> None:
    long = "x" * 10_000
    assert len(markdown_text(long)) == MESSAGE_CHARS
    assert shortened("a\nb\rc\x00d") == "a b c d"
    assert markdown_text("Kopi [A]", limit=None) == "Kopi \\[A\\]"
    assert markdown_text("produk_2024.xlsx") == "produk\\_2024.xlsx"  # dots stay: a file name reads as typed
    assert markdown_text("1. satu\n- dua") == "1\\. satu - dua"
    assert markdown_text("$x^2$") == "\\$x^2\\$"  # LaTeX in Streamlit's Markdown: every dollar escaped


def test_evaluated_marker_is_what_jinja_would_make_of_the_corpus() -> None:
    # The hostile corpus's own premise: unescaped, this text does evaluate.
    assert jinja2.Environment().from_string(EVALUATES).render() == EVALUATED


def test_markdown_table_keeps_every_cell_on_its_row_and_literal() -> None:
    frame = pd.DataFrame(
        {"Desa": ["Balerejo (Wlingi)", f"[x](http://{EVIL_HOST}) | kolom"], "Alasan": ["dua\nbaris", None]}
    )
    table = markdown_table(frame)
    lines = table.split("\n")
    assert lines[:2] == ["| Desa | Alasan |", "|---|---|"]
    assert len(lines) == 4  # a newline in a cell never starts a new row
    cells = [re.split(r"(?<!\\)\|", line)[1:-1] for line in lines[2:]]
    assert all(len(row) == 2 for row in cells)  # a typed pipe never makes a column
    assert cells[0] == [" Balerejo \\(Wlingi\\) ", " dua baris "]
    assert "](http" not in table and f"://{EVIL_HOST}" not in table
