"""What loading produces: clean tables, the validation findings and the village matches."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

#: Columns of the findings table (also the keys of `validate --json` issues).
FINDING_COLUMNS = ("table", "file", "sheet", "row", "column", "value", "severity", "code", "message", "suggestion")
#: Columns of the matches table (also the keys of `validate --json` matches).
MATCH_COLUMNS = (
    "table",
    "file",
    "sheet",
    "row",
    "desa_input",
    "kecamatan_input",
    "kode_desa",
    "nama_desa",
    "kecamatan",
    "method",
    "score",
)
#: Row-provenance columns every clean table carries, so any figure can be traced to an Excel row.
SOURCE_COLUMNS = ("sumber", "sheet", "baris")


@dataclass
class Dataset:
    """Clean produk/kunjungan/aspirasi tables plus everything needed to explain them.

    Clean tables hold accepted rows only, with the official `kode_desa`, `desa`,
    `kode_kecamatan`, `kecamatan`; a product naming several villages appears once
    per village, sharing one `id_produk`.
    """

    area: str
    produk: pd.DataFrame
    kunjungan: pd.DataFrame
    aspirasi: pd.DataFrame
    findings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(FINDING_COLUMNS)))
    matches: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(MATCH_COLUMNS)))
    rejected: pd.DataFrame = field(default_factory=pd.DataFrame)  # one row per rejected input row, with reasons
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # table -> rows_in/accepted/rejected/blank
    files: list[str] = field(default_factory=list)
    # every loaded file carries the demo mark inside it (demo_mark.py): the UI shows a badge and the demo's date
    is_demo: bool = False

    @property
    def has_errors(self) -> bool:
        return bool((self.findings["severity"] == "error").any())
