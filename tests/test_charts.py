"""Figure builders on tables small enough to count by hand: the right bars, cells, labels and colours."""

from __future__ import annotations

import html
import re
from datetime import date

import pandas as pd
import pytest

from ovop_data import charts, metrics, vocab

WLINGI, TALUN = "35.05.17", "35.05.09"


@pytest.fixture
def produk() -> pd.DataFrame:
    rows = [
        # P1 is one product of two Wlingi villages: counted once per kecamatan and category.
        ("P1", "Kopi A", "35.05.17.2005", WLINGI, "Wlingi", "Minuman", True, "NIB; P-IRT", "lokal; daring"),
        ("P1", "Kopi A", "35.05.17.2007", WLINGI, "Wlingi", "Minuman", True, "NIB; P-IRT", "lokal; daring"),
        ("P2", "Keripik", "35.05.17.2009", WLINGI, "Wlingi", "Makanan olahan", True, "", "regional"),
        ("P3", "Jenang", "35.05.09.2001", TALUN, "Talun", "Makanan olahan", False, "Halal", ""),
        (
            "P4",
            "Batik",
            "35.05.09.2002",
            TALUN,
            "Talun",
            "Fesyen & tekstil",
            True,
            "NIB; BPOM; Halal; Label komposisi",
            "ekspor; nasional",
        ),
        ("P5", "Madu", "35.05.09.2002", TALUN, "Talun", "Hasil tani/ternak/ikan", True, "NIB", "daring"),
    ]
    columns = [
        "id_produk",
        "nama_produk",
        "kode_desa",
        "kode_kecamatan",
        "kecamatan",
        "kategori",
        "unggulan",
        "legalitas",
        "pemasaran",
    ]
    return pd.DataFrame(rows, columns=columns).assign(pelaku_usaha="", desa="")


@pytest.fixture
def ledger() -> pd.DataFrame:
    rows = [
        ("A1", "2024-01-05", "35.05.17.2005", "Disperindag", "Selesai", "2024-02-01"),
        ("A2", "2024-01-05", "35.05.17.2005", "Disperindag", "Belum", None),  # default deadline 4 Apr: overdue
        ("A3", "2024-06-01", "35.05.09.2001", "Disperindag", "Proses", "2025-06-01"),
        ("A4", "2024-06-01", "35.05.09.2001", "DPMD", "Selesai", None),
    ]
    frame = pd.DataFrame(
        rows, columns=["id_aspirasi", "tanggal", "kode_desa", "opd_penanggung_jawab", "status", "tenggat"]
    )
    frame = frame.assign(tanggal=pd.to_datetime(frame["tanggal"]), tenggat=pd.to_datetime(frame["tenggat"]))
    return metrics.aspirasi_ledger(frame, today=date(2024, 12, 31))


def test_every_figure_has_an_indonesian_title_and_number_format(produk, ledger):
    figures = [
        charts.produk_per_kategori(produk),
        charts.produk_kategori_kecamatan(produk),
        charts.tangga_legalitas(produk),
        charts.jangkauan_pemasaran(produk),
        charts.aspirasi_per_opd(ledger),
        charts.aspirasi_per_status(ledger),
    ]
    for fig in figures:
        assert fig.layout.title.text
        assert fig.layout.separators == ",."


def test_heatmap_counts_distinct_products_per_kecamatan_and_category(produk):
    fig = charts.produk_kategori_kecamatan(produk, kecamatan=["Bakung", "Talun", "Wlingi"])
    heat = fig.data[0]
    # Rows in the given order from the top (plotly draws bottom-up), so the y list is reversed.
    assert list(heat.y) == ["Wlingi", "Talun", "Bakung"]
    assert list(heat.x) == ["Minuman", "Fesyen & tekstil", "Makanan olahan", "Hasil tani/ternak/ikan"]
    grid = pd.DataFrame(heat.z, index=heat.y, columns=heat.x)
    assert grid.loc["Wlingi", "Minuman"] == 1  # P1 in two villages, one product
    assert grid.loc["Talun", "Makanan olahan"] == 1
    assert grid.loc["Bakung"].sum() == 0  # asked for, no products: an empty row, not a missing one
    assert heat.text[0][0] == "1" and heat.text[2][0] == ""  # zero cells carry no label


def test_legality_ladder_counts_rungs_climbed_in_order(produk):
    bars = charts.tangga_legalitas(produk).data[0]
    counts = dict(zip(bars.y, bars.x, strict=True))
    assert list(counts) == [
        "Tidak tercatat",
        "0 · belum NIB",
        "1 · NIB",
        "2 · + P-IRT/BPOM",
        "3 · + Halal",
        "4 · + Label komposisi",
    ]
    # P2's blank cell is not recorded (no rung); P3 Halal-without-NIB is rung 0; P5 NIB; P1 NIB+P-IRT; P4 all.
    assert list(counts.values()) == [1, 1, 1, 1, 0, 1]
    assert "Legalitas tercatat untuk 4 dari 5 produk" in charts.tangga_legalitas(produk).layout.title.text


