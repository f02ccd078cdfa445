"""Server-side time of the Akun & Audit page for a sekretariat: `python scripts/bench_kelola.py [--rows 5000]`.

Fills a throw-away SQLite database with `--rows` follow-up events, failed sign-ins and uploads each, then times
a signed-in sekretariat's runs of the page with Streamlit's AppTest (median of `--repeat`). Uses the configured
data folder and boundary cache like bench_pages.py. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _fill(rows: int) -> None:
    from sqlalchemy import insert

    from ovop_data import store
    from ovop_data.store.tables import gagal_masuk, tindak_lanjut, unggahan

    store.change_password("sekre", store.add_account("sekre", "sekretariat"), "sandi-uji-yang-panjang")
    now = dt.datetime.now(dt.UTC)
    event = {"oleh": "sekre", "jenis": "laporan", "status_ke": "Proses", "catatan": "catatan " * 10, "internal": False}
    upload = {"oleh": "sekre", "sha256": "0" * 64, "diterima": 10, "ditolak": 1, "disimpan": True, "pesan": "ok"}
    with store.engine().begin() as conn:
        conn.execute(
            insert(tindak_lanjut), [{"id_pelacakan": f"ASP-{i % 500}", "waktu": now, **event} for i in range(rows)]
        )
        conn.execute(
            insert(gagal_masuk), [{"waktu": now, "nama": f"x{i}", "alasan": "sandi_salah"} for i in range(rows)]
        )
        conn.execute(insert(unggahan), [{"waktu": now, "berkas": f"f{i}.xlsx", **upload} for i in range(rows)])


def main(argv: list[str] | None = None) -> int:
    """Print the median seconds of the page's first run and of a rerun."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["OVOP_DATABASE_URL"] = f"sqlite:///{Path(folder) / 'ovop.sqlite3'}"
        from streamlit.testing.v1 import AppTest

        from ovop_data import store
        from ovop_ui.akun import User

        _fill(args.rows)
        found = store.account("sekre")
        firsts, reruns = [], []
        for _ in range(args.repeat):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
            at.session_state["_ovop_akun"] = User("sekre", "sekretariat", None, found.generasi_sesi)
            at.run()
            at.switch_page(str(ROOT / "halaman" / "kelola.py"))
            for times in (firsts, reruns):
                start = time.perf_counter()
                at.run()
                times.append(time.perf_counter() - start)
            if at.exception:
                raise SystemExit(at.exception[0].message)
        store.db.dispose()
    print(
        f"Akun & Audit, {args.rows} rows per log: first run {statistics.median(firsts):.2f} s, "
        f"rerun {statistics.median(reruns):.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
