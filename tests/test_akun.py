"""What the identity provider's claims mean for the dashboard (ovop_ui.akun.identity_from_claims)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ovop_data import store
from ovop_ui.akun import ProviderIdentity, _refusal, identity_from_claims


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"email": "dinkes@blitarkab.go.id", "email_verified": True}, ProviderIdentity("dinkes@blitarkab.go.id", True)),
        # The store keys accounts by the lower-case name: the provider's capitals and spaces must not matter.
        ({"email": " Dinkes@Blitar.go.id ", "email_verified": True}, ProviderIdentity("dinkes@blitar.go.id", True)),
        ({"email": "a@b.id", "email_verified": False}, ProviderIdentity("a@b.id", False)),
        # Some providers (AWS Cognito) send the flag as text.
        ({"email": "a@b.id", "email_verified": "false"}, ProviderIdentity("a@b.id", False)),
        ({"email": "a@b.id", "email_verified": " False "}, ProviderIdentity("a@b.id", False)),
        ({"email": "a@b.id", "email_verified": "true"}, ProviderIdentity("a@b.id", True)),
        # Some (Microsoft Entra ID) never send it: the provider that released the address is trusted.
        ({"email": "a@b.id"}, ProviderIdentity("a@b.id", True)),
        ({"email_verified": True}, ProviderIdentity("", True)),
        ({"email": None, "name": "Tanpa Surel"}, ProviderIdentity("", True)),
    ],
)
def test_identity_from_claims(claims: dict[str, object], expected: ProviderIdentity) -> None:
    assert identity_from_claims(claims) == expected


def test_incomplete_provider_settings_are_explained_instead_of_crashing(run_app, tmp_path, monkeypatch) -> None:
    from ovop_data.store import db

    monkeypatch.setenv(db.URL_VARIABLE, f"sqlite:///{tmp_path / 'ovop.sqlite3'}")
    # No redirect_uri and no cookie_secret: st.login refuses to start. (AppTest's secrets do not reach st.login's
    # own check, which then finds no [auth] at all; the browser tests run st.login with complete settings.)
    auth = {"client_id": "x", "client_secret": "y", "server_metadata_url": "https://idp.invalid/.well-known"}
    at = run_app(page="masuk", secrets={"auth": auth})
    at.button(key="masuk_oidc").click().run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert "pengaturan [auth] di secrets.toml belum lengkap" in error
    assert "Rincian: To use authentication features you need to configure credentials" in error  # Streamlit's reason


def test_a_password_account_is_never_opened_through_the_identity_provider() -> None:
    """A provider whose users may set their own e-mail must not open the sekretariat's password account."""
    identity = ProviderIdentity("sekre@blitarkab.go.id", verified=True)
    with_password = store.Account("sekre@blitarkab.go.id", "sekretariat", None, False, True, 0, penyedia=False)
    assert _refusal(identity, with_password)[0] == "oidc_akun_bersandi"
    assert _refusal(identity, replace(with_password, penyedia=True)) is None
    assert _refusal(identity, replace(with_password, penyedia=True, aktif=False))[0] == "oidc_akun_nonaktif"
