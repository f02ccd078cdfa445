"""Figure builders on tables small enough to count by hand: the right bars, cells, labels and colours."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
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


def test_builders_never_mutate_their_input(produk, ledger):
    before_p, before_l = produk.copy(), ledger.copy()
    charts.produk_kategori_kecamatan(produk)
    charts.jangkauan_pemasaran(produk)
    charts.aspirasi_per_opd_svg(ledger)
    charts.aspirasi_per_status_svg(ledger)
    pd.testing.assert_frame_equal(produk, before_p)
    pd.testing.assert_frame_equal(ledger, before_l)


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
    assert sorted(opd_rows(charts.aspirasi_per_opd_svg(rows))) == sorted(
        [
            "Dinas Koperasi dan Usaha Mikro",
            "Dinas Perindustrian dan Perdagangan",
            "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
            "Dinas Kesehatan",
            "Bank Rakyat Indonesia",
            metrics.TANPA_OPD,
        ]
    )


def test_kategori_svg_draws_the_same_bars_as_the_chart(produk):
    svg = charts.produk_per_kategori_svg(produk)
    table = metrics.produk_by_kategori(produk)
    rows = re.findall(r'<text x="[\d.]+" y="[\d.]+" font-size="13" text-anchor="end">([^<]+)</text>', svg)
    counts = re.findall(r'<text x="[\d.]+" y="[\d.]+" font-size="13">([^<]+)</text>', svg)
    assert [html.unescape(r) for r in rows] == list(table["kategori"]) and counts == [str(n) for n in table["produk"]]
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths == sorted(widths, reverse=True) and widths[0] > 0  # longest bar for the largest count
    parsed(svg)


def test_kategori_svg_escapes_a_typed_category(produk):
    attack = "<img src=x onerror=alert(1)>{{ 7*7 }}"
    svg = charts.produk_per_kategori_svg(produk.assign(kategori=attack))
    assert "<img" not in svg and "{{" not in svg and "&lt;img src=x onerror=alert(1)&gt;&#123;&#123;" in svg


# ---------------------------------------------------------------- the Kunjungan page's SVG charts

SVG = "{http://www.w3.org/2000/svg}"
#: Every element the SVG builders write: anything else (a <script>, an <img>) came from data.
SVG_ELEMENTS = {"svg", "defs", "pattern", "g", "title", "text", "rect", "line"}


def parsed(svg: str) -> ET.Element:
    """The SVG as a tree (so well-formed), after the checks every builder's output must pass."""
    # One raw HTML block for st.markdown: the open tag alone on the first line, then no line break at all.
    first, rest = svg.split("\n")
    assert re.fullmatch(r"<svg [^<>]*>", first) and rest.endswith("</svg>")
    root = ET.fromstring(svg)
    assert {e.tag.removeprefix(SVG) for e in root.iter()} <= SVG_ELEMENTS
    return root


def groups(root: ET.Element) -> list[ET.Element]:
    """One <g> per bar (or per OPD row), in drawing order."""
    return root.findall(f"{SVG}g")


def hover(group: ET.Element) -> str:
    return group.find(f"{SVG}title").text


def texts(element: ET.Element, **attributes: str | None) -> list[str]:
    """The text of the <text> children with these attributes (names with '_' for '-'; None: without it)."""
    wanted = {k.replace("_", "-"): v for k, v in attributes.items()}
    return [t.text for t in element.findall(f"{SVG}text") if all(t.get(k) == v for k, v in wanted.items())]


def opd_rows(svg: str) -> list[str]:
    """The OPD of each row of the OPD chart, top to bottom (from each row's hover)."""
    return [hover(g).rsplit(": ", 1)[0] for g in groups(parsed(svg))]


def visits(days: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {"id_kunjungan": [f"K{i}" for i in range(len(days))], "tanggal": pd.to_datetime(days), "kode_desa": "A"}
    )


