"""Browser tests: the real dashboard in Debian's chromium, driven by Playwright.

Nothing here reaches the internet. Requests to the CDNs that folium's HTML names are answered from
.e2e/npm/node_modules (installed by scripts/test.sh at the versions folium asks for), CDN files with
no npm package there get an empty file, map tiles a blank tile, and any other outside request is
aborted and listed, so a map whose scripts did not load stays blank and its test fails.
"""

from __future__ import annotations

import io
import json
import mimetypes
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, TypedDict
from urllib.parse import urlsplit

import pytest
from oidc_server import Provider, running_provider, stop_server
from PIL import Image
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Frame,
    Page,
    Route,
    expect,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[2]
NPM_MODULES = ROOT / ".e2e" / "npm" / "node_modules"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags chromium keeps dialling Google's hosts, which this
# machine's closed network refuses.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
# Streamlit scrolls its content inside these elements; a screenshot grows the window to the tallest.
CONTENT_HEIGHT = """() => Math.max(...[
  ...document.querySelectorAll('body, [data-testid=stMain], [data-testid=stSidebarContent]'),
].map((element) => element.scrollHeight))"""

# Generous but bounded: two cores share streamlit, chromium and pytest.
SERVER_START_S = 60
APP_RUN_MS = 60_000
MAP_MS = 30_000

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
#: Every address but the dashboard's own (loopback): only these go through Network.handle. Intercepting the
#: ~150 script files of Streamlit's front end too put each through the test's Python, a delay no visitor has.
OUTSIDE_REQUESTS = re.compile(rf"^https?://(?!(?:{'|'.join(map(re.escape, sorted(LOCAL_HOSTS)))})(?::\d+)?/)")
CDN_HOSTS = {
    "cdn.jsdelivr.net",
    "unpkg.com",
    "cdnjs.cloudflare.com",
    "code.jquery.com",
    "netdna.bootstrapcdn.com",
    "maxcdn.bootstrapcdn.com",
    "stackpath.bootstrapcdn.com",
    "d3js.org",
}
# cdn.jsdelivr.net/npm/<package>@<version>/<file> and unpkg.com/<package>@<version>/<file>
NPM_CDN_PATH = re.compile(r"^/(?:npm/)?(?P<package>(?:@[^/@]+/)?[^/@]+)@(?P<version>[^/]+)/(?P<file>.+)$")
# cdnjs.cloudflare.com/ajax/libs/<library>/<version>/<file>
CDNJS_PATH = re.compile(r"^/ajax/libs/(?P<package>[^/]+)/(?P<version>[^/]+)/(?P<file>.+)$")
# code.jquery.com/jquery-<version>(.min).js
JQUERY_PATH = re.compile(r"^/jquery-(?P<version>\d[\d.]*)(?P<file>(?:\.min)?\.js)$")
#: Folder of the cdnjs file inside the npm package, for the cdnjs libraries installed from npm.
CDNJS_FOLDERS = {"jquery": "dist/", "leaflet.markercluster": "dist/", "d3": ""}
# Opened directly on a page URL (/peta), Streamlit's frontend first asks /peta/_stcore/health and
# /peta/_stcore/host-config, logs their 404s, then finds the server at / (Streamlit issue 7074).
STREAMLIT_SUBPAGE_PROBE = re.compile(r"/[^/]+/_stcore/(?:health|host-config)$")
# Slippy-map tiles: .../{z}/{x}/{y}.png on any tile server.
TILE_PATH = re.compile(r"/\d+/\d+/\d+(?:@2x)?\.(?:png|jpe?g|webp)$")

