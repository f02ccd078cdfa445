"""Profil Desa with AppTest: ?desa= opens the village, the select box writes it back, unknown codes are noted."""

from __future__ import annotations

import datetime
import json

from app_helpers import element_tree, rendered_text, shown_cells

BALEREJO = "35.05.17.2009"


def test_desa_from_the_url_opens_its_profile(run_app) -> None:
    at = run_app(page="profil_desa", params={"desa": BALEREJO})
    assert not at.exception
    assert at.title[0].value == "Profil Desa Balerejo"
    assert at.selectbox(key="pilih_desa").value == BALEREJO
    produk, kunjungan, aspirasi = (table.value for table in at.dataframe)
    assert "Kopi Tuan Galang" in set(produk["Produk"])
    assert [d.date() for d in kunjungan["Tanggal"]] == [datetime.date(2023, 7, 12)]
    assert set(aspirasi["Status"]) == {"Proses · terlambat 448 hari", "Selesai"}
    assert any("ke-5 dari 9 desa di Kecamatan Wlingi" in m.value for m in at.markdown)


def test_the_map_shows_the_kecamatan_and_outlines_the_village(run_app) -> None:
    at = run_app(page="profil_desa", params={"desa": BALEREJO})
    (component,) = at.get("component_instance")
    args = json.loads(component.proto.json_args)
    assert args["returned_objects"] == []
    assert "Desa terpilih" in args["script"]  # maps' highlight layer


def test_choosing_in_the_select_box_writes_the_url(run_app) -> None:
    at = run_app(page="profil_desa", state={"pilih_desa": BALEREJO})
    assert not at.exception
    assert at.title[0].value == "Profil Desa Balerejo"
    assert at.query_params["desa"] == BALEREJO


def test_unknown_desa_gives_a_note_and_the_select_box(run_app) -> None:
    at = run_app(page="profil_desa", params={"desa": "35.05.99.9999"})
    assert not at.exception
    notes = [n.value for n in (*at.info, *at.warning, *at.sidebar.info)]
    assert any("35.05.99.9999" in n and "tidak dikenal" in n for n in notes)
    assert at.selectbox(key="pilih_desa").value is None
    assert at.title[0].value == "Profil desa"
    assert "desa" not in at.query_params


def test_offline_briefing_is_offered_for_download(run_app) -> None:
    at = run_app(page="profil_desa", params={"desa": BALEREJO})
    (button,) = at.get("download_button")
    assert button.proto.label.startswith("Unduh profil")


def test_print_css_hides_the_sidebar(run_app) -> None:
    at = run_app(page="profil_desa", params={"desa": BALEREJO})
    css = next(m.value for m in at.markdown if "@media print" in m.value)
    assert '[data-testid="stSidebar"]' in css and "A4" in css


def test_no_contact_number_is_rendered(run_app) -> None:
    text = rendered_text(run_app(page="profil_desa", params={"desa": BALEREJO}))
    assert "KWT Balerejo" in text  # the check reads dataframe cells
    assert "0812-0000" not in text


def test_village_without_data_says_so(run_app) -> None:
    at = run_app(page="profil_desa", params={"desa": "35.05.17.1001"})  # Beru: no product, never visited
    assert not at.exception
    assert at.title[0].value == "Profil Kelurahan Beru"
    captions = {c.value for c in at.caption}
    assert {"Belum ada produk tercatat.", "Belum pernah dikunjungi.", "Belum ada aspirasi tercatat."} <= captions
    assert len(at.dataframe) == 0


def test_cards_say_in_words_what_each_number_counts(run_app) -> None:
    at = run_app(page="profil_desa", params={"desa": BALEREJO})
    cards = {m.label: (m.value, m.proto.delta) for m in at.metric}
    produk = next(t.value for t in at.dataframe if "Produk" in t.value.columns)
    assert cards["Produk"] == (str(len(produk)), f"{int(produk['Unggulan'].sum())} unggulan")
    assert cards["Kunjungan"] == ("1", "terakhir 12 Juli 2023")
    assert cards["Aspirasi terbuka"] == ("1", "1 terlambat")
    assert not [value for value, _ in cards.values() if "(" in value]  # never "4 (4)"
    assert all(m.proto.help for m in at.metric)


def test_dates_read_12_juli_2023_and_still_sort_as_dates(run_app) -> None:
    at = run_app(page="profil_desa", params={"desa": BALEREJO})
    _, kunjungan, aspirasi = at.dataframe
    assert shown_cells(kunjungan)["Tanggal"].tolist() == ["12 Juli 2023"]
    assert kunjungan.value["Tanggal"].dtype.kind == "M"  # the grid sorts by the date, not by the text
    tenggat = shown_cells(aspirasi)["Tenggat"]
    assert tenggat.str.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}").all(), tenggat.tolist()
    assert not shown_cells(aspirasi).apply(lambda c: c.str.contains(r"\d/\d")).any().any()


def test_the_priority_bars_are_inline_svg_not_plotly(run_app) -> None:
    """plotly.js (4.7 MB), parsed beside the village map, held the map back; the sheet's SVG bars show instead."""
    at = run_app(page="profil_desa", params={"desa": BALEREJO})
    assert "plotly_chart" not in {getattr(node, "type", "") for node in element_tree(at)}
    (bars,) = [m.value for m in at.markdown if str(m.value).startswith("<svg")]
    assert 'aria-label="Prioritas kunjungan di Kecamatan Wlingi"' in bars and "▶ Balerejo" in bars
    assert 'width="100%"' in bars
    # One HTML block, never a Markdown paragraph: the opening tag alone on the first line, no blank line after.
    first, rest = bars.split("\n", 1)
    assert first.startswith("<svg") and first.endswith(">") and first.count(">") == 1 and "\n\n" not in rest