def test_month_svg_draws_a_bar_per_month_with_its_count():
    kunjungan = visits(["2023-06-03", "2023-08-10", "2023-08-20", "2023-10-01"]).assign(kode_desa=["A", "B", "B", "C"])
    root = parsed(charts.kunjungan_per_bulan_svg(kunjungan))
    bars = groups(root)
    assert [hover(g) for g in bars] == [
        "Juni 2023: 1 kunjungan, 1 desa",
        "Juli 2023: 0 kunjungan, 0 desa",  # empty months filled with zero
        "Agustus 2023: 2 kunjungan, 1 desa",
        "September 2023: 0 kunjungan, 0 desa",
        "Oktober 2023: 1 kunjungan, 1 desa",
    ]
    assert [texts(g) for g in bars] == [["1"], ["0"], ["2"], ["0"], ["1"]]  # counts on the bars: room for five
    heights = [float(g.find(f"{SVG}rect").get("height")) for g in bars]
    assert heights[0] > 0 and heights == [heights[0] * n for n in (1, 0, 2, 0, 1)]
    months = texts(root, text_anchor="middle")
    assert months == ["Jun", "2023", "Jul", "2023", "Agu", "2023", "Sep", "2023", "Okt", "2023"]


def test_month_svg_thins_labels_and_counts_on_long_timelines():
    root = parsed(charts.kunjungan_per_bulan_svg(visits(list(pd.date_range("2021-01-01", "2024-12-01", freq="MS")))))
    assert len(groups(root)) == 48  # every month keeps its bar and its hover
    months = texts(root, text_anchor="middle")[::2]
    assert 4 <= len(months) <= 12 and months[0] == "Jan"
    assert all(texts(g) == [] for g in groups(root))  # 48 counts side by side would run together


def test_promises_per_opd_svg_stacks_the_three_statuses_most_loaded_first(ledger):
    root = parsed(charts.aspirasi_per_opd_svg(ledger))
    rows = groups(root)
    assert [hover(g) for g in rows] == [
        "Disperindag: 3 aspirasi (1 selesai, 1 proses, 1 belum), 1 terlambat",
        "DPMD: 1 aspirasi (1 selesai, 0 proses, 0 belum)",
    ]
    colours = [charts.STATUS_COLOURS[s] for s in ("Selesai", "Proses", "Belum")]
    for row, counts in zip(rows, [(1, 1, 1), (1, 0, 0)], strict=True):
        bars = row.findall(f"{SVG}rect")
        assert [b.get("fill") for b in bars] == colours
        widths = [float(b.get("width")) for b in bars]
        assert widths == [widths[0] * n for n in counts] and widths[0] > 0
    assert [texts(g, fill="#333") for g in rows] == [["33,3% selesai", "1 terlambat"], ["100,0% selesai"]]
    assert texts(root, font_size="12", fill=None) == ["Selesai", "Proses", "Belum"]  # the legend


def test_a_shared_late_promise_reads_as_a_fraction_in_the_svg(ledger):
    svg = charts.aspirasi_per_opd_svg(ledger.assign(opd_penanggung_jawab="Disperindag; DPMD").iloc[[1]])
    assert [texts(g, fill="#333") for g in groups(parsed(svg))] == [["0,0% selesai", "0,5 terlambat"]] * 2


@pytest.mark.parametrize(
    ("rows", "owners", "axis"),
    [([1], "Disperindag; DPMD", ["0", "1"]), ([0, 1, 2], "Disperindag", ["0", "1", "2", "3"])],
)
def test_promises_per_opd_svg_axis_counts_whole_promises(ledger, rows, owners, axis):
    """Shares of a promise (0,5) never give the axis steps that would print as repeated whole numbers."""
    root = parsed(charts.aspirasi_per_opd_svg(ledger.iloc[rows].assign(opd_penanggung_jawab=owners)))
    assert texts(root, fill="#555") == axis


