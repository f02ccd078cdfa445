"""requirements.txt says the truth: every run-time import is declared, and every declared package is used."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OWN_PACKAGES = {"ovop_data", "ovop_ui", "halaman"}
#: Modules run only by hand to measure, never by the app (ovop_data/bench*.py): their imports may come
#: from requirements-dev.txt.
BENCHMARKS = {p.relative_to(ROOT).as_posix() for p in (ROOT / "ovop_data").glob("bench*.py")}

#: Declared run-time packages the app needs without importing them itself: why each one is there.
ENGINES_AND_PLUGINS = {
    "pyarrow": "geopandas' GeoParquet engine: the boundary cache (to_parquet / read_parquet)",
    "pyogrio": "geopandas' file engine: read_file of an own boundary file (GeoJSON, GeoPackage, Shapefile)",
    "pyproj": "geopandas' CRS engine: to_crs between WGS84 and UTM 49S",
    "psycopg": "SQLAlchemy's PostgreSQL driver (postgresql+psycopg://) when OVOP_DATABASE_URL names PostgreSQL",
    "psycopg-binary": "psycopg's compiled libpq, so no C compiler or libpq-dev is needed to install",
    "authlib": "streamlit's st.login (OIDC sign-in through an identity provider, `[auth]` in secrets.toml)",
    "httpx": "Authlib's HTTP client: st.login's discovery, token and key requests to the identity provider",
}


def _names(path: Path) -> set[str]:
    """Normalised distribution names declared in a requirements file (`-r` lines and comments skipped)."""
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(_normalise(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", line).group(0)))
    return names


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _third_party_imports(paths: list[Path]) -> dict[str, set[str]]:
    """Top-level module -> files importing it (anywhere in the file, lazy imports too); stdlib and own skipped."""
    found: dict[str, set[str]] = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top not in sys.stdlib_module_names and top not in OWN_PACKAGES:
                    found.setdefault(top, set()).add(path.relative_to(ROOT).as_posix())
    return found


def _distributions(modules: dict[str, set[str]]) -> dict[str, set[str]]:
    """Normalised distribution name -> files, through the installed packages' import names."""
    installed = packages_distributions()
    out: dict[str, set[str]] = {}
    for module, files in modules.items():
        for dist in installed.get(module, [module]):  # not installed: its own name, so it shows as undeclared
            out.setdefault(_normalise(dist), set()).update(files)
    return out


def _sources() -> tuple[list[Path], list[Path]]:
    """(app files, benchmark files) under ovop_data/, ovop_ui/, halaman/ and app.py."""
    paths = [ROOT / "app.py", *(p for d in sorted(OWN_PACKAGES) for p in sorted((ROOT / d).rglob("*.py")))]
    bench = [p for p in paths if p.relative_to(ROOT).as_posix() in BENCHMARKS]
    return [p for p in paths if p not in bench], bench


@pytest.fixture(scope="module")
def declared() -> tuple[set[str], set[str]]:
    """(requirements.txt, requirements-dev.txt without its -r) as normalised names."""
    return _names(ROOT / "requirements.txt"), _names(ROOT / "requirements-dev.txt")


@pytest.fixture(scope="module")
def imported() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(distributions the app imports, distributions only the benchmarks import) -> files."""
    app, bench = _sources()
    at_run_time = _distributions(_third_party_imports(app))
    measuring = {d: f for d, f in _distributions(_third_party_imports(bench)).items() if d not in at_run_time}
    return at_run_time, measuring


def test_every_run_time_import_is_declared(declared, imported) -> None:
    runtime, _dev = declared
    at_run_time, _measuring = imported
    missing = {d: sorted(f) for d, f in at_run_time.items() if d not in runtime}
    assert not missing, f"imported at run time but not in requirements.txt: {missing}"


def test_every_benchmark_import_is_declared(declared, imported) -> None:
    runtime, dev = declared
    _at_run_time, measuring = imported
    missing = {d: sorted(f) for d, f in measuring.items() if d not in runtime | dev}
    assert not missing, f"imported by a benchmark but in neither requirements file: {missing}"


def test_every_declared_run_time_package_is_used(declared, imported) -> None:
    runtime, _dev = declared
    at_run_time, _measuring = imported
    unused = runtime - set(at_run_time) - set(ENGINES_AND_PLUGINS)
    assert not unused, f"in requirements.txt but never imported at run time (nor an engine with a reason): {unused}"


def test_engines_and_plugins_are_declared_and_not_imported(declared, imported) -> None:
    runtime, _dev = declared
    at_run_time, _measuring = imported
    assert set(ENGINES_AND_PLUGINS) <= runtime
    assert not set(ENGINES_AND_PLUGINS) & set(at_run_time), (
        "imported directly: no reason needed, drop it from the table"
    )


def test_the_data_layer_never_imports_streamlit() -> None:
    app, bench = _sources()
    data_layer = [p for p in app + bench if p.relative_to(ROOT).parts[0] == "ovop_data"]
    assert "streamlit" not in _third_party_imports(data_layer)


def _loaded_after_importing(modules: list[str], watched: set[str]) -> list[str]:
    """Which of `watched` a fresh interpreter has loaded after importing `modules`."""
    probe = (
        f"import sys, importlib\nfor m in {modules!r}: importlib.import_module(m)\n"
        f"print(sorted({watched!r} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return ast.literal_eval(done.stdout.strip())


def _modules(package: str, *, skip: tuple[str, ...] = ()) -> list[str]:
    return [
        f"{package}.{p.stem}" if p.stem != "__init__" else package
        for p in sorted((ROOT / package).glob("*.py"))
        if not p.stem.startswith(skip)
    ]


def test_the_app_never_loads_openpyxl() -> None:
    app = [*_modules("ovop_ui"), *_modules("ovop_data", skip=("bench", "__main__"))]
    assert _loaded_after_importing(app, {"openpyxl"}) == []


def test_the_ui_never_loads_the_demo_generator() -> None:
    assert _loaded_after_importing(_modules("ovop_ui"), {"ovop_data.demo"}) == []
