"""Village matching against the real Kemendagri gazetteer of Kabupaten Blitar."""

from __future__ import annotations

import pandas as pd
import pytest
from rapidfuzz import fuzz

from ovop_data.gazetteer import gazetteer
from ovop_data.matching import (
    FUZZY_AREA_WIDE,
    FUZZY_IN_KECAMATAN,
    VillageIndex,
    match_villages,
    resolve_village,
    split_names,
)
from ovop_data.text import name_key


@pytest.fixture(scope="module")
def index() -> VillageIndex:
    return VillageIndex(gazetteer("35.05"), "35.05")


# (desa, kecamatan, kode) -> expected kode_desa and method
RESOLVED = [
    # the news report of the 12 July 2023 visit, spelled as the article spelled it
    ("Balairejo", "Wlingi", "", "35.05.17.2009", "fuzzy"),
    ("TegalAsri", "Wlinggi", "", "35.05.17.2008", "exact"),  # a corrected kecamatan with its village exact
    ("Ngadirengo", "Wlingi", "", "35.05.17.2007", "fuzzy"),
    ("Tembalang", "Wlinggi", "", "35.05.17.2005", "exact"),
    ("Tembalang", "", "", "35.05.17.2005", "exact"),
    # prefixes, case and spacing
    ("Desa Balerejo", "Kec. Panggungrejo", "", "35.05.13.2010", "exact"),
    ("DS. BALEREJO", "wlingi", "", "35.05.17.2009", "exact"),
    ("Kel. Beru", "Wlingi", "", "35.05.17.1001", "exact"),
    ("Kelurahan Wlingi", "", "", "35.05.17.1004", "exact"),
    ("Sumber Agung", "Gandusari", "", "35.05.15.2001", "exact"),
    # old spelling is modern spelling
    ("Soemberagoeng", "Selorejo", "", "35.05.21.2004", "exact"),
    # the code wins over the names
    ("", "", "3505172009", "35.05.17.2009", "kode"),
    ("Balerejo", "Panggungrejo", "35.05.17.2009", "35.05.17.2009", "kode"),
    # area-wide fuzzy only when the winner is clear and unshared
    ("Ngadirengo", "", "", "35.05.17.2007", "fuzzy"),
]


@pytest.mark.parametrize(("desa", "kecamatan", "kode", "expected", "method"), RESOLVED)
def test_resolves(index, desa, kecamatan, kode, expected, method):
    result = resolve_village(index, desa, kecamatan, kode)
    assert (result.kode_desa, result.method) == (expected, method)
    assert result.code == ""


def test_not_the_namesake_in_another_kecamatan(index):
    """'Balairejo' of Wlingi is Balerejo of Wlingi, never Balerejo of Panggungrejo (35.05.13.2010)."""
    result = resolve_village(index, "Balairejo", "Wlingi")
    assert result.kode_desa == "35.05.17.2009"
    corrected = {column for column, code, _ in result.notes if code == "koreksi_nama"}
    assert corrected == {"desa"}
    assert 75 <= result.score < 100


def test_never_two_guesses_on_one_row(index):
    """A corrected kecamatan ('Wlinggi') with a village that is itself a typo is reported, with the fix."""
    result = resolve_village(index, "Balairejo", "Wlinggi")
    assert (result.kode_desa, result.code) == ("", "desa_tidak_dikenal")
    assert "dua tebakan" in result.message
    assert "35.05.17.2009" in result.suggestion


