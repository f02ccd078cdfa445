"""Signing in through a real identity provider (oidc-provider-mock on loopback) with st.login, in a real browser.

The provider only says who the person is (their e-mail); the role and the agency come from the account the
sekretariat registered under that e-mail in the dashboard's database. The tests share one provider and one
dashboard; each uses its own e-mail and a fresh browser context (so its own cookies).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from oidc_server import Provider
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import Engine, select

from ovop_data import store
from ovop_data.store import db
from ovop_data.store.tables import gagal_masuk

from .conftest import BrowserErrors, Dashboard, script_runs, wait_for_app

pytestmark = pytest.mark.e2e

DINKES = "Dinas Kesehatan"
PROVIDER_BUTTON = "Masuk dengan akun instansi (penyedia identitas)"


@pytest.fixture(scope="module")
def database(oidc_dashboard: Dashboard) -> Iterator[Engine]:
    """The dashboard's own database (the SQLite file in its data folder), as the sekretariat's tools reach it."""
    url = f"sqlite:///{oidc_dashboard.data / db.SQLITE_FILE}"
    yield db.engine(url)
    db.dispose(url)


def sign_in_through_provider(page: Page, dashboard: Dashboard, provider: Provider, sub: str) -> None:
    """From the Masuk page, through the provider's form (typing the subject), back to the dashboard."""
    page.goto(dashboard.url + "masuk")
    wait_for_app(page)
    page.get_by_role("button", name=PROVIDER_BUTTON).click()
    page.wait_for_url(provider.url + "/oauth2/authorize**")
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(dashboard.url + "**")
    wait_for_app(page)


def open_page(page: Page, link: str) -> None:
    """Follow a link of the sidebar's navigation and wait for the page's run."""
    runs = script_runs(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=link).click()
    wait_for_app(page, after=runs)


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def alerts(page: Page, text: str) -> Locator:
    """The sidebar's warnings that say `text` (the demo-data and data-check notes are warnings too)."""
    return sidebar(page).get_by_test_id("stAlert").filter(has_text=text)


