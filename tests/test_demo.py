"""The demo workbooks: reproducible to the byte, realistic for Blitar, carrying the 12 July 2023 visit."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from ovop_data import demo, vocab
from ovop_data.demo_mark import TANGGAL_ACUAN
from ovop_data.fmt import BULAN
from ovop_data.gazetteer import gazetteer
from ovop_data.text import name_key

_BULAN = {b.lower(): i for i, b in enumerate(BULAN, 1)}


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> list[Path]:
    return demo.write_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def produk(written) -> pd.DataFrame:
    return pd.read_excel(written[0], sheet_name=demo.SHEET_PRODUK, header=2, engine="calamine")


@pytest.fixture(scope="module")
def kunjungan(written) -> pd.DataFrame:
    return pd.read_excel(written[1], sheet_name=demo.SHEET_KUNJUNGAN, header=2, engine="calamine")


@pytest.fixture(scope="module")
def aspirasi(written) -> pd.DataFrame:
    return pd.read_excel(written[1], sheet_name=demo.SHEET_ASPIRASI, header=2, engine="calamine")


def _date(cell: object) -> dt.date:
    """The three forms the demo writes: date cells, bare serials, '12/07/2023' and 'Rabu, 12 Juli 2023'."""
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, int | float):
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(cell))
    if m := re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", cell):
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    m = re.fullmatch(r"\w+, (\d{1,2}) (\w+) (\d{4})", cell)
    assert m, f"unexpected date form {cell!r}"
    return dt.date(int(m[3]), _BULAN[m[2].lower()], int(m[1]))


def test_rerun_is_byte_identical(tmp_path, written):
    again = demo.write_demo(tmp_path)
    assert [p.name for p in again] == [demo.PRODUK_FILE, demo.KUNJUNGAN_FILE]
    for first, second in zip(written, again, strict=True):
        assert first.read_bytes() == second.read_bytes()


def test_timestamps_inside_the_files_are_fixed(written):
    for path in written:
        with zipfile.ZipFile(path) as zf:
            assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            core = zf.read("docProps/core.xml").decode()
        assert '<dcterms:created xsi:type="dcterms:W3CDTF">2024-12-31T08:00:00Z</dcterms:created>' in core
        assert '<dcterms:modified xsi:type="dcterms:W3CDTF">2024-12-31T08:00:00Z</dcterms:modified>' in core


@pytest.mark.parametrize(
    ("index", "sheet", "headers"),
    [
        (0, demo.SHEET_PRODUK, demo.HEADERS_PRODUK),
        (1, demo.SHEET_KUNJUNGAN, demo.HEADERS_KUNJUNGAN),
        (1, demo.SHEET_ASPIRASI, demo.HEADERS_ASPIRASI),
    ],
)
def test_sheets_are_labelled_demo_with_headers_below_a_title(written, index, sheet, headers):
    raw = pd.read_excel(written[index], sheet_name=sheet, header=None, engine="calamine")
    assert raw.iloc[0, 0].startswith("DATA DEMO — bukan data resmi.")
    assert raw.iloc[1].isna().all()
    assert tuple(raw.iloc[2]) == headers


def test_about_two_thirds_of_villages_have_products(produk):
    villages = gazetteer("35.05")
    index = {
        (d, k): c
        for d, k, c in zip(villages["desa_key"], villages["kecamatan_key"], villages["kode_desa"], strict=True)
    }
    found = set()
    rows = produk.dropna(subset=["Desa/Kel"])
    for desa, kec in zip(rows["Desa/Kel"], rows["Kecamatan"].fillna(""), strict=True):
        for name in re.split(r"\s*(?:,|;|\bdan\b)\s*", desa):
            if code := index.get((name_key(name), name_key(kec))):
                found.add(code)
    assert 0.6 <= len(found) / len(villages) <= 0.75
    assert 250 <= produk["Nama Produk"].notna().sum() <= 400


def test_every_product_category_is_used(produk):
    labels = produk["Kategori"].dropna().map(lambda t: vocab.lookup(t, vocab.KATEGORI_PRODUK))
    assert set(labels.dropna()) == {t.label for t in vocab.KATEGORI_PRODUK}
    assert list(produk.loc[labels.isna() & produk["Kategori"].notna(), "Kategori"]) == ["Serba-serbi"]


def test_catalogue_categories_map_to_their_label():
    for item in demo.CATALOGUE:
        for typed in item.kategori:
            assert vocab.lookup(typed, vocab.KATEGORI_PRODUK) == item.label, (item.nama, typed)


def test_visits_run_2021_to_2024_often_two_villages_a_day(kunjungan):
    days = kunjungan["Hari/Tanggal"].map(_date)
    assert days.min() >= dt.date(2021, 1, 1) and days.max() <= dt.date(2024, 12, 31)
    assert {d.year for d in days} == {2021, 2022, 2023, 2024}
    per_day = kunjungan.assign(day=days).groupby("day")
    assert (per_day.size() == 2).mean() > 0.5
    assert (per_day["Kecamatan"].nunique() == 1).all()
    assert all(d.weekday() < 5 for d in days)


def test_dates_come_in_mixed_real_world_forms(kunjungan):
    kinds = kunjungan["Hari/Tanggal"].map(
        lambda c: (
            "date"
            if isinstance(c, dt.datetime)
            else "number"
            if isinstance(c, int | float)
            else "slash"
            if "/" in c
            else "words"
        )
    )
    counts = kinds.value_counts()
    assert counts["date"] > counts.drop("date").sum()
    assert counts["number"] == 1 and counts["slash"] > 0 and counts["words"] > 0


def test_the_12_july_2023_visit_to_balerejo(kunjungan, produk):
    visit = kunjungan[kunjungan["Hari/Tanggal"].map(_date) == dt.date(2023, 7, 12)]
    assert visit[["Desa", "Kecamatan"]].values.tolist() == [["Balairejo", "Wlingi"]]
    assert "Kopi Tuan Galang" in visit["Produk yang Dikunjungi"].iloc[0]
    kopi = produk[produk["Nama Produk"] == "Kopi Tuan Galang"]
    assert len(kopi) == 1
    assert kopi["Desa/Kel"].iloc[0] == "TegalAsri, Tembalang, Balairejo dan Ngadirengo"
    assert kopi["Kecamatan"].iloc[0] == "Wlingi"
    assert kopi["Pelaku Usaha"].iloc[0].startswith("BUMDesma")
    balerejo = produk[produk["Desa/Kel"] == "Balairejo"]
    assert sorted(balerejo["Nama Produk"]) == ["Keripik Pisang", "Keripik Singkong", "Kue Basah"]


def test_messy_rows_are_present_and_few(produk):
    desa = produk["Desa/Kel"]
    assert ((desa == "Sumberagung") & produk["Kecamatan"].isna()).sum() == 1
    assert produk.loc[desa == "Sentul", "Kecamatan"].tolist() == ["Kepanjenkidul"]
    assert desa.str.startswith("Desa ").sum() == 1 and desa.str.startswith("Ds.").sum() == 1
    assert (desa == "SUMBERDIREN").sum() == 1 and (desa == "Tuliskiryo").sum() == 1
    assert produk.isna().all(axis=1).sum() == 1  # one blank line mid-table
    data = produk.dropna(how="all").drop(columns="No")
    assert data.duplicated().sum() == 1


def test_contacts_are_obviously_fake(produk):
    phones = produk["No. HP"].dropna()
    assert len(phones) > 100
    assert phones.str.fullmatch(r"0812-0000-\d{4}").all()


def test_aspirations_cover_statuses_opd_and_deadlines(aspirasi):
    status = aspirasi["Status"].map(lambda t: vocab.lookup(t, vocab.STATUS))
    assert set(status) == {"Belum", "Proses", "Selesai"}
    opd = aspirasi["OPD Penanggung Jawab"].map(lambda t: vocab.lookup(t, vocab.OPD))
    assert opd.notna().all() and opd.nunique() >= 6
    assert {"Dinkop UM", "Disperindag"} <= set(aspirasi["OPD Penanggung Jawab"])
    kendala = aspirasi["Kategori Kendala"].map(lambda t: vocab.lookup(t, vocab.KATEGORI_KENDALA))
    assert kendala.notna().all() and kendala.nunique() >= 6
    assert 0.2 < aspirasi["Tenggat"].isna().mean() < 0.8


def test_demo_loads_reconciles_and_finds_the_balerejo_visit(written):
    from excel_rows import assert_rows_reconcile

    from ovop_data import metrics
    from ovop_data.io import read_sheets
    from ovop_data.load import load_dataset, tables_from_sheets

    data = load_dataset(written, "35.05")
    assert set(data.counts) == {"produk", "kunjungan", "aspirasi"}
    raw_tables, _ = tables_from_sheets([s for path in written for s in read_sheets(path)])
    assert_rows_reconcile(data, raw_tables)
    # Rejected on purpose: the ambiguous Sumberagung, Kota Blitar's Sentul, the duplicate row.
    assert data.counts["produk"]["rejected"] == 3
    assert data.counts["produk"]["blank"] == 1
    assert data.counts["kunjungan"]["rejected"] == 0 and data.counts["aspirasi"]["rejected"] == 0
    assert {"desa_ambigu", "di_luar_wilayah", "duplikat", "kategori_tidak_dikenal", "koreksi_nama"} <= set(
        data.findings["code"]
    )

    kopi = data.produk[data.produk["nama_produk"] == "Kopi Tuan Galang"]
    assert sorted(kopi["kode_desa"]) == sorted(demo._FEATURED_DESA)
    assert kopi["id_produk"].nunique() == 1
    balerejo = data.produk.loc[data.produk["kode_desa"] == demo.KODE_BALEREJO, "nama_produk"]
    assert "Kopi Tuan Galang" in set(balerejo)
    visits = data.kunjungan.loc[data.kunjungan["kode_desa"] == demo.KODE_BALEREJO, "tanggal"]
    assert list(visits) == [pd.Timestamp("2023-07-12")]

    summary = metrics.desa_summary(gazetteer("35.05"), data.produk, data.kunjungan, data.aspirasi, today=TANGGAL_ACUAN)
    assert 0.6 <= summary["punya_produk_unggulan"].mean() <= 0.75