# (desa, kecamatan, kode) -> error code
REPORTED = [
    ("Balerejo", "", "", "desa_ambigu"),
    ("Sumberagung", "", "", "desa_ambigu"),
    ("Sukorejo", "", "", "desa_ambigu"),
    ("Sentul", "", "", "di_luar_wilayah"),  # a kelurahan of Kota Blitar, the enclave
    ("Sentul", "Kepanjenkidul", "", "di_luar_wilayah"),
    ("Bendogerit", "Sananwetan", "", "di_luar_wilayah"),
    ("Balerejo", "Talun", "", "kecamatan_tidak_cocok"),
    ("Qwertyuiop", "", "", "desa_tidak_dikenal"),
    ("Qwertyuiop", "Wlingi", "", "desa_tidak_dikenal"),
    ("", "", "35.05.17.9999", "desa_tidak_dikenal"),
    ("", "", "35.72.02.1003", "di_luar_wilayah"),
    ("", "", "", "nilai_wajib_kosong"),
]


@pytest.mark.parametrize(("desa", "kecamatan", "kode", "code"), REPORTED)
def test_reports_instead_of_guessing(index, desa, kecamatan, kode, code):
    result = resolve_village(index, desa, kecamatan, kode)
    assert result.kode_desa == ""
    assert result.code == code
    assert result.message


def test_ambiguous_lists_every_candidate(index):
    result = resolve_village(index, "Sumberagung", "")
    for kode in ("35.05.13.2009", "35.05.15.2001", "35.05.21.2004"):
        assert kode in result.suggestion


def test_outside_names_the_namesake_city_first(index):
    result = resolve_village(index, "Sentul", "")
    assert "Kota Blitar" in result.message.split(";")[0]


def test_unknown_kecamatan_is_an_error_that_points_at_the_village(index):
    result = resolve_village(index, "Tembalang", "Kec. Antah")
    assert (result.kode_desa, result.code, result.column) == ("", "kecamatan_tidak_cocok", "kecamatan")
    assert "35.05.17.2005" in result.suggestion


def test_name_differing_from_code_is_noted(index):
    result = resolve_village(index, "Kauman", "", "35.05.17.2009")
    assert result.kode_desa == "35.05.17.2009"
    assert [code for _, code, _ in result.notes] == ["koreksi_nama"]


def test_malformed_code_falls_back_to_names_with_a_note(index):
    result = resolve_village(index, "Tembalang", "Wlingi", "35.05.17")
    assert result.kode_desa == "35.05.17.2005"
    assert [code for _, code, _ in result.notes] == ["kode_tidak_valid"]


def test_match_villages_keeps_index_and_resolves_each_distinct_request_once(index, monkeypatch):
    calls = []
    import ovop_data.matching as matching

    original = matching.resolve_village
    monkeypatch.setattr(matching, "resolve_village", lambda *a: calls.append(a[1:]) or original(*a))
    requests = pd.DataFrame(
        {
            "desa_input": ["Balairejo", "Balairejo", "Balerejo"],
            "kecamatan_input": ["Wlingi", "Wlingi", ""],
            "kode_input": ["", "", ""],
        },
        index=[10, 11, 12],
    )
    result = match_villages(requests, index.villages, "35.05", index=index)
    assert list(result.index) == [10, 11, 12]
    assert list(result["kode_desa"]) == ["35.05.17.2009", "35.05.17.2009", ""]
    assert list(result["code"]) == ["", "", "desa_ambigu"]
    assert len(calls) == 2


# A typo as close to two or more villages as to one: reported with every candidate, never guessed.
# (desa, kecamatan) -> the candidates' kode_desa
TYPO_OF_SEVERAL = [
    # Found by scoring every one-letter typo of every Blitar village against the gazetteer with rapidfuzz:
    # 'sumbersri' scores 94.7 against both Sumberasri (Nglegok) and Sumbersari (Udanawu), a tie.
    ("Sumbersri", "", ("35.05.09.2001", "35.05.02.2011")),
    # the same search: 90.0 against both Jatitengah (Selopuro) and Kalitengah (Panggungrejo)
    ("Jalitengah", "", ("35.05.22.2002", "35.05.13.2002")),
    # a clear winner, but a name shared by three kecamatan: no kecamatan, no guess
    ("Sumberagong", "", ("35.05.13.2009", "35.05.15.2001", "35.05.21.2004")),
    ("Sukoreja", "", ("35.05.02.2009", "35.05.12.1007", "35.05.20.2006")),
]


