"""Server-side time of each dashboard page: `python scripts/bench_pages.py [--repeat 5]`.

For every page it measures, with Streamlit's AppTest (the script run on the server, no browser):
- cold: the very first run in a fresh process (reads the workbooks and the boundaries);
- first: a new visitor's first run once the caches are warm;
- rerun: the same visitor changing the kecamatan filter.
Uses the configured data folder and boundary cache (OVOP_DATA_DIR, OVOP_GEO_DIR). A measurement, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ovop_ui.pages import PAGE_NAMES  # noqa: E402

PROFILE_DESA = "35.05.17.2009"  # Balerejo, Wlingi


def _visit(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if name != "ringkasan":
        at.switch_page(str(ROOT / "halaman" / f"{name}.py"))
        at.run()
    if at.exception:
        raise SystemExit(f"{name}: {at.exception[0].message}")
    return at


def _timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    """Print cold, first-run and rerun seconds (median of --repeat) per page."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    cold, _ = _timed(lambda: _visit("ringkasan"))
    print(f"cold start (Ringkasan, reads workbooks + boundaries): {cold:.2f} s")
    print(f"{'page':<14}{'first run':>12}{'rerun (filter)':>16}")
    for name in PAGE_NAMES:
        # the switch costs one Ringkasan run; measure the page's own run
        firsts, reruns = [], []
        for _ in range(args.repeat):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.run()
            if name != "ringkasan":
                at.switch_page(str(ROOT / "halaman" / f"{name}.py"))
            if name == "profil_desa":  # a village's profile, as a shared link opens it
                at.query_params["desa"] = PROFILE_DESA
            seconds, _ = _timed(at.run)
            firsts.append(seconds)
            at.sidebar.multiselect(key="f_kecamatan").select("Wlingi")
            seconds, _ = _timed(at.run)
            reruns.append(seconds)
            if at.exception:
                raise SystemExit(f"{name}: {at.exception[0].message}")
        print(f"{name:<14}{statistics.median(firsts):>11.2f}s{statistics.median(reruns):>15.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