# Runs in the top frame before the page's own scripts: counts finished Streamlit script runs, so a
# test can wait for the run that its click started. (Not usable inside the map's iframe: Chromium
# reuses that frame's initial about:blank window and does not run it again for the real document.)
# A run quick enough that React renders "running" and "notRunning" in one pass changes no attribute,
# so the messages of Streamlit's websocket are counted too: traffic since the click followed by a
# quiet spell (QUIET_MS, far longer than a render) also means the run it caused has finished.
SCRIPT_RUN_COUNTER = """
if (window === window.top) {
  window.__ovopScriptRuns = 0;
  window.__ovopMessages = 0;
  window.__ovopLastMessage = 0;
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.target.getAttribute('data-test-script-state') === 'notRunning') window.__ovopScriptRuns += 1;
    }
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => {
        window.__ovopMessages += 1;
        window.__ovopLastMessage = performance.now();
      });
    }
  };
}
"""
QUIET_MS = 300
# True once Streamlit is idle (checked on every animation frame, so no time is lost between polls).
APP_IDLE = f"""(after) => {{
  const app = document.querySelector('[data-testid=stApp]');
  const ranSince = after === null
    || window.__ovopScriptRuns > after.runs
    || (window.__ovopMessages > after.messages && performance.now() - window.__ovopLastMessage > {QUIET_MS});
  return app !== null
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && ranSince
    && document.querySelector('[data-testid=stStatusWidgetRunningIcon], [data-testid=stSkeleton]') === null;
}}"""
APP_STATE = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  return {
    connection: app && app.getAttribute('data-test-connection-state'),
    script: app && app.getAttribute('data-test-script-state'),
    finishedRuns: window.__ovopScriptRuns,
    messages: window.__ovopMessages,
    runningIcon: document.querySelectorAll('[data-testid=stStatusWidgetRunningIcon]').length,
    skeletons: document.querySelectorAll('[data-testid=stSkeleton]').length,
  };
}"""
FOLIUM_IFRAME = "iframe[title='streamlit_folium.st_folium']"
# Asked of each iframe while waiting for a map. Counts the vector layers Leaflet has drawn (SVG or
# canvas: folium's prefer_canvas leaves no <path> to count) on every map of non-zero size, and those
# of them that are villages (GeoJSON feature with properties.kode_desa, as ovop_data.maps makes).
# `_renderer._container` is Leaflet-internal, stable through 1.9; the clock dates the finding.
MAP_PROBE = """() => {
  const L = window.L;
  const found = {leaflet: typeof L === 'object' && typeof L.Map === 'function', maps: 0, shapes: 0, desa: 0};
  found.now = Date.now();
  if (!found.leaflet) return found;
  const maps = new Set(Object.values(window).filter((value) => value instanceof L.Map));
  for (const map of maps) {
    const size = map.getSize();
    if (size.x === 0 || size.y === 0) continue;
    found.maps += 1;
    map.eachLayer((layer) => {
      const drawnOn = layer instanceof L.Path && layer._renderer && layer._renderer._container;
      if (!drawnOn || !drawnOn.isConnected) return;
      found.shapes += 1;
      if (layer.feature && layer.feature.properties && layer.feature.properties.kode_desa) found.desa += 1;
    });
  }
  return found;
}"""


def _blank_tile() -> bytes:
    """A 256×256 PNG in OpenStreetMap's background colour, answered for every map tile."""
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (242, 239, 233)).save(buffer, format="PNG")
    return buffer.getvalue()


BLANK_TILE = _blank_tile()


def _installed_version(package: str) -> str | None:
    """Version of an npm package in .e2e/npm, or None when it is not installed."""
    manifest = NPM_MODULES / package / "package.json"
    if not manifest.exists():
        return None
    return json.loads(manifest.read_text(encoding="utf-8")).get("version")


def _cdn_package_file(url: str) -> tuple[str, str, str] | None:
    """(npm package, version, file inside the package) that a CDN address names, if it names one."""
    parts = urlsplit(url)
    host, path = parts.hostname, parts.path
    if host in {"cdn.jsdelivr.net", "unpkg.com"} and (match := NPM_CDN_PATH.match(path)):
        return match["package"], match["version"], match["file"]
    if host == "cdnjs.cloudflare.com" and (match := CDNJS_PATH.match(path)) and match["package"] in CDNJS_FOLDERS:
        return match["package"], match["version"], CDNJS_FOLDERS[match["package"]] + match["file"]
    if host == "code.jquery.com" and (match := JQUERY_PATH.match(path)):
        return "jquery", match["version"], "dist/jquery" + match["file"]
    return None