@pytest.mark.parametrize(("desa", "kecamatan", "candidates"), TYPO_OF_SEVERAL)
def test_typo_close_to_several_villages_is_reported_with_each(index, desa, kecamatan, candidates):
    result = resolve_village(index, desa, kecamatan)
    assert (result.kode_desa, result.code) == ("", "desa_ambigu")
    for kode in candidates:
        assert kode in result.suggestion


# Within the stated kecamatan (same search, one kecamatan's villages at a time): (desa, kecamatan) -> candidates
TYPO_OF_TWO_IN_KECAMATAN = [
    ("Norejo", "Bakung", ("35.05.05.2006", "35.05.05.2010")),  # 83.3 to both Ngrejo and Lorejo
    ("Posoh", "Selopuro", ("35.05.22.2006", "35.05.22.2007")),  # 80.0 to both Ploso and Popoh
]


@pytest.mark.parametrize(("desa", "kecamatan", "candidates"), TYPO_OF_TWO_IN_KECAMATAN)
def test_typo_close_to_two_villages_of_its_kecamatan_is_reported_with_both(index, desa, kecamatan, candidates):
    result = resolve_village(index, desa, kecamatan)
    assert (result.kode_desa, result.code) == ("", "desa_tidak_dikenal")
    for kode in candidates:
        assert kode in result.suggestion


@pytest.mark.parametrize(
    ("desa", "kecamatan", "cutoff"),
    [
        ("Sumbersri", "", FUZZY_AREA_WIDE),
        ("Jalitengah", "", FUZZY_AREA_WIDE),
        ("Norejo", "Bakung", FUZZY_IN_KECAMATAN),
        ("Posoh", "Selopuro", FUZZY_IN_KECAMATAN),
    ],
)
def test_runner_up_margin_cases_are_real_ties(index, desa, kecamatan, cutoff):
    """The margin cases above stay what they claim to be: two different villages, scored alike above the cut-off."""
    key = name_key(desa)
    kecs = [k for k, name in index.kecamatan_name.items() if name == kecamatan]
    choices = index.in_kecamatan[kecs[0]] if kecs else index.desa_keys
    scores = sorted((fuzz.ratio(key, k) for k in choices), reverse=True)
    assert scores[0] == scores[1] >= cutoff
    assert scores[2] < scores[1]


@pytest.fixture(scope="module")
def province() -> VillageIndex:
    return VillageIndex(gazetteer("35"), "35")


def test_province_area_matches_across_kabupaten(province):
    assert len(province.villages) == 8494
    assert resolve_village(province, "Sentul", "Kepanjenkidul").kode_desa.startswith("35.72.")
    assert resolve_village(province, "Balairejo", "Wlingi").kode_desa == "35.05.17.2009"


# Village + kecamatan names that Jawa Timur has in two kabupaten (found by grouping gazetteer("35") by
# desa_key and kecamatan_key): (desa, kecamatan) -> both kode_desa
SHARED_ACROSS_KABUPATEN = [
    ("Gandusari", "Gandusari", ("35.03.10.2006", "35.05.15.2007")),  # Trenggalek, Blitar
    ("Kebonagung", "Sukodono", ("35.08.15.2002", "35.15.14.2002")),  # Lumajang, Sidoarjo
    ("Mojorejo", "Jetis", ("35.02.09.2007", "35.16.16.2007")),  # Ponorogo, Mojokerto
    ("Gandusari", "Gandusary", ("35.03.10.2006", "35.05.15.2007")),  # a typo of the kecamatan changes nothing
]


