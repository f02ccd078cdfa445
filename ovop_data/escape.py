"""The one way text from a workbook, a file name or a URL is made safe for where it is shown.

Why more than ``html.escape``: folium/branca compile every element's rendered
script once more as a Jinja template (``Element(script)``), and folium puts
tooltip and popup text into JavaScript template literals. So in HTML that goes
into a map, ``{``, ``}``, ``%`` and ``#`` (Jinja's delimiters), the backtick,
``$`` and the backslash are data too: each becomes a numeric character
reference, which the browser shows as the character itself. Text escaped here
contains no ``{`` at all, so no template engine can ever see an expression in
it, however many times it is rendered.

Markdown (Streamlit's ``st.markdown``, ``st.info``, widget labels…) is a second
place where text turns into links and images; `markdown_text` escapes every
character that opens Markdown syntax (list markers only at a line's start, so a
file name keeps its dots) and breaks bare web addresses, so
``[portal](http://…)`` or ``![x](…)`` show as the characters typed.
"""

from __future__ import annotations

import re

import pandas as pd

#: Characters that mean something to HTML, JavaScript template literals or Jinja, as character references.
_HTML = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#39;",
        "`": "&#96;",
        "$": "&#36;",
        "\\": "&#92;",
        "{": "&#123;",
        "}": "&#125;",
        "%": "&#37;",
        "#": "&#35;",
    }
)
#: Characters that start Markdown inline syntax (emphasis, code, links, images, HTML, tables, LaTeX, headings).
_MARKDOWN = re.compile(r"([\\`*_\[\]()<>!|~$#{}])")
#: At a line's start "-", "+", ">" and "1." / "1)" open lists and quotes.
_LINE_START = re.compile(r"^(\s*)([-+>]|\d+[.)])", re.M)
#: "www.", "://" and "@" start GFM's bare autolinks (web and mail); a word joiner after each breaks them.
_AUTOLINK = re.compile(r"(?i)www\.|://|@")
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
#: Longest piece of outside text echoed in a message (a 10,000-character URL value is cut here).
MESSAGE_CHARS = 80


def is_missing(value: object) -> bool:
    """None, NaN, NaT and pd.NA: shown as nothing."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def html_text(value: object) -> str:
    """Text safe inside HTML, inside a JavaScript template literal and inside a Jinja template ('' for NA)."""
    if is_missing(value):
        return ""
    return str(value).translate(_HTML)


def shortened(value: object, limit: int = MESSAGE_CHARS) -> str:
    """The text on one line, cut to `limit` characters with an ellipsis: outside text never fills a message."""
    text = _CONTROL.sub(" ", "" if is_missing(value) else str(value)).replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def markdown_text(value: object, limit: int | None = MESSAGE_CHARS) -> str:
    """Outside text for a Markdown-rendering element: every character literal, no link, no image, length-bound."""
    text = shortened(value, limit) if limit else ("" if is_missing(value) else str(value))
    escaped = _LINE_START.sub(
        lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], _MARKDOWN.sub(r"\\\1", text)
    )
    return _AUTOLINK.sub(lambda m: m.group(0) + "\u2060", escaped)


def markdown_table(frame: pd.DataFrame) -> str:
    """A Markdown table of `frame` for st.markdown: every cell one line of literal text (pipes and links escaped).

    Unlike st.table it needs no extra script in the browser, so a page's map is not held back by it.
    """

    def cell(value: object) -> str:
        return markdown_text("" if is_missing(value) else _LINE_BREAKS.sub(" ", str(value)), limit=None)

    lines = ["| " + " | ".join(cell(c) for c in frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def quoted(value: object, limit: int = MESSAGE_CHARS) -> str:
    """'value' for a message that will be shown as Markdown (bounded, every character literal)."""
    return f"'{markdown_text(value, limit)}'"


__all__ = ["MESSAGE_CHARS", "html_text", "is_missing", "markdown_table", "markdown_text", "quoted", "shortened"]