def npm_file(url: str) -> tuple[str, Path] | None:
    """(npm package, installed file) for a CDN address, only when exactly that version is installed."""
    named = _cdn_package_file(url)
    if named is None:
        return None
    package, version, file = named
    path = NPM_MODULES / package / file
    if _installed_version(package) != version or not path.is_file():
        return None
    return package, path


def _content_type(url: str) -> str:
    """Content type for an address by its file extension (empty stand-ins must still parse as JS/CSS)."""
    guessed, _ = mimetypes.guess_type(urlsplit(url).path)
    return guessed or "application/octet-stream"


@dataclass
class Network:
    """Answers the page's outside requests locally and remembers how each was answered."""

    #: npm packages answered with an empty file instead, to prove that a broken map is caught.
    withhold: set[str] = field(default_factory=set)
    served: list[str] = field(default_factory=list)
    stubbed: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    tiles: int = 0

    def handle(self, route: Route) -> None:
        """Playwright route handler for a browser context's requests (OUTSIDE_REQUESTS: all but loopback)."""
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        elif TILE_PATH.search(parts.path):
            self.tiles += 1
            route.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
        elif parts.hostname in CDN_HOSTS:
            found = npm_file(url)
            headers = {"Access-Control-Allow-Origin": "*"}
            if found is not None and found[0] not in self.withhold:
                self.served.append(url)
                route.fulfill(status=200, path=found[1], headers=headers)
            else:
                self.stubbed.append(url)
                route.fulfill(status=200, content_type=_content_type(url), body=b"", headers=headers)
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")


@dataclass
class BrowserErrors:
    """Console errors and uncaught exceptions of one page."""

    console: list[str] = field(default_factory=list)
    uncaught: list[str] = field(default_factory=list)

    def record_console(self, message: ConsoleMessage) -> None:
        """Keep console messages of type error, with where they came from (less Streamlit's known 404s)."""
        url = message.location.get("url", "")
        if message.type == "error" and not STREAMLIT_SUBPAGE_PROBE.search(url):
            self.console.append(f"{message.text} ({url})")

    def all(self) -> list[str]:
        """Every error seen so far; a test asserts this is empty."""
        return [*self.uncaught, *self.console]


class LeafletMap(NamedTuple):
    """A rendered folium map: its frame, the vector shapes drawn on it, and when they were found."""

    frame: Frame
    #: every vector layer drawn (villages, outlines, circle markers…) on the frame's visible maps
    shapes: int
    #: the drawn layers that are villages (GeoJSON properties.kode_desa)
    desa: int
    #: the page's navigation start → shapes found, by the browser's clock (to within one poll, 50 ms).
    ms_to_shapes: float


class MapNotRendered(AssertionError):
    """No frame of the page drew the expected Leaflet shapes in time."""


@dataclass
class Dashboard:
    """A running `streamlit run serve.py` (app.py, warmed up before it answers)."""

    url: str
    log: Path
    #: its data folder (a copy of data/): a workbook added here is read on the next script run
    data: Path

    def log_tail(self, lines: int = 200) -> str:
        """The last lines of streamlit's output (printed when a test fails)."""
        text = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(text[-lines:])


# --- helpers for the tests -----------------------------------------------------------------------


class RunMark(TypedDict):
    """Where a page's run counters stood; wait_for_app(after=…) waits for a run past it."""

    runs: int
    messages: int


def script_runs(page: Page) -> RunMark:
    """Where the page's script runs stand now; pass it to wait_for_app after a click."""
    mark = page.evaluate("({runs: window.__ovopScriptRuns, messages: window.__ovopMessages})")
    assert mark["runs"] is not None, "the script-run counter is missing (page not opened from the `page` fixture?)"
    return RunMark(runs=mark["runs"], messages=mark["messages"])