@pytest.mark.parametrize(("desa", "kecamatan", "candidates"), SHARED_ACROSS_KABUPATEN)
def test_province_village_and_kecamatan_in_two_kabupaten_is_ambiguous(province, desa, kecamatan, candidates):
    result = resolve_village(province, desa, kecamatan)
    assert (result.kode_desa, result.code) == ("", "desa_ambigu")
    for kode in candidates:
        assert kode in result.suggestion
    for kode in candidates:  # the code decides
        assert resolve_village(province, desa, kecamatan, kode).kode_desa == kode


def test_province_typo_of_a_village_in_two_kabupaten_is_not_guessed(province):
    result = resolve_village(province, "Gandusar", "Gandusari")
    assert result.kode_desa == ""
    assert "35.03.10.2006" in result.suggestion and "35.05.15.2007" in result.suggestion


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("TegalAsri, Tembalang, Balairejo dan Ngadirengo", ["TegalAsri", "Tembalang", "Balairejo", "Ngadirengo"]),
        ("Sumber Agung", ["Sumber Agung"]),
        ("Beru; Babadan / Tangkil & Wlingi", ["Beru", "Babadan", "Tangkil", "Wlingi"]),
        ("Sidodadi DAN Bacem", ["Sidodadi", "Bacem"]),
        ("Dandong", ["Dandong"]),
        ("", []),
        (None, []),
    ],
)
def test_split_names(cell, names):
    assert split_names(cell) == names