def test_legality_ladder_of_products_without_legality_says_not_recorded(produk):
    """No legality column: every product is 'Tidak tercatat', none is 'belum NIB'."""
    bars = charts.tangga_legalitas(produk.drop(columns="legalitas").assign(legalitas="")).data[0]
    counts = dict(zip(bars.y, bars.x, strict=True))
    assert counts["Tidak tercatat"] == 5 and counts["0 · belum NIB"] == 0


def test_legality_ladder_counts_an_explicit_none_as_belum_nib(produk):
    """Validation keeps whether the cell had a value: "belum ada" (emptied) is a fact, rung 0."""
    flagged = produk.assign(tercatat_legalitas=True)
    counts = dict(zip(*(lambda b: (b.y, b.x))(charts.tangga_legalitas(flagged).data[0]), strict=True))
    assert "Tidak tercatat" not in counts and counts["0 · belum NIB"] == 2
    assert "tercatat untuk" not in charts.tangga_legalitas(flagged).layout.title.text


def test_market_reach_takes_each_products_furthest_market(produk):
    fig = charts.jangkauan_pemasaran(produk)
    counts = dict(zip(fig.data[0].x, fig.data[0].y, strict=True))
    assert counts == {"Belum tercatat": 1, "Hanya daring": 1, "Lokal": 1, "Regional": 1, "Nasional": 0, "Ekspor": 1}
    assert "2 dari 5 produk juga dipasarkan daring" in fig.layout.title.text


def test_market_reach_leaves_out_empty_no_reach_bars(produk):
    reached = produk[produk["pemasaran"].str.contains("lokal|regional|ekspor")]
    assert list(charts.jangkauan_pemasaran(reached).data[0].x) == ["Lokal", "Regional", "Nasional", "Ekspor"]


def test_month_axis_is_in_indonesian():
    days = pd.to_datetime(["2023-06-03", "2023-08-10", "2023-08-20", "2023-10-01"])
    kunjungan = pd.DataFrame(
        {"id_kunjungan": ["K1", "K2", "K3", "K4"], "tanggal": days, "kode_desa": ["A", "B", "B", "C"]}
    )
    fig = charts.kunjungan_per_bulan(kunjungan)
    assert list(fig.data[0].y) == [1, 0, 2, 0, 1]  # empty months filled with zero
    assert list(fig.layout.xaxis.ticktext) == [
        "Jun<br>2023",
        "Jul<br>2023",
        "Agu<br>2023",
        "Sep<br>2023",
        "Okt<br>2023",
    ]
    assert "%b" not in fig.data[0].hovertemplate  # plotly's %b would print English month names
    assert fig.data[0].customdata[2][0] == "Agustus 2023"  # the hover names the month in full


def test_month_axis_thins_ticks_on_long_timelines():
    days = pd.date_range("2021-01-01", "2024-12-01", freq="MS")
    kunjungan = pd.DataFrame({"id_kunjungan": [f"K{i}" for i in range(len(days))], "tanggal": days, "kode_desa": "A"})
    ticks = charts.kunjungan_per_bulan(kunjungan).layout.xaxis.ticktext
    assert 4 <= len(ticks) <= 12
    assert ticks[0] == "Jan<br>2021"


def test_promises_per_opd_stack_the_three_statuses(ledger):
    fig = charts.aspirasi_per_opd(ledger)
    assert [t.name for t in fig.data] == ["Selesai", "Proses", "Belum"]
    assert list(fig.data[0].y) == ["Disperindag", "DPMD"]  # most-loaded first
    assert list(fig.data[0].x) == [1, 1] and list(fig.data[2].x) == [1, 0]
    notes = [a.text for a in fig.layout.annotations]
    assert notes == ["33,3% selesai<br>1 terlambat", "100,0% selesai"]  # two short lines: room on a phone
    assert fig.layout.barmode == "stack"


def test_status_chart_hatches_the_overdue_part(ledger):
    fig = charts.aspirasi_per_status(ledger)
    on_time, late = fig.data[0], fig.data[1]
    assert list(on_time.x) == ["Belum", "Proses", "Selesai"]
    assert list(late.y) == [1, 0, 0] and list(on_time.y) == [0, 1, 2]
    assert late.marker.pattern.shape == "/"
    assert [t.name for t in fig.data if t.showlegend is not False] == ["arsiran = lewat tenggat"]


def test_status_colours_are_okabe_ito():
    assert charts.STATUS_COLOURS == {"Belum": "#E69F00", "Proses": "#56B4E9", "Selesai": "#009E73"}


def test_kecamatan_ranked_by_coverage_best_on_top():
    summary = pd.DataFrame(
        {
            "kecamatan": ["Talun", "Wlingi", "Bakung"],
            "desa_total": [4, 2, 5],
            "desa_dengan_produk_unggulan": [1, 2, 1],
            "persen_produk_unggulan": [25.0, 100.0, 20.0],
            "desa_dikunjungi": [2, 1, 0],
            "persen_dikunjungi": [50.0, 50.0, 0.0],
        }
    )
    fig = charts.cakupan_kecamatan(summary)
    assert list(fig.data[0].y) == ["Wlingi", "Talun", "Bakung"]
    assert list(fig.data[0].text) == ["100,0%", "25,0%", "20,0%"]
    assert list(fig.data[1].text) == ["50,0%", "50,0%", "0,0%"]  # a zero bar still says 0,0%
    assert fig.layout.yaxis.autorange == "reversed"


