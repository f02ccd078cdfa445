"""Managing accounts in the store (issue 9, Kelola): identity-provider accounts, the list, who may manage.

Runs on an SQLite file and on the session's throw-away PostgreSQL (the `database_url` fixture); no mocks.
"""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type
from sqlalchemy import select

from ovop_data import store
from ovop_data.store import accounts
from ovop_data.store.tables import akun

DINKES = "Dinas Kesehatan"


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    """argon2id at its lowest cost: the same algorithm and code path, faster."""
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID))


@pytest.fixture
def db(database_url):
    made = store.engine(database_url)
    store.add_account("sekre", "sekretariat", db=made)
    store.add_account("bupati", "pimpinan", db=made)
    store.add_account("dinkes", "opd", DINKES, db=made)
    return made


def test_an_identity_provider_account_has_no_password_and_nothing_to_change(db):
    assert store.add_account("Kadis@Blitarkab.go.id", "opd", DINKES, penyedia=True, oleh="sekre", db=db) is None
    found = store.account("kadis@blitarkab.go.id", db=db)
    assert found is not None and found.aktif and not found.wajib_ganti and found.opd == DINKES and found.penyedia
    assert not store.account("sekre", db=db).penyedia  # a password account is never the provider's
    with db.connect() as conn:
        assert conn.execute(select(akun.c.hash_sandi).where(akun.c.nama == found.nama)).scalar() is None
    # No password signs it in: not the empty one, not the dummy the store checks unknown names against.
    for guess in ("", "bukan-sandi-siapa-pun"):
        assert store.verify_password(found.nama, guess, db=db) is None


def test_an_identity_provider_account_is_named_by_its_email(db):
    with pytest.raises(store.AccountError, match="alamat e-mail"):
        store.add_account("kadis", "opd", DINKES, penyedia=True, db=db)


def test_the_list_has_every_account_and_never_a_hash(db):
    store.add_account("a@blitarkab.go.id", "pimpinan", penyedia=True, db=db)
    store.disable_account("bupati", db=db)
    table = store.accounts_table(db=db)
    assert list(table.columns) == list(accounts.ACCOUNT_COLUMNS)
    assert list(table["nama"]) == ["a@blitarkab.go.id", "bupati", "dinkes", "sekre"]
    assert table.set_index("nama").loc["bupati", "aktif"] == False  # noqa: E712 (a numpy bool)
    assert list(table["penyedia"]) == [True, False, False, False]
    assert list(table["wajib_ganti"]) == [False, True, True, True]
    assert str(table["dibuat"].dt.tz) == "UTC"
    assert "argon2" not in table.to_csv()


@pytest.mark.parametrize("oleh", ["bupati", "dinkes", "tidak-ada"])
def test_only_an_active_sekretariat_manages_accounts(db, oleh):
    with pytest.raises(store.AccountError, match="Hanya akun Sekretariat"):
        store.add_account("baru", "opd", DINKES, oleh=oleh, db=db)
    with pytest.raises(store.AccountError, match="Hanya akun Sekretariat"):
        store.disable_account("dinkes", oleh=oleh, db=db)
    assert store.account("baru", db=db) is None and store.account("dinkes", db=db).aktif


def test_a_disabled_sekretariat_manages_nothing(db):
    store.add_account("sekre2", "sekretariat", db=db)
    store.disable_account("sekre2", oleh="sekre", db=db)
    with pytest.raises(store.AccountError, match="Hanya akun Sekretariat"):
        store.add_account("baru", "opd", DINKES, oleh="sekre2", db=db)


def test_a_sekretariat_cannot_disable_itself(db):
    with pytest.raises(store.AccountError, match="Akun sendiri"):
        store.disable_account("SEKRE", oleh="sekre", db=db)
    assert store.account("sekre", db=db).aktif