def test_many_distinct_names_ranked_in_one_batch_resolve_as_each_alone(index):
    import ovop_data.matching as matching

    names = index.villages["desa"].tolist()
    typed = [n[:-1] + n[-1] * 2 for n in names] + [n[1:] for n in names] + ["Zq" + n for n in names] + ["Qwerty"]
    requests = pd.DataFrame(
        {"desa_input": typed, "kecamatan_input": ["", "Zzkec", "", ""] * (len(typed) // 4) + [""] * (len(typed) % 4)}
    ).assign(kode_input="")
    assert len(requests) >= matching.AREA_WIDE_BATCH
    result = match_villages(requests, index.villages, "35.05", index=index)
    alone = [
        resolve_village(index, d, k) for d, k in zip(requests["desa_input"], requests["kecamatan_input"], strict=True)
    ]
    assert list(result["kode_desa"]) == [r.kode_desa for r in alone]
    assert list(result["message"]) == [r.message for r in alone]
    assert list(result["suggestion"]) == [r.suggestion for r in alone]  # candidates in the same order
    assert list(result["notes"]) == [r.notes for r in alone]
    assert list(result["score"]) == [r.score for r in alone]
    assert (result["method"] == "fuzzy").sum() > 100


# Rows of registers from other offices (issue 13), checked against the gazetteer:
# (desa, kecamatan, kabupaten, provinsi) -> error code, column, and a place the message must name.
OTHER_REGIONS_AT_BLITAR = [
    # the row's own kabupaten/province outside the area decides at once
    ("Sidodadi", "SERUWAY", "KAB. ACEH TAMIANG", "ACEH", "di_luar_wilayah", "kabupaten", "Kab. Aceh Tamiang, Aceh"),
    ("Sidodadi", "SERUWAY", "", "ACEH", "di_luar_wilayah", "provinsi", "Aceh"),
    ("Sentul", "KEPANJENKIDUL", "KOTA BLITAR", "JAWA TIMUR", "di_luar_wilayah", "kabupaten", "Kota Blitar"),
    ("Beru", "Wlingi", "35.72", "", "di_luar_wilayah", "kabupaten", "Kota Blitar"),
    # an exactly spelled kecamatan of another province is never a typo of one of ours
    ("Sidodadi", "SERUWAY", "", "", "di_luar_wilayah", "kecamatan", "Kecamatan Seruway, Kab. Aceh Tamiang, Aceh"),
    ("GUMPANG", "SERUWAY", "", "", "di_luar_wilayah", "kecamatan", "Kecamatan Seruway, Kab. Aceh Tamiang, Aceh"),
    # the pair decides where: Tlogohaji is in Bojonegoro's Sumberrejo, not Lampung's Sumberejo
    ("Tlogohaji", "SUMBEREJO", "", "", "di_luar_wilayah", "kecamatan", "Kecamatan Sumberrejo, Kab. Bojonegoro"),
    # our kecamatan name, another province's village of the same-named kecamatan (Talun, Cirebon)
    ("Sampiran", "Talun", "", "", "di_luar_wilayah", "kecamatan", "Kecamatan Talun, Kab. Cirebon, Jawa Barat"),
    # the two columns contradict each other
    ("Beru", "Wlingi", "KAB. BLITAR", "ACEH", "wilayah_tidak_cocok", "kabupaten", "Aceh"),
]


@pytest.mark.parametrize(
    ("desa", "kecamatan", "kabupaten", "provinsi", "code", "column", "place"), OTHER_REGIONS_AT_BLITAR
)
def test_rows_of_other_regions_are_never_ours(index, desa, kecamatan, kabupaten, provinsi, code, column, place):
    result = resolve_village(index, desa, kecamatan, "", None, kabupaten, provinsi)
    assert (result.kode_desa, result.code, result.column) == ("", code, column)
    assert place in result.message


@pytest.mark.parametrize(
    ("kabupaten", "provinsi"),
    [
        ("KAB. BLITAR", "JAWA TIMUR"),
        ("Kabupaten Blitar", ""),
        ("3505", "35"),
        ("35.05", "Jatim"),
        ("", "PROVINSI JAWA TIMUR"),
    ],
)
def test_the_rows_own_region_inside_the_area_is_accepted(index, kabupaten, provinsi):
    result = resolve_village(index, "BERU", "WLINGI", "", None, kabupaten, provinsi)
    assert (result.kode_desa, result.code, result.notes) == ("35.05.17.1001", "", ())


def test_an_unknown_kabupaten_name_is_noted_and_left_aside(index):
    result = resolve_village(index, "Beru", "Wlingi", "", None, "Kab. Antah Berantah", "")
    assert result.kode_desa == "35.05.17.1001"
    assert [(column, code) for column, code, _ in result.notes] == [("kabupaten", "nilai_tidak_valid")]


def test_blitar_alone_is_the_regency_and_the_city(index):
    """'BLITAR' without 'KAB.'/'KOTA' names both; inside Kabupaten Blitar the names still decide."""
    assert resolve_village(index, "Beru", "Wlingi", "", None, "BLITAR").kode_desa == "35.05.17.1001"
    assert resolve_village(index, "Sentul", "", "", None, "BLITAR").code == "di_luar_wilayah"


# At the province (35): the pair of names, or the row's kabupaten, decides between kecamatan and villages.
PROVINCE_RESOLVED = [
    # "NGAJUNG" is as like Ngajum (Kab. Malang) as Ajung (Kab. Jember): Ngajum has Palaan and Kranggan
    ("Palaan", "NGAJUNG", "", "35.07.20.2002"),
    ("Kranggan", "NGAJUNG", "", "35.07.20.2005"),
    # "SUMBEREJO" is spelled exactly as Lampung's kecamatan, but Tlogohaji is in Bojonegoro's Sumberrejo
    ("Tlogohaji", "SUMBEREJO", "", "35.22.12.2001"),
    # Kranggan is a village of five kabupaten/kota of Jawa Timur: the row's own kabupaten decides
    ("Kranggan", "", "KAB. MALANG", "35.07.20.2005"),
    ("Kranggan", "", "KOTA MOJOKERTO", "35.76.03.1001"),
    ("Kranggan", "", "35.02", "35.02.15.2009"),
]


@pytest.mark.parametrize(("desa", "kecamatan", "kabupaten", "expected"), PROVINCE_RESOLVED)
def test_province_pairs_and_region_columns_decide(province, desa, kecamatan, kabupaten, expected):
    result = resolve_village(province, desa, kecamatan, "", None, kabupaten, "JAWA TIMUR")
    assert (result.kode_desa, result.code) == (expected, "")
    assert province.info[expected]["desa"] == desa.title()


def test_province_corrected_kecamatan_is_noted(province):
    result = resolve_village(province, "Palaan", "NGAJUNG")
    assert [(column, code) for column, code, _ in result.notes] == [("kecamatan", "koreksi_nama")]
    assert "Ngajum" in result.notes[0][2]


def test_province_same_named_villages_without_kabupaten_stay_ambiguous(province):
    result = resolve_village(province, "Kranggan", "")
    assert (result.kode_desa, result.code) == ("", "desa_ambigu")


def test_province_village_not_in_the_rows_kabupaten_contradicts_it(province):
    result = resolve_village(province, "Kranggan", "", "", None, "KAB. BLITAR", "JAWA TIMUR")
    assert (result.kode_desa, result.code) == ("", "wilayah_tidak_cocok")
    assert "Kab. Blitar" in result.message


def test_the_pair_that_fits_is_outside_when_the_area_has_the_other_kecamatan():
    """At Kabupaten Jember, 'NGAJUNG' with Palaan is Ngajum of Kab. Malang, not Jember's Ajung."""
    jember = VillageIndex(gazetteer("35.09"), "35.09")
    result = resolve_village(jember, "Palaan", "NGAJUNG")
    assert (result.kode_desa, result.code) == ("", "di_luar_wilayah")
    assert "Kecamatan Ngajum, Kab. Malang" in result.message


def test_kecamatan_typo_alike_two_of_ours_without_the_village_is_reported_not_guessed(province):
    result = resolve_village(province, "Zzzxq", "NGAJUNG")
    assert result.kode_desa == "" and result.code == "kecamatan_tidak_cocok"
    assert "Kecamatan Ajung, Kab. Jember" in result.message


def test_region_requests_resolve_as_each_alone(index):
    requests = pd.DataFrame(
        {
            "desa_input": ["Beru", "Sidodadi", "Beru", "Sentul"],
            "kecamatan_input": ["Wlingi", "SERUWAY", "Wlingi", ""],
            "kode_input": "",
            "kabupaten_input": ["KAB. BLITAR", "KAB. ACEH TAMIANG", "", "KOTA BLITAR"],
            "provinsi_input": ["JAWA TIMUR", "ACEH", "", ""],
        }
    )
    result = match_villages(requests, index.villages, "35.05", index=index)
    assert list(result["kode_desa"]) == ["35.05.17.1001", "", "35.05.17.1001", ""]
    assert list(result["code"]) == ["", "di_luar_wilayah", "", "di_luar_wilayah"]
    assert list(result["column"])[1] == "kabupaten"


def test_many_region_requests_in_one_batch_resolve_as_each_alone(index):
    """A register's rows, batched (area-wide ranking, region look-ups), give what each gives alone."""
    from ovop_data.bench_wilayah import register

    cells, _ = register(400, seed=3)
    rows = pd.DataFrame(cells[1:], columns=cells[0]).fillna("")
    requests = pd.DataFrame(
        {
            "desa_input": rows["Desa"],
            "kecamatan_input": rows["Kecamatan"].where(rows.index % 3 != 0, ""),
            "kode_input": "",
            "kabupaten_input": rows["Kab/Kota"],
            "provinsi_input": rows["Provinsi"],
        }
    )
    result = match_villages(requests, index.villages, "35.05", index=index)
    alone = [resolve_village(index, d, k, "", None, b, p) for d, k, _, b, p in requests.itertuples(index=False)]
    assert list(result["kode_desa"]) == [r.kode_desa for r in alone]
    assert list(result["code"]) == [r.code for r in alone]
    assert list(result["message"]) == [r.message for r in alone]
    assert (result["code"] == "di_luar_wilayah").sum() > 300
