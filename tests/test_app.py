"""The app frame with AppTest: it runs on the demo data, and filters go both ways between URL and sidebar."""

from __future__ import annotations


def url_values(at, key: str) -> list[str]:
    """AppTest keeps one value as a string and several as a list."""
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def test_app_runs_and_shows_the_demo_badge(run_app):
    at = run_app()
    assert not at.exception
    assert any("DATA DEMO" in w.value for w in at.sidebar.warning)


def test_filters_from_the_url_are_applied_and_unknown_ones_noted(run_app):
    at = run_app(params={"kecamatan": "wlingi", "kategori": ["Minuman", "Perhiasan"]})
    assert not at.exception
    assert at.sidebar.multiselect(key="f_kecamatan").value == ["Wlingi"]
    assert at.sidebar.multiselect(key="f_kategori").value == ["Minuman"]
    assert any("Perhiasan" in note.value for note in at.sidebar.info)
    assert url_values(at, "kecamatan") == ["Wlingi"]
    assert url_values(at, "kategori") == ["Minuman"]


def test_sidebar_choice_is_written_to_the_url(run_app):
    at = run_app(state={"f_kecamatan": ["Talun", "Garum"]})
    assert not at.exception
    assert sorted(url_values(at, "kecamatan")) == ["Garum", "Talun"]


def test_loading_problems_are_named_with_a_link_to_the_data_page(run_app):
    at = run_app()
    assert any("3 baris ditolak" in w.value for w in at.sidebar.warning)


def test_an_empty_data_folder_is_explained_not_a_traceback(run_app, tmp_path, monkeypatch):
    monkeypatch.setenv("OVOP_DATA_DIR", str(tmp_path / "belum-ada"))
    at = run_app(page="produk")
    assert not at.exception
    assert any("Belum ada buku kerja" in e.value for e in at.sidebar.error)