def wait_for_app(page: Page, *, after: RunMark | None = None, timeout_ms: int = APP_RUN_MS) -> None:
    """Wait until Streamlit has finished running: connected, script not running, no spinner or skeleton.

    After an interaction pass `after=script_runs(page)` read just before it, so that the wait cannot
    end before the rerun it caused has even started. (A new document, e.g. page.goto, restarts the count.)
    """
    try:
        page.wait_for_function(APP_IDLE, arg=after, timeout=timeout_ms)
    except PlaywrightTimeoutError:
        state = page.evaluate(APP_STATE)
        raise AssertionError(f"Streamlit still busy after {timeout_ms} ms: {state}") from None


def sign_in_with_password(page: Page, base_url: str, nama: str, sandi: str) -> None:
    """Open Masuk, sign in with a built-in account and wait until the page says who is signed in."""
    page.goto(base_url + "masuk")
    wait_for_app(page)
    page.get_by_label("Nama akun").fill(nama)
    page.get_by_label("Kata sandi").fill(sandi)
    runs = script_runs(page)
    page.get_by_role("button", name="Masuk", exact=True).click()
    wait_for_app(page, after=runs)
    expect(page.get_by_text(f"Anda masuk sebagai {nama}")).to_be_visible()


def map_frame(page: Page, *, min_shapes: int = 1, timeout_ms: int = MAP_MS) -> LeafletMap:
    """The first iframe whose Leaflet map has drawn at least `min_shapes` vector shapes (bounded polling)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        seen = []
        for frame in page.frames:
            if frame == page.main_frame or frame.is_detached():
                continue
            try:
                found = frame.evaluate(MAP_PROBE)
            except PlaywrightError as error:  # the frame went away between listing and asking: look again
                seen.append(f"{frame.url[:80]}: {error.message.splitlines()[0]}")
                continue
            leaflet = "loaded" if found["leaflet"] else "MISSING"
            seen.append(f"{frame.url[:80]}: Leaflet {leaflet}, {found['maps']} visible maps, {found['shapes']} shapes")
            if found["shapes"] >= min_shapes:
                started = page.evaluate("performance.timeOrigin")
                return LeafletMap(frame, found["shapes"], found["desa"], found["now"] - started)
        if time.monotonic() > deadline:
            raise MapNotRendered(f"no map with >= {min_shapes} shapes after {timeout_ms} ms; frames: {seen}")
        page.wait_for_timeout(50)


def wait_for_page(page: Page) -> None:
    """wait_for_app, then, when the page shows a folium map, until that map has drawn its shapes."""
    wait_for_app(page)
    if page.locator(FOLIUM_IFRAME).count():
        map_frame(page)


def save_screenshots(page: Page, name: str, ready: Callable[[Page], object] = wait_for_page) -> list[Path]:
    """Whole-page screenshots at desktop and phone sizes in artifacts/screenshots/, to look at.

    The page is reloaded at each new size (same URL), so the picture is what someone opening the link
    on that screen gets: components such as the map size themselves only when they first render.
    `ready` waits for what must be on screen. Call it last in a test: it leaves the page at phone size.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    paths = []
    for label, size in VIEWPORTS.items():
        if page.viewport_size != size:
            page.set_viewport_size(size)
            page.reload()
        ready(page)
        # Streamlit scrolls inside its main area and sidebar: grow the window to the taller content.
        height = page.evaluate(CONTENT_HEIGHT)
        page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
        path = SCREENSHOTS / f"{name}-{label}.png"
        page.screenshot(path=path)
        paths.append(path)
    return paths


# --- fixtures ------------------------------------------------------------------------------------


def _missing_prerequisite(message: str) -> None:
    """Fail in CI (which installs everything), skip on a developer's machine that has not."""
    message += " — run `bash scripts/test.sh`, which installs it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def npm_modules() -> Path:
    """.e2e/npm/node_modules, where the files that folium's maps ask the CDNs for are installed."""
    if _installed_version("leaflet") is None:
        _missing_prerequisite(f"the npm files for the maps are not in {NPM_MODULES}")
    return NPM_MODULES


