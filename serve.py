"""Start the dashboard warm: `streamlit run serve.py` serves app.py, but only once one run has loaded everything.

The first run of a new server process imports the libraries and reads the workbooks, the gazetteer and the
boundaries (~3–4 s on a 2-core server). Here that run happens before the server accepts its first
connection (uvicorn finishes the start-up below before it listens), so the first visitor after a restart,
and the health check a proxy or systemd waits on, find a server whose caches are warm. `streamlit run
app.py` still works; it only leaves that cost to the first visitor.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st
from streamlit.runtime import Runtime

_LOG = logging.getLogger("ovop.serve")


@asynccontextmanager
async def warm_start(_app: st.App) -> AsyncIterator[None]:
    """Run app.py once (the default page, as a visitor without a session) before serving anyone.

    Streamlit's own script check (the one behind `server.scriptHealthCheckEnabled`) runs it: a session of
    its own, no browser, the caches it fills are the ones every session shares. A failing run is logged and
    the server starts anyway: visitors then see the page's own error message, as without the warm start.
    """
    started = time.perf_counter()
    try:
        ok, message = await Runtime.instance().does_script_run_without_error()
    except Exception as error:  # never keep the server from starting
        ok, message = False, f"{type(error).__name__}: {error}"
    seconds = time.perf_counter() - started
    if ok:
        print(f"Pemanasan selesai dalam {seconds:.1f} detik: data, batas wilayah dan peta siap.", flush=True)
    else:
        _LOG.warning("Pemanasan gagal setelah %.1f detik (%s); server tetap dijalankan.", seconds, message)
    yield


app = st.App("app.py", lifespan=warm_start)