def test_status_svg_hatches_the_overdue_part_only_where_there_is_one(ledger):
    svg = charts.aspirasi_per_status_svg(ledger)
    root = parsed(svg)
    (pattern,) = root.iter(f"{SVG}pattern")
    hatched = f"url(#{pattern.get('id')})"
    bars = groups(root)
    assert [hover(g) for g in bars] == [
        "Belum: 1 aspirasi, 1 lewat tenggat",
        "Proses: 1 aspirasi, 0 lewat tenggat",
        "Selesai: 2 aspirasi, 0 lewat tenggat",
    ]
    assert [[r.get("fill") == hatched for r in g.findall(f"{SVG}rect")].count(True) for g in bars] == [1, 0, 0]
    assert [texts(g, font_size="12", text_anchor="middle")[0] for g in bars] == ["1 (25,0%)", "1 (25,0%)", "2 (50,0%)"]
    # The legend explains the hatching only (no swatch in a status colour).
    legend = root.findall(f"{SVG}rect")
    assert [r.get("fill") for r in legend] == [hatched] and texts(root, font_size="12", fill=None) == [
        "arsiran = lewat tenggat"
    ]


def test_status_svg_counts_unreported_aspirations_apart(ledger):
    root = parsed(charts.aspirasi_per_status_svg(ledger.assign(status=["Selesai", "", "Proses", "Selesai"])))
    assert [hover(g).split(":")[0] for g in groups(root)] == ["Belum", "Belum ada laporan", "Proses", "Selesai"]


def test_pattern_ids_are_ours_and_unique_per_chart(ledger):
    first, second = charts.aspirasi_per_status_svg(ledger), charts.aspirasi_per_status_svg(ledger, "status-kedua")
    ids = [[p.get("id") for p in parsed(svg).iter(f"{SVG}pattern")] for svg in (first, second)]
    assert ids == [[charts.ARSIR_ID], ["status-kedua"]]
    for svg, (own,) in zip((first, second), ids, strict=True):
        assert set(re.findall(r"url\(#([^)]*)\)", svg)) == {own}  # every reference points into its own SVG
    with pytest.raises(ValueError, match="Id pola SVG tidak sah"):
        charts.aspirasi_per_status_svg(ledger, 'x" onload="alert(1)')


HOSTILE_OPD = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{7*7}} ${7*7} {% raw %}",
    "Dinas " + "Sangat Panjang " * 15 + "Sekali",
    "DinasTanpaSpasiYangPanjangSekaliSampaiTidakMuatDiSatuBaris",
    "Dinas\n\n**Kesehatan** www.evil.example\r\n\u2028[x](javascript:alert(1))",
]


@pytest.mark.parametrize("name", HOSTILE_OPD)
def test_typed_opd_names_reach_the_svg_only_as_text(ledger, name):
    svg = charts.aspirasi_per_opd_svg(ledger.assign(opd_penanggung_jawab=name))
    root = parsed(svg)  # no <script>, no <img>: only the builders' own elements
    for element in root.iter():
        assert all(name not in value and "<" not in value for value in element.attrib.values())
    assert "{{" not in svg and "${" not in svg and "{%" not in svg  # no template engine sees an expression
    (row,) = groups(root)
    one_line = " ".join(name.split())  # a typed line break would end the HTML block early
    assert hover(row).startswith(f"{one_line}: 4 aspirasi")  # the hover keeps the name whole
    label = texts(row, text_anchor="end")
    assert 1 <= len(label) <= 2 and all(len(line) <= 20 for line in label)  # two short lines, cut with "…"
    assert one_line.startswith(label[0].removesuffix("…"))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda led, k: charts.kunjungan_per_bulan_svg(k), "Belum ada kunjungan untuk ditampilkan."),
        (lambda led, k: charts.aspirasi_per_opd_svg(led), "Belum ada janji tindak lanjut untuk ditampilkan."),
        (lambda led, k: charts.aspirasi_per_status_svg(led), "Belum ada aspirasi untuk ditampilkan."),
    ],
)
def test_svg_charts_of_empty_tables_say_there_is_nothing_to_show(ledger, build, message):
    empty_visits = pd.DataFrame({"id_kunjungan": [], "tanggal": pd.to_datetime([]), "kode_desa": []})
    root = parsed(build(ledger.iloc[0:0], empty_visits))
    assert texts(root) == [message] and groups(root) == []