def test_a_registered_agency_email_signs_in_with_its_role_and_inbox(
    oidc_dashboard: Dashboard, oidc_provider: Provider, database: Engine, page: Page, browser_errors: BrowserErrors
) -> None:
    store.add_account("dinkes@blitarkab.go.id", "opd", DINKES, penyedia=True, db=database)
    # The provider writes the address with capitals and vouches for it; the account is found all the same.
    oidc_provider.set_user("Dinkes@BlitarKab.go.id", email="Dinkes@BlitarKab.go.id", email_verified=True)

    sign_in_through_provider(page, oidc_dashboard, oidc_provider, "Dinkes@BlitarKab.go.id")

    expect(sidebar(page).get_by_text("Masuk sebagai")).to_contain_text(f"(OPD · {DINKES})")
    expect(sidebar(page).get_by_text("Masuk sebagai")).to_contain_text("blitarkab.go.id")
    open_page(page, "Tindak Lanjut")
    expect(page.get_by_text(f"Aspirasi {DINKES} per")).to_be_visible()
    expect(page.get_by_role("heading", name="Laporkan tindak lanjut")).to_be_visible()
    # The provider's sign-in is not a one-time password: nothing to change, no password form.
    open_page(page, "Masuk")
    expect(page.get_by_text("Anda masuk sebagai dinkes@blitarkab.go.id (OPD · Dinas Kesehatan)")).to_be_visible()
    expect(page.get_by_text("Ganti kata sandi")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert browser_errors.all() == []


def test_an_unregistered_email_is_told_so_and_stays_public(
    oidc_dashboard: Dashboard, oidc_provider: Provider, database: Engine, page: Page, browser_errors: BrowserErrors
) -> None:
    oidc_provider.set_user("tamu@contoh.id", email="tamu@contoh.id", email_verified=True)

    sign_in_through_provider(page, oidc_dashboard, oidc_provider, "tamu@contoh.id")

    # Once, though the sidebar and the page both ask who is signed in.
    expect(alerts(page, "belum terdaftar")).to_have_count(1)
    expect(sidebar(page).get_by_text("Masuk sebagai")).to_have_count(0)
    open_page(page, "Tindak Lanjut")
    expect(page.get_by_text("Halaman ini untuk OPD, Sekretariat OVOP dan Pimpinan")).to_be_visible()
    expect(page.get_by_role("heading", name="Laporkan tindak lanjut")).to_have_count(0)
    # The sekretariat sees the attempt once in the sign-in log, however many runs the visitor makes.
    with database.connect() as conn:
        logged = conn.execute(select(gagal_masuk.c.alasan).where(gagal_masuk.c.nama == "tamu@contoh.id")).all()
    assert [row.alasan for row in logged] == ["oidc_akun_tidak_dikenal"]

    # The way out of the provider's identity, for someone who came in with the wrong one.
    page.get_by_role("button", name="Keluar dari akun instansi").click()
    finish_provider_sign_out(page, oidc_dashboard, oidc_provider)
    expect(alerts(page, "belum terdaftar")).to_have_count(0)
    expect(sidebar(page).get_by_role("link", name="Masuk (OPD, Sekretariat, Pimpinan)")).to_be_visible()
    assert browser_errors.all() == []


def test_an_email_the_provider_has_not_verified_is_refused(
    oidc_dashboard: Dashboard, oidc_provider: Provider, database: Engine, page: Page
) -> None:
    store.add_account("belum@blitarkab.go.id", "sekretariat", penyedia=True, db=database)
    oidc_provider.set_user("belum@blitarkab.go.id", email="belum@blitarkab.go.id", email_verified=False)

    sign_in_through_provider(page, oidc_dashboard, oidc_provider, "belum@blitarkab.go.id")

    expect(alerts(page, "belum diverifikasi oleh penyedia identitas")).to_have_count(1)
    expect(sidebar(page).get_by_text("Masuk sebagai")).to_have_count(0)


def finish_provider_sign_out(page: Page, dashboard: Dashboard, provider: Provider) -> None:
    """st.logout goes through the provider's end-session page (the mock asks to confirm), then back home."""
    page.wait_for_url(provider.url + "/oauth2/end_session**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(dashboard.url)
    wait_for_app(page)


def test_signing_out_ends_the_providers_session_too(
    oidc_dashboard: Dashboard, oidc_provider: Provider, database: Engine, page: Page, browser_errors: BrowserErrors
) -> None:
    store.add_account("pimpinan@blitarkab.go.id", "pimpinan", penyedia=True, db=database)
    oidc_provider.set_user("pimpinan@blitarkab.go.id", email="pimpinan@blitarkab.go.id", email_verified=True)
    sign_in_through_provider(page, oidc_dashboard, oidc_provider, "pimpinan@blitarkab.go.id")
    expect(sidebar(page).get_by_text("Masuk sebagai")).to_contain_text("(Pimpinan)")

    sidebar(page).get_by_role("button", name="Keluar").click()
    finish_provider_sign_out(page, oidc_dashboard, oidc_provider)

    expect(sidebar(page).get_by_text("Masuk sebagai")).to_have_count(0)
    expect(sidebar(page).get_by_role("link", name="Masuk (OPD, Sekretariat, Pimpinan)")).to_be_visible()
    # The identity cookie is gone: a reload (a new session) does not bring the sign-in back.
    page.reload()
    wait_for_app(page)
    expect(sidebar(page).get_by_text("Masuk sebagai")).to_have_count(0)
    assert browser_errors.all() == []


def test_disabling_the_account_ends_the_provider_users_session_at_the_next_run(
    oidc_dashboard: Dashboard, oidc_provider: Provider, database: Engine, page: Page, browser_errors: BrowserErrors
) -> None:
    store.add_account("distan@blitarkab.go.id", "opd", "Dinas Pertanian dan Pangan", penyedia=True, db=database)
    oidc_provider.set_user("distan@blitarkab.go.id", email="distan@blitarkab.go.id", email_verified=True)
    sign_in_through_provider(page, oidc_dashboard, oidc_provider, "distan@blitarkab.go.id")
    open_page(page, "Tindak Lanjut")
    expect(page.get_by_text("Aspirasi Dinas Pertanian dan Pangan per")).to_be_visible()

    store.disable_account("distan@blitarkab.go.id", db=database)
    open_page(page, "Masuk")  # the next run, in the same browser session

    expect(sidebar(page).get_by_text("Masuk sebagai")).to_have_count(0)
    expect(alerts(page, "nonaktif; hubungi Sekretariat OVOP")).to_have_count(1)
    open_page(page, "Tindak Lanjut")
    expect(page.get_by_text("Halaman ini untuk OPD, Sekretariat OVOP dan Pimpinan")).to_be_visible()
    # Still refused in a new session: the provider's cookie is not a way back in.
    page.reload()
    wait_for_app(page)
    expect(sidebar(page).get_by_text("Masuk sebagai")).to_have_count(0)
    expect(alerts(page, "nonaktif; hubungi Sekretariat OVOP")).to_have_count(1)
    assert browser_errors.all() == []


def test_signing_in_and_out_works_under_a_sub_path(
    oidc_dashboard_subpath: Dashboard, oidc_provider: Provider, page: Page, browser_errors: BrowserErrors
) -> None:
    """Hosted behind a proxy at /ovop/ (server.baseUrlPath): the redirect_uri names the sub-path, and the
    sign-in, its cookie and the sign-out all stay under it."""
    dashboard = oidc_dashboard_subpath
    url = f"sqlite:///{dashboard.data / db.SQLITE_FILE}"
    store.add_account("sekretariat@blitarkab.go.id", "sekretariat", penyedia=True, db=db.engine(url))
    oidc_provider.set_user("sekretariat@blitarkab.go.id", email="sekretariat@blitarkab.go.id", email_verified=True)

    sign_in_through_provider(page, dashboard, oidc_provider, "sekretariat@blitarkab.go.id")
    assert page.url.startswith(dashboard.url)
    expect(sidebar(page).get_by_text("Masuk sebagai")).to_contain_text("(Sekretariat OVOP)")
    cookies = {c["name"]: c["path"] for c in page.context.cookies() if c["name"].startswith("_streamlit_user")}
    assert cookies and set(cookies.values()) == {"/ovop"}, cookies

    sidebar(page).get_by_role("button", name="Keluar").click()
    finish_provider_sign_out(page, dashboard, oidc_provider)
    expect(sidebar(page).get_by_text("Masuk sebagai")).to_have_count(0)
    assert browser_errors.all() == []
    db.dispose(url)
