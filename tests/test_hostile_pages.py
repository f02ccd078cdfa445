"""Every page on the hostile-text workbook (AppTest): the literal text is shown, nothing evaluates or links.

The corpus (tests/hostile_text.py) puts template syntax, HTML, script, template literals, Markdown links and
images, spreadsheet formulas and personal data into every free-text cell, header, sheet name and the file
name. A Markdown-rendering element may carry such text only escaped, so the outside host never appears in
one verbatim; a map carries it only as character references; no phone number or e-mail is shown anywhere.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from app_helpers import rendered_text
from hostile_text import CANARY_DIR_NAME, EMAIL, EVALUATED, EVIL_HOST, PHONE, write_hostile_workbook

PAGES = [
    ("ringkasan", {}),
    ("peta", {}),
    ("produk", {}),
    ("kunjungan", {}),
    ("kesenjangan", {}),
    ("profil_desa", {"desa": "35.05.17.2009"}),
    ("data", {}),
]
#: Markdown that would make a link, an image or a bare autolink (escaped forms have a backslash or word joiner).
LIVE_MARKDOWN = re.compile(
    r"(?<!\\)\]\(|(?<!\\)!\[|(?<!\\):red\[|(?<!\\)<img|://" + re.escape(EVIL_HOST) + "|www\\." + re.escape(EVIL_HOST)
)
#: Profil Desa's printable sheet (briefing.village_briefing_sheet), given to st.markdown as raw HTML.
PRINT_SHEET = '<main class="sheet">'
_MARKDOWN_KINDS = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")


@pytest.fixture(scope="module")
def hostile_data(app_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory):
    """The dashboard's data folder holding only the hostile workbook (boundaries as in app_env)."""
    folder = tmp_path_factory.mktemp("hostile")
    canary = folder / CANARY_DIR_NAME
    write_hostile_workbook(folder, canary)
    saved = os.environ["OVOP_DATA_DIR"]
    os.environ["OVOP_DATA_DIR"] = str(folder)
    yield canary
    os.environ["OVOP_DATA_DIR"] = saved


def markdown_sources(at) -> list[str]:
    """The Markdown source of every element that renders Markdown (texts, alerts, expander and tab labels)."""
    sources = [str(e.value) for kind in _MARKDOWN_KINDS for e in getattr(at, kind)]
    sources += [e.label for e in at.expander] + [e.label for e in at.tabs]
    return sources


@pytest.mark.parametrize(("page", "params"), PAGES, ids=[p for p, _ in PAGES])
def test_page_shows_hostile_text_as_text(run_app, hostile_data: Path, page: str, params: dict) -> None:
    at = run_app(page=page, params=params)
    assert not at.exception, at.exception
    text = rendered_text(at)
    assert EVALUATED not in text
    assert not hostile_data.exists(), "a template expression from the workbook ran on the server"
    for source in markdown_sources(at):
        if source.startswith(PRINT_SHEET):
            # The printable profile: one raw HTML block (no blank line ends it), its data escaped as HTML.
            assert "\n\n" not in source and "<img src=x" not in source and "<script>alert" not in source
            assert "&lt;img src=x onerror=alert(1)&gt;" in source or "&lt;script&gt;" in source
        elif source.startswith("<svg ") and "\n" in source:
            # A chart (charts.*_svg): the open tag alone on the first line makes it one raw HTML block, so no
            # Markdown is read inside it; its data is escaped as HTML. (An SVG on one line is a Markdown
            # paragraph: it gets the check below.)
            first, rest = source.split("\n")
            assert re.fullmatch(r"<svg [^<>]*>", first) and rest.endswith("</svg>")
            assert "<img src=x" not in source and "<script>alert" not in source and "{{" not in source
        else:
            assert not LIVE_MARKDOWN.search(source), source
    assert PHONE not in text and EMAIL not in text


def test_hostile_text_reaches_tables_literally(run_app, hostile_data: Path) -> None:
    at = run_app(page="produk")
    names = {v for df in at.dataframe if "Nama Produk" in df.value.columns for v in df.value["Nama Produk"]}
    assert {"Kopi {{ 7*7 }}", "Nasi {% hemat", "<img src=x onerror=alert(1)>"} <= names
    assert not any("No WA" in c or "Catatan" in c for df in at.dataframe for c in df.value.columns)


def test_map_carries_hostile_text_only_as_character_references(run_app, hostile_data: Path) -> None:
    at = run_app(page="peta")
    text = rendered_text(at)
    # The product popup: character references (JSON-encoded again inside the component's arguments).
    assert re.search(r"Kopi (?:&|\\+u0026)#123;(?:&|\\+u0026)#123; 7\*7", text)
    assert "Kopi {{" not in text
    assert "onerror=alert(1)>" not in text and "${alert(4)}" not in text


def test_data_page_reports_rejected_hostile_villages(run_app, hostile_data: Path) -> None:
    at = run_app(page="data")
    text = rendered_text(at)
    assert "desa_tidak_dikenal" in text or "tidak dikenal" in text
    assert EVALUATED not in text and PHONE not in text


@pytest.mark.parametrize(
    "params",
    [
        {"kecamatan": f"[portal](http://{EVIL_HOST}/x)"},
        {"kategori": f"![x](http://{EVIL_HOST}/t.png)"},
        {"kecamatan": [f"[{i}](http://{EVIL_HOST})" for i in range(300)]},
        {"kecamatan": "x" * 10_000},
        {"dari": f"www.{EVIL_HOST}"},
    ],
    ids=["link", "image", "300-values", "10000-chars", "date"],
)
def test_url_values_are_echoed_as_bounded_text(run_app, params: dict) -> None:
    at = run_app(params=params)
    assert not at.exception
    notes = [e.value for e in at.sidebar.info]
    assert len(notes) == 1
    assert len(notes[0]) < 400
    assert not LIVE_MARKDOWN.search(notes[0]) and "x" * 100 not in notes[0]


def test_unknown_desa_in_the_url_is_text_in_the_main_area(run_app) -> None:
    at = run_app(page="profil_desa", params={"desa": f"[Unduh data](http://{EVIL_HOST}/a.xlsx)"})
    assert not at.exception
    for source in markdown_sources(at):
        assert not LIVE_MARKDOWN.search(source), source
    assert any("Unduh data" in w.value for w in at.warning)


def test_a_typed_producer_kind_in_the_filter_caption_is_text(run_app, hostile_data: Path) -> None:
    # jenis_pelaku outside the vocabulary is kept as typed, and a link may pick it: ?pelaku=<that text>.
    typed = f"[Portal resmi](http://{EVIL_HOST}/masuk)"
    at = run_app(page="produk", params={"pelaku": typed})
    assert not at.exception
    captions = [c.value for c in at.caption if "Saringan" in c.value]
    assert captions and "Portal resmi" in captions[0]
    for source in markdown_sources(at):
        assert not LIVE_MARKDOWN.search(source), source