@pytest.fixture(scope="session")
def browser(npm_modules: Path) -> Iterator[Browser]:
    """Debian's headless chromium (Playwright cannot download its own browser on these machines)."""
    if not CHROMIUM.exists():
        _missing_prerequisite(f"{CHROMIUM} is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def network() -> Network:
    """How this test's outside requests were answered; set `withhold` before opening a page."""
    return Network()


def new_context(browser: Browser, network: Network) -> BrowserContext:
    """A fresh browser context at desktop size, with every outside request answered locally; close it after."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="id-ID", timezone_id="Asia/Jakarta")
    context.set_default_timeout(APP_RUN_MS)
    context.route(OUTSIDE_REQUESTS, network.handle)
    context.add_init_script(SCRIPT_RUN_COUNTER)
    return context


def new_page(context: BrowserContext, errors: BrowserErrors) -> Page:
    """A page of `context` whose console errors and uncaught exceptions land in `errors`."""
    page = context.new_page()
    page.on("console", errors.record_console)
    page.on("pageerror", lambda error: errors.uncaught.append(str(error)))
    return page


@pytest.fixture
def context(browser: Browser, network: Network) -> Iterator[BrowserContext]:
    """A fresh browser context at desktop size, with every outside request answered locally."""
    context = new_context(browser, network)
    yield context
    context.close()


@pytest.fixture
def browser_errors() -> BrowserErrors:
    """Console errors and uncaught exceptions of the test's page."""
    return BrowserErrors()


@pytest.fixture
def page(context: BrowserContext, browser_errors: BrowserErrors) -> Page:
    """A page of the test's context whose errors land in `browser_errors`."""
    return new_page(context, browser_errors)


def _free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    """Poll /_stcore/health until streamlit answers ok; fail with its log when it dies or times out."""
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:  # not listening yet: ask again
            pass
        time.sleep(0.2)
    output = log.read_text(encoding="utf-8", errors="replace")
    pytest.fail(f"streamlit did not become healthy (exit code {process.poll()}); its output:\n{output}")


@contextmanager
def _running_dashboard(
    work: Path, geo_server: str, extra_args: Sequence[str] = (), path: str = "/"
) -> Iterator[Dashboard]:
    """`streamlit run serve.py` on a free local port, on a copy of data/ and locally served boundaries.

    `extra_args` are more `--section.option value` pairs for streamlit (e.g. a secrets file of the test's own);
    `path` other than "/" serves the dashboard under that sub-path (server.baseUrlPath), as behind a proxy.
    """
    data = work / "data"
    # Only the committed data: a local boundary cache or archive would hide a broken download.
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("geo", "arsip"))
    env = {
        **os.environ,
        "OVOP_WILAYAH": "35.05",
        "OVOP_DATA_DIR": str(data),
        "OVOP_GEO_BASE_URL": geo_server,
        "OVOP_GEO_DIR": str(work / "geo"),
        # The first visitor waits for the (fast, local) download, so every test sees the real map and none sees
        # it swap in mid-test; the schematic map during a slow download is tested with AppTest (test_app_peta).
        "OVOP_GEO_WAIT": "60",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("OVOP_BATAS_DESA", None)  # a developer's own boundary file would bypass the download
    port = _free_port()
    url = f"http://127.0.0.1:{port}{path}"
    if path != "/":
        extra_args = [*extra_args, "--server.baseUrlPath", path.strip("/")]
    log = work / "streamlit.log"
    command = [
        sys.executable, "-m", "streamlit", "run", "serve.py",
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        *extra_args,
    ]  # fmt: skip
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_until_healthy(url, process, log)
        yield Dashboard(url, log, data)
    finally:
        stop_server(process)


@pytest.fixture(scope="session")
def dashboard(tmp_path_factory: pytest.TempPathFactory, geo_server: str) -> Iterator[Dashboard]:
    """The dashboard most tests share, started once for the session."""
    with _running_dashboard(tmp_path_factory.mktemp("dashboard"), geo_server) as running:
        yield running


@pytest.fixture
def fresh_dashboard(tmp_path: Path, geo_server: str) -> Iterator[Dashboard]:
    """A dashboard started for this test alone, with empty caches: its first visitor is the test."""
    with _running_dashboard(tmp_path, geo_server) as running:
        yield running


@pytest.fixture(scope="module")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    """A real OpenID Connect provider (oidc-provider-mock) on loopback, shared by a module's tests."""
    with running_provider(tmp_path_factory.mktemp("oidc")) as provider:
        yield provider


def auth_secrets(provider: Provider, path: str = "/") -> str:
    """The `[auth]` secrets that point st.login at `provider`, for a dashboard served at `path` on 127.0.0.1
    (streamlit fills in its own port for `{port}`)."""
    return (
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{{port}}{path}oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "dasbor-ovop"\n'
        'client_secret = "rahasia-uji"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n'
    )


@pytest.fixture(scope="module")
def oidc_dashboard(
    tmp_path_factory: pytest.TempPathFactory, geo_server: str, oidc_provider: Provider
) -> Iterator[Dashboard]:
    """The dashboard with an identity provider configured: `[auth]` in a secrets file of the test's own
    (`--secrets.files`, so neither the repository's nor the developer's .streamlit is read or written)."""
    with _oidc_dashboard(tmp_path_factory.mktemp("oidc-dashboard"), geo_server, oidc_provider) as running:
        yield running


@pytest.fixture(scope="module")
def oidc_dashboard_subpath(
    tmp_path_factory: pytest.TempPathFactory, geo_server: str, oidc_provider: Provider
) -> Iterator[Dashboard]:
    """Like oidc_dashboard, served under a sub-path (server.baseUrlPath), as a hosting proxy might."""
    work = tmp_path_factory.mktemp("oidc-dashboard-subpath")
    with _oidc_dashboard(work, geo_server, oidc_provider, path="/ovop/") as running:
        yield running


@contextmanager
def _oidc_dashboard(work: Path, geo_server: str, provider: Provider, path: str = "/") -> Iterator[Dashboard]:
    secrets_file = work / "secrets.toml"
    secrets_file.write_text(auth_secrets(provider, path), encoding="utf-8")
    with _running_dashboard(work, geo_server, ["--secrets.files", str(secrets_file)], path) as running:
        yield running


@pytest.fixture
def app_page(page: Page, dashboard: Dashboard) -> Page:
    """The dashboard's start page, opened and finished running."""
    page.goto(dashboard.url)
    wait_for_app(page)
    return page


# --- reporting -----------------------------------------------------------------------------------

_TIMINGS: list[str] = []


def _record_timing(what: str, ms: float) -> None:
    _TIMINGS.append(f"{what}: {ms / 1000:.2f} s")


@pytest.fixture(scope="session")
def report_timing() -> Callable[[str, float], None]:
    """Call with (what, milliseconds): the figure is printed at the end of the test run."""
    return _record_timing


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the browser timings measured by the tests."""
    if _TIMINGS:
        terminalreporter.write_sep("-", "browser timings")
        for line in _TIMINGS:
            terminalreporter.write_line(line)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Attach streamlit's output and the page's errors to a failed browser test's report."""
    report = yield
    if report.failed:
        funcargs = getattr(item, "funcargs", {})
        for name in ("dashboard", "fresh_dashboard", "oidc_dashboard", "oidc_dashboard_subpath"):
            if isinstance(funcargs.get(name), Dashboard):
                report.sections.append((f"{name}: streamlit output (last lines)", funcargs[name].log_tail()))
        if isinstance(funcargs.get("browser_errors"), BrowserErrors) and funcargs["browser_errors"].all():
            report.sections.append(("browser errors", "\n".join(funcargs["browser_errors"].all())))
        if isinstance(funcargs.get("network"), Network) and funcargs["network"].blocked:
            report.sections.append(("blocked outside requests", "\n".join(funcargs["network"].blocked)))
        if isinstance(funcargs.get("oidc_provider"), Provider):
            report.sections.append(("OIDC provider output (last lines)", funcargs["oidc_provider"].log_tail()))
    return report
