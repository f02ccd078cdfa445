"""Every page with AppTest: a date shown to people reads "12 Juli 2023", never 24/12/2024 or 2024-12-24."""

from __future__ import annotations

import re

import pytest
from app_helpers import rendered_text, shown_cells

from ovop_data.fmt import BULAN
from ovop_ui.tables import EMPTY_CELL

BALEREJO = "35.05.17.2009"
ONE_DATE = re.compile(rf"\d{{1,2}} (?:{'|'.join(BULAN)}) \d{{4}}(?: \d\d\.\d\d)?")
OTHER_STYLES = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
PAGES = [
    ("ringkasan", {}),
    ("produk", {}),
    ("kunjungan", {}),
    ("kesenjangan", {}),
    ("profil_desa", {"desa": BALEREJO}),
    ("data", {}),
]


@pytest.mark.parametrize(("page", "params"), PAGES, ids=[p for p, _ in PAGES])
def test_table_dates_read_day_month_name_year(run_app, page, params):
    at = run_app(page=page, params=params)
    assert not at.exception
    dated = 0
    for table in at.dataframe:
        shown = shown_cells(table)
        for name in table.value.columns:
            if table.value[name].dtype.kind != "M":
                continue
            dated += 1
            texts = shown[name]
            bad = texts[~(texts.str.fullmatch(ONE_DATE.pattern) | texts.eq(EMPTY_CELL))]
            assert bad.empty, f"{page}: column {name}: {bad.head().tolist()}"
    if page in ("kunjungan", "kesenjangan", "profil_desa"):
        assert dated, f"{page} shows no dated table: the check above checked nothing"


@pytest.mark.parametrize(("page", "params"), PAGES[:-1], ids=[p for p, _ in PAGES[:-1]])
def test_no_other_date_style_in_texts_cards_or_tables(run_app, page, params):
    """The Data page is left out: it quotes rejected cells as staff typed them ("31/02/2023")."""
    at = run_app(page=page, params=params)
    texts = [str(e.value) for kind in ("title", "caption", "markdown", "info", "warning") for e in getattr(at, kind)]
    texts += [f"{m.label} {m.value} {m.proto.delta}" for m in at.metric]
    texts += [shown_cells(t).to_csv() for t in at.dataframe]
    texts += [t.value.to_csv() for t in at.table]
    found = [m.group() for text in texts for m in OTHER_STYLES.finditer(text)]
    assert not found, f"{page}: {found[:5]}"
    assert ONE_DATE.search(rendered_text(at)), f"{page} shows no date at all"