def test_builders_accept_empty_tables(produk, ledger):
    none = produk.iloc[0:0]
    assert list(charts.produk_kategori_kecamatan(none, kecamatan=["Talun"]).data[0].y) == ["Talun"]
    assert charts.tangga_legalitas(none).data[0].x.sum() == 0
    assert list(charts.aspirasi_per_opd(ledger.iloc[0:0]).data[0].y) == []
    empty_visits = pd.DataFrame({"id_kunjungan": [], "tanggal": pd.to_datetime([]), "kode_desa": []})
    assert len(charts.kunjungan_per_bulan(empty_visits).data[0].x) == 0


def test_builders_never_mutate_their_input(produk, ledger):
    before_p, before_l = produk.copy(), ledger.copy()
    charts.produk_kategori_kecamatan(produk)
    charts.jangkauan_pemasaran(produk)
    charts.aspirasi_per_opd(ledger)
    pd.testing.assert_frame_equal(produk, before_p)
    pd.testing.assert_frame_equal(ledger, before_l)


def test_opd_names_typed_by_staff_reach_plotly_as_text(ledger):
    # plotly renders <a href>, <b> and <span style> in labels and hovers: a typed OPD name must not.
    hostile = "<a href='https:evil.example'>Dinas</a> {{ 7*7 }}"
    fig = charts.aspirasi_per_opd(ledger.assign(opd_penanggung_jawab=hostile))
    assert list(fig.data[0].y) == [
        "&lt;a href=&#39;https:evil.example&#39;&gt;Dinas&lt;/a&gt; &#123;&#123; 7*7 &#125;&#125;"
    ]
    assert "<a href" not in fig.to_json() and "{{" not in fig.to_json()


def test_promises_per_opd_one_bar_per_owner_whatever_the_spelling(ledger):
    # The agencies' meeting chart once drew 13 bars for 5 real owners.
    typed = [
        "Dinkop UM",
        "Dinas Koperasi dan Usaha Mikro",
        "Dinas Koperasi dan Usaha Mikro (Bu Sri)",
        "Disperindag",
        "Dinas Perindustrian dan Perdagangan (Pak Hadi)",
        "DPMPTSP",
        "Dinkes",
        "Dinas Kesehatan",
        "BRI",
        "Bank BRI Unit Wlingi",
        "OPD terkait",
        "Kepala OPD",
        "beberapa OPD terkait (Dinkop, Disperindag)",
    ]
    stored = ["; ".join(label for label, _ in vocab.opd_owners(t)) for t in typed]
    rows = ledger.iloc[[0] * len(typed)].reset_index(drop=True)
    rows = rows.assign(id_aspirasi=[f"X{i}" for i in range(len(typed))], opd_penanggung_jawab=stored)
    fig = charts.aspirasi_per_opd(rows)
    assert sorted(fig.data[0].y) == sorted(
        [
            "Dinas Koperasi dan Usaha Mikro",
            "Dinas Perindustrian dan Perdagangan",
            "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
            "Dinas Kesehatan",
            "Bank Rakyat Indonesia",
            metrics.TANPA_OPD,
        ]
    )


def test_a_shared_late_promise_reads_as_a_fraction(ledger):
    shared = ledger.assign(opd_penanggung_jawab="Disperindag; DPMD")
    notes = [a.text for a in charts.aspirasi_per_opd(shared.iloc[[1]]).layout.annotations]
    assert notes == ["0,0% selesai<br>0,5 terlambat"] * 2


def test_kategori_svg_draws_the_same_bars_as_the_chart(produk):
    svg = charts.produk_per_kategori_svg(produk)
    table = metrics.produk_by_kategori(produk)
    rows = re.findall(r'<text x="[\d.]+" y="[\d.]+" font-size="13" text-anchor="end">([^<]+)</text>', svg)
    counts = re.findall(r'<text x="[\d.]+" y="[\d.]+" font-size="13">([^<]+)</text>', svg)
    assert [html.unescape(r) for r in rows] == list(table["kategori"]) and counts == [str(n) for n in table["produk"]]
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths == sorted(widths, reverse=True) and widths[0] > 0  # longest bar for the largest count
    assert "\n" not in svg  # one raw HTML block for st.markdown


def test_kategori_svg_escapes_a_typed_category(produk):
    attack = "<img src=x onerror=alert(1)>{{ 7*7 }}"
    svg = charts.produk_per_kategori_svg(produk.assign(kategori=attack))
    assert "<img" not in svg and "{{" not in svg and "&lt;img src=x onerror=alert(1)&gt;&#123;&#123;" in svg
