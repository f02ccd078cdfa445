"""Turn located spreadsheet tables into clean tables plus a findings report — losing nothing.

Every data row ends up accepted (in a clean table) or rejected (in ``rejected``,
with its Excel row number and reasons); ``rows_in = accepted + rejected`` for
every table. A row is rejected exactly when it has an error-level finding;
warnings (a corrected name, an unknown category kept as "Lainnya") leave it in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import followup, recorded, vocab
from .codes import check_code
from .dataset import FINDING_COLUMNS, MATCH_COLUMNS, SOURCE_COLUMNS, Dataset
from .dates import parse_dates
from .matching import SEPARATORS, VillageIndex, match_villages, split_names, village_index
from .schema import TABLES, Table
from .sheets import RawTable
from .text import fold, is_blank

REJECTED_COLUMNS = ("table", "file", "sheet", "row", "codes", "message")
_ID = {"produk": "id_produk", "kunjungan": "id_kunjungan", "aspirasi": "id_aspirasi"}
_LOCATION = ("kode_desa", "desa", "kode_kecamatan", "kecamatan")
_KEY = ["file", "sheet", "row"]  # where a row comes from: the key of findings and rejections
_Cells = str | np.ndarray | pd.Series  # one value for every row, or one per row


def _finding_frame(
    table: str,
    file: _Cells,
    sheet: _Cells,
    rows: np.ndarray,
    column: _Cells,
    value: _Cells,
    severity: _Cells,
    code: _Cells,
    message: _Cells,
    suggestion: _Cells = "",
) -> pd.DataFrame:
    """Rows of the findings table (FINDING_COLUMNS) built column-wise: each argument one value for every
    row or one per row. The frame equivalent of codes.finding, so a hostile sheet costs no Python per row."""
    for one in pd.unique(np.asarray(code, dtype=object).ravel()):
        check_code(one)
    if isinstance(value, str):
        value = "" if is_blank(value) else value
    else:
        value = pd.Series(np.asarray(value, dtype=object))
        value = value.map({v: "" if is_blank(v) else str(v) for v in pd.unique(value)})
    columns = dict(
        table=table,
        file=file,
        sheet=sheet,
        row=rows,
        column=column,
        value=value,
        severity=severity,
        code=code,
        message=message,
        suggestion=suggestion,
    )
    # Kept as object columns until the report is assembled, so text is converted to str dtype once.
    return pd.DataFrame(
        {c: np.asarray(v, dtype=object) if not isinstance(v, str) else v for c, v in columns.items()},
        index=range(len(rows)),
        dtype=object,
    )


class _Findings:
    """Checking one located table: its cells as text (converted once) and the findings collected.

    Rows are addressed by their position in the table frame; findings are collected as frames, one per check.
    """

    def __init__(self, raw: RawTable) -> None:
        self.raw = raw
        self.baris = raw.frame["baris"].astype(int).to_numpy()
        self.parts: list[pd.DataFrame] = []
        self._texts: dict[str, pd.Series] = {}

    def text(self, name: str) -> pd.Series:
        """A column as str ('' for empty, or for a column the sheet does not have)."""
        if name not in self._texts:
            frame = self.raw.frame
            self._texts[name] = (
                as_text(frame[name]) if name in frame else pd.Series("", index=frame.index, dtype=object)
            )
        return self._texts[name]

    def add_header(self, column: str, severity: str, code: str, message: str, suggestion: str = "") -> None:
        """A finding about the sheet itself, reported at its header row."""
        rows = np.array([self.raw.header_row])
        self.parts.append(
            _finding_frame(
                self.raw.table, self.raw.file, self.raw.sheet, rows, column, "", severity, code, message, suggestion
            )
        )

    def add_at(
        self,
        pos: np.ndarray,
        column: _Cells,
        values: _Cells,
        severity: _Cells,
        code: _Cells,
        message: _Cells,
        suggestion: _Cells = "",
    ) -> None:
        """Findings for the rows at positions ``pos`` (in this order); the rest one value each or one per row."""
        if len(pos):
            rows = self.baris[pos]
            self.parts.append(
                _finding_frame(
                    self.raw.table,
                    self.raw.file,
                    self.raw.sheet,
                    rows,
                    column,
                    values,
                    severity,
                    code,
                    message,
                    suggestion,
                )
            )

    def frame(self) -> pd.DataFrame:
        """Every finding collected, in the order the checks made them."""
        return pd.concat(self.parts, ignore_index=True) if self.parts else _empty_findings()

    def add_mask(
        self,
        mask: pd.Series,
        column: str,
        values: pd.Series,
        severity: str,
        code: str,
        message: str,
        suggestion: str = "",
    ) -> None:
        pos = mask.to_numpy(dtype=bool).nonzero()[0]
        self.add_at(pos, column, values.to_numpy(dtype=object)[pos], severity, code, message, suggestion)


def _cell_text(value: object) -> str:
    """A cell as staff would read it: 81234.0 -> '81234', dates as ISO, blanks as ''."""
    if type(value) is str:
        return value.strip()
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


#: Cell types whose equal values always read the same, so each distinct value is converted once.
_BY_VALUE = frozenset({str, int, float})


def as_text(values: pd.Series) -> pd.Series:
    """Column of cells as str ('' for empty)."""
    cells = values.to_numpy(dtype=object)
    of_kind, kinds = pd.factorize(np.fromiter(map(type, cells), dtype=object, count=len(cells)))
    out = np.empty(len(cells), dtype=object)
    for i, kind in enumerate(kinds):
        at = of_kind == i if len(kinds) > 1 else slice(None)
        # A column repeats its few names, numbers, days and blanks thousands of times. Equal datetimes
        # read the same unless they carry different time zones, which readers never give but are checked.
        if kind in _BY_VALUE or (kind is dt.datetime and all(v.tzinfo is None for v in cells[at])):
            codes, distinct = pd.factorize(cells[at], use_na_sentinel=False)
            out[at] = np.array([_cell_text(v) for v in distinct], dtype=object)[codes]
        else:
            out[at] = [_cell_text(v) for v in cells[at]]
    return pd.Series(out, index=values.index, dtype=object)


def _vocab_column(texts: pd.Series, terms: tuple[vocab.Term, ...]) -> pd.Series:
    distinct = {t: vocab.lookup(t, terms) for t in texts.unique()}
    return texts.map(distinct)


def _labels(texts: pd.Series, terms: tuple[vocab.Term, ...]) -> pd.Series:
    distinct = {t: "; ".join(vocab.lookup_all(t, terms)) for t in texts.unique()}
    return texts.map(distinct)


def _opd_labels(found: _Findings, name: str, kategori: pd.Series | None = None) -> pd.Series:
    """Each owner named in a cell under its canonical label ('; '-joined); vague owners become
    'belum ditetapkan' with an `opd_tidak_jelas` warning suggesting which agency to write."""
    typed = found.text(name)
    owners = {t: vocab.opd_owners(t) for t in typed.unique()}
    labels = typed.map({t: "; ".join(label for label, _ in o) for t, o in owners.items()})
    vague = typed.map({t: any(j == "belum_ditetapkan" for _, j in o) for t, o in owners.items()}).astype(bool)
    pos = vague.to_numpy(dtype=bool).nonzero()[0]
    kendala = [None] * len(pos) if kategori is None else list(kategori.to_numpy()[pos])
    suggestion = np.array(
        [_opd_suggestion(t, k) for t, k in zip(typed.to_numpy()[pos], kendala, strict=True)], dtype=object
    )
    found.add_at(
        pos,
        name,
        typed.to_numpy(dtype=object)[pos],
        "warning",
        "opd_tidak_jelas",
        "OPD tidak jelas (mis. 'OPD terkait'); dicatat 'belum ditetapkan'.",
        suggestion,
    )
    return labels


def _opd_suggestion(typed: str, kendala: str | None) -> str:
    """Which agency to write instead of a vague owner: the ones named in its brackets, else the
    usual owner of the obstacle category (vocab.OPD_SARAN)."""
    named = vocab.opd_in_brackets(typed)
    if named:
        return f"Tulis satu OPD; dalam kurung disebut {' dan '.join(named)}."
    if kendala is None:
        return "Tulis nama OPD yang bertanggung jawab (lihat kosakata OPD di README)."
    saran = vocab.OPD_SARAN.get(kendala, vocab.OPD_SARAN["lainnya"])
    return f"Tulis satu OPD, mis. {saran} (kendala {kendala})."


def _int_column(raw: RawTable, name: str, low: int, high: int, found: _Findings, label: str) -> pd.Series:
    texts = found.text(name)
    numbers = pd.to_numeric(texts.str.replace(",", ".", regex=False), errors="coerce")
    ok = numbers.notna() & (numbers == numbers.round()) & numbers.between(low, high)
    found.add_mask(
        (texts != "") & ~ok,
        name,
        texts,
        "warning",
        "nilai_tidak_valid",
        f"{label} harus bilangan bulat {low}–{high}; nilai dikosongkan.",
    )
    return numbers.where(ok).astype("Int64")


def _dates(raw: RawTable, name: str, found: _Findings, required: bool) -> pd.Series:
    texts = found.text(name)
    cells = raw.frame.get(name, texts)
    parsed = parse_dates(cells)
    bad = (texts != "") & parsed.isna()
    found.add_mask(
        bad,
        name,
        texts,
        "error" if required else "warning",
        "tanggal_tidak_valid",
        "Tanggal tidak dapat dibaca." if required else "Tanggal tidak dapat dibaca; dikosongkan.",
        "Tulis seperti 12/07/2023 (hari/bulan/tahun) atau 12 Juli 2023.",
    )
    return parsed


def _vocab_checked(
    found: _Findings, name: str, terms: tuple[vocab.Term, ...], code: str, message: str, suggestion: str = ""
) -> tuple[pd.Series, pd.Series]:
    """A vocabulary column's canonical labels (NaN where unknown or blank) and its typed text; unknown
    non-blank values become warnings."""
    typed = found.text(name)
    label = _vocab_column(typed, terms)
    found.add_mask((typed != "") & label.isna(), name, typed, "warning", code, message, suggestion)
    return label, typed


def _produk_columns(raw: RawTable, found: _Findings) -> dict[str, pd.Series]:
    label, typed = _vocab_checked(
        found,
        "kategori",
        vocab.KATEGORI_PRODUK,
        "kategori_tidak_dikenal",
        "Kategori tidak dikenal; dicatat sebagai 'Lainnya'.",
        "Pakai salah satu kategori baku (lihat README).",
    )
    pelaku = found.text("jenis_pelaku")
    flag = found.text("unggulan").map(fold)
    found.add_mask(
        (flag != "") & ~flag.isin(vocab.YA | vocab.TIDAK),
        "unggulan",
        flag,
        "warning",
        "nilai_tidak_valid",
        "Kolom unggulan harus Ya atau Tidak; dianggap Ya.",
    )
    out = {
        "nama_produk": found.text("nama_produk"),
        "kategori": label.fillna("Lainnya").where(typed != "", ""),
        "kategori_input": typed,
        "pelaku_usaha": found.text("pelaku_usaha"),
        "jenis_pelaku": _vocab_column(pelaku, vocab.JENIS_PELAKU).fillna(pelaku),
        "unggulan": ~flag.isin(vocab.TIDAK),
    }
    for name, terms in (("legalitas", vocab.LEGALITAS), ("pemasaran", vocab.PEMASARAN)):
        typed = found.text(name)
        out[name] = _labels(typed, terms)
        said_none = typed.map(fold).isin(vocab.NONE_WORDS)
        found.add_mask(
            (typed != "") & ~said_none & (out[name] == ""),
            name,
            typed,
            "warning",
            "nilai_tidak_valid",
            f"Isi kolom {name} tidak dikenali; dikosongkan.",
        )
    out["kontak"] = found.text("kontak")
    out["tahun"] = _int_column(raw, "tahun", 1990, 2100, found, "Tahun")
    out["bintang"] = _int_column(raw, "bintang", 1, 5, found, "Bintang OVOP")
    return out


def _kunjungan_columns(raw: RawTable, found: _Findings) -> dict[str, pd.Series]:
    out = {"tanggal": _dates(raw, "tanggal", found, required=True)}
    out |= {name: found.text(name) for name in ("kegiatan", "pejabat", "produk_disorot", "catatan")}
    out["opd_pendamping"] = _opd_labels(found, "opd_pendamping")
    return out


def _aspirasi_columns(raw: RawTable, found: _Findings) -> dict[str, pd.Series]:
    aspirasi = found.text("aspirasi")
    kategori, typed = _vocab_checked(
        found,
        "kategori_kendala",
        vocab.KATEGORI_KENDALA,
        "kategori_tidak_dikenal",
        "Kategori kendala tidak dikenal; dicatat sebagai 'lainnya'.",
    )
    # A blank category is read from the aspiration's own words (documented in the README).
    from_text = _vocab_column(aspirasi, vocab.KATEGORI_KENDALA)
    status, _ = _vocab_checked(
        found, "status", vocab.STATUS, "nilai_tidak_valid", "Status harus Belum, Proses atau Selesai; dianggap Belum."
    )
    kategori = kategori.where(typed != "", from_text).fillna("lainnya")
    return {
        "id_aspirasi": found.text("id_aspirasi"),  # blank: a derived tracking ID, given in `_finish`
        "tanggal": _dates(raw, "tanggal", found, required=True),
        "aspirasi": aspirasi,
        "kategori_kendala": kategori,
        "opd_penanggung_jawab": _opd_labels(found, "opd_penanggung_jawab", kategori),
        "status": status.fillna("Belum"),
        "tenggat": _dates(raw, "tenggat", found, required=False),
        "tindak_lanjut": found.text("tindak_lanjut"),
    }


_COLUMNS_OF = {"produk": _produk_columns, "kunjungan": _kunjungan_columns, "aspirasi": _aspirasi_columns}


def _table_columns(raw: RawTable, found: _Findings) -> pd.DataFrame:
    """Typed, vocabulary-mapped columns of one table (everything except the village).

    Where the clean value no longer shows whether the cell was blank (a default filled in, a value read
    from elsewhere, "belum ada" emptied), a `tercatat_<kolom>` flag keeps what the workbook carried.
    """
    out = _COLUMNS_OF[raw.table](raw, found)
    out |= {recorded.flag_column(name): found.text(name) != "" for name in recorded.FLAGGED[raw.table]}
    return pd.DataFrame(out, index=raw.frame.index)


def _village_requests(found: _Findings) -> pd.DataFrame:
    """One request per village named in a row ('A, B dan C' gives three), pointing back at the row."""
    desa, kec, kode = (found.text(c) for c in ("desa", "kecamatan", "kode_desa"))
    codes, distinct = pd.factorize((desa + kode).to_numpy(dtype=object))
    several = np.array([bool(SEPARATORS.search(t)) for t in distinct], dtype=bool)[codes]
    single = pd.DataFrame(
        {
            "pos": range(len(desa)),
            "desa_input": desa.to_numpy(),
            "kecamatan_input": kec.to_numpy(),
            "kode_input": kode.to_numpy(),
        }
    )
    if not several.any():
        return _with_region(found, single)
    at = np.flatnonzero(several)
    # Each distinct (desa, kecamatan, kode) cell triple is split once; its rows share the pieces.
    triple, distinct = pd.MultiIndex.from_arrays([desa.iloc[at], kec.iloc[at], kode.iloc[at]]).factorize()
    pieces = [_split_request(*t) for t in distinct]
    count = np.array([len(p) for p in pieces], dtype=np.int64)
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    flat = np.array([r for p in pieces for r in p], dtype=object).reshape(-1, 3)
    per_row = count[triple]
    within = np.arange(per_row.sum()) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    records = flat[np.repeat(start[triple], per_row) + within]
    split = pd.DataFrame(
        {
            "pos": np.repeat(at, per_row),
            "desa_input": records[:, 0],
            "kecamatan_input": records[:, 1],
            "kode_input": records[:, 2],
        }
    )
    return _with_region(
        found, pd.concat([single[~several], split]).sort_values("pos", kind="stable", ignore_index=True)
    )


def _with_region(found: _Findings, requests: pd.DataFrame) -> pd.DataFrame:
    """The requests with the row's own kabupaten/kota and province (a code column wins over a name column),
    when the sheet has such columns: registers compiled above the regency say where each village is."""
    columns = {}
    for name in ("kabupaten", "provinsi"):
        typed, code = found.text(name), found.text(f"kode_{name}")
        if (typed != "").any() or (code != "").any():
            columns[f"{name}_input"] = code.where(code != "", typed).to_numpy(dtype=object)[requests["pos"].to_numpy()]
    return requests.assign(**columns) if columns else requests


def _split_request(d: str, k: str, c: str) -> list[tuple[str, str, str]]:
    """The (desa, kecamatan, kode) requests of a cell triple naming several villages, in the order typed."""
    names, kecs, codes = split_names(d), split_names(k), split_names(c)
    count = max(len(names), len(codes), 1)
    return [
        (
            names[i] if i < len(names) else (d if count == 1 else ""),
            kecs[i] if len(kecs) == count else k,
            codes[i] if len(codes) == count else (c if count == 1 else ""),
        )
        for i in range(count)
    ]


def _check_table(raw: RawTable, index: VillageIndex) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Candidate rows of one located table (with error flags), its findings and its matches."""
    found = _Findings(raw)
    schema: Table = TABLES[raw.table]
    for name in raw.missing_required:
        found.add_header(
            name,
            "error",
            "kolom_tidak_ada",
            f"Kolom wajib '{schema.column(name).label}' tidak ada di sheet '{raw.sheet}'; "
            "semua baris sheet ini ditolak.",
            f"Tambahkan kolom dengan judul '{schema.column(name).label}'.",
        )
    for name in schema.required:
        if name in raw.frame and name != "desa":
            texts = found.text(name)
            found.add_mask(
                texts == "",
                name,
                texts,
                "error",
                "nilai_wajib_kosong",
                f"Kolom wajib '{schema.column(name).label}' kosong.",
            )
    for name in schema.describing:
        if name not in raw.frame:
            label = schema.column(name).label
            found.add_header(
                name,
                "warning",
                "kolom_tidak_tercatat",
                f"Kolom '{label}' tidak ada di sheet '{raw.sheet}'; isinya dicatat 'tidak tercatat' untuk semua "
                "baris (baris tetap diterima).",
                f"Tambahkan kolom dengan judul '{label}' bila datanya ada.",
            )
    values = _table_columns(raw, found)

    requests = _village_requests(found)
    result = match_villages(requests, index.villages, index.area, index=index)
    baris = pd.Series(found.baris, dtype=int)
    resolved = result["kode_desa"] != ""
    matched = requests[resolved].join(result.loc[resolved, ["kode_desa", "nama_desa", "kecamatan", "method", "score"]])
    matches = matched.assign(
        table=raw.table,
        file=raw.file,
        sheet=raw.sheet,
        row=baris.iloc[matched["pos"]].to_numpy(),
        score=matched["score"].round(1),
    )
    matches = matches.loc[:, list(MATCH_COLUMNS)]
    _add_match_findings(found, requests, result, resolved.to_numpy())

    located = requests[["pos"]].join(
        result[["kode_desa", "nama_desa", "kode_kecamatan", "kecamatan"]].rename(columns={"nama_desa": "desa"})
    )
    candidates = values.iloc[located["pos"]].reset_index(drop=True).join(located.reset_index(drop=True))
    candidates = candidates.assign(
        sumber=raw.file,
        sheet=raw.sheet,
        baris=raw.frame["baris"].iloc[candidates["pos"]].astype(int).to_numpy(),
    )
    extras = [c for c in raw.frame.columns if c not in {col.name for col in schema.columns} and c != "baris"]
    if extras:
        candidates = candidates.join(raw.frame[extras].iloc[candidates["pos"]].reset_index(drop=True))
    if raw.missing_required:
        candidates = candidates.iloc[0:0]
    return candidates, found.frame(), matches


def _add_match_findings(found: _Findings, requests: pd.DataFrame, result: pd.DataFrame, resolved: np.ndarray) -> None:
    """Errors of the requests no village was found for, then the warnings (notes) of every request.

    Results are shared by all requests typing the same village, so this only picks columns: the value
    of each finding is the request's input in the column the finding is about.
    """
    inputs = {
        "desa": requests["desa_input"].to_numpy(dtype=object),
        "kecamatan": requests["kecamatan_input"].to_numpy(dtype=object),
        "kode_desa": requests["kode_input"].to_numpy(dtype=object),
    }
    for name in ("kabupaten", "provinsi"):  # the row's own region, when the sheet has it
        column = f"{name}_input"
        inputs[name] = (
            requests[column].to_numpy(dtype=object) if column in requests else np.full(len(requests), "", dtype=object)
        )
    positions = requests["pos"].to_numpy()

    def typed(columns: np.ndarray, at: np.ndarray) -> np.ndarray:
        unknown = set(pd.unique(columns)) - inputs.keys()
        if unknown:
            raise KeyError(unknown.pop())
        return np.select([columns == c for c in inputs], [inputs[c][at] for c in inputs], "")

    failed = np.flatnonzero(~resolved)
    if len(failed):
        f = result.iloc[failed]
        code, column = f["code"].to_numpy(dtype=object), f["column"].to_numpy(dtype=object)
        message = np.where(code == "nilai_wajib_kosong", "Kolom wajib 'Desa/Kelurahan' kosong.", f["message"])
        found.add_at(
            positions[failed],
            column,
            typed(column, failed),
            "error",
            code,
            message.astype(object),
            f["suggestion"].to_numpy(dtype=object),
        )
    notes = result["notes"].to_numpy(dtype=object)
    counts = np.fromiter(map(len, notes), dtype=np.int64, count=len(notes))
    if counts.any():
        at = np.repeat(np.arange(len(notes)), counts)
        flat = [note for some in notes[counts > 0] for note in some]  # (column, code, message)
        column, code, message = (np.array([note[i] for note in flat], dtype=object) for i in range(3))
        found.add_at(positions[at], column, typed(column, at), "warning", code, message)


def _keys(file: pd.Series, sheet: pd.Series, row: pd.Series) -> pd.MultiIndex:
    """Where rows come from, as an index to test membership with (file, sheet, Excel row)."""
    return pd.MultiIndex.from_arrays([file.to_numpy(dtype=object), sheet.to_numpy(dtype=object), row.astype(int)])


def _mark_duplicates(table: str, rows: pd.DataFrame, bad: pd.MultiIndex) -> pd.DataFrame:
    """Findings for rows that repeat an earlier accepted row of the same table: equal in every identifying column
    (the same product of the same producer in the same villages), not merely the same product name."""
    ok = rows.loc[~_keys(rows["sumber"], rows["sheet"], rows["baris"]).isin(bad)]
    if ok.empty:
        return _empty_findings()
    # The identifying columns of the schema; the village ones are compared by the village found (kode_desa).
    fields = [c for c in TABLES[table].identifying if c not in _LOCATION]
    # Text compares case-, space- and punctuation-insensitively ("Keripik Pisang" = "keripik  pisang").
    record = ok[fields].apply(
        lambda col: col.str.lower().str.replace(r"[^0-9a-z]+", "", regex=True) if col.dtype.kind in "OT" else col
    )
    # One id per input row: a product of several villages is several candidate rows of one input row.
    row_id = ok.groupby(["sumber", "sheet", "baris"], sort=False).ngroup()
    villages = ok["kode_desa"].astype(str)
    several = row_id.duplicated(keep=False)
    if several.any():  # a product of several villages: its record is the sorted set of villages
        joined = villages[several].groupby(row_id[several]).agg(lambda s: ";".join(sorted(s)))
        villages = villages.where(~several, row_id.map(joined))
    per_row = record.assign(kode_desa=villages, _row=row_id).drop_duplicates("_row")
    same = [*fields, "kode_desa"]
    first = per_row.groupby(same, sort=False, dropna=False)["_row"].transform("first")
    dup = per_row.duplicated(same, keep="first").to_numpy()
    if not dup.any():
        return _empty_findings()
    repeats, originals = per_row.index[dup], first[dup]
    # One message per original row, shared by all its repeats.
    source = ok.loc[per_row.index, ["sumber", "sheet", "baris"]].set_axis(per_row["_row"].to_numpy())
    shown = source.loc[pd.unique(originals)]
    message = {
        r: f"Baris ini sama dengan baris {int(b)} (berkas '{f}', sheet '{s}'); tidak dihitung dua kali."
        for r, f, s, b in zip(shown.index, shown["sumber"], shown["sheet"], shown["baris"], strict=True)
    }
    at = ok.loc[repeats]
    return _finding_frame(
        table,
        at["sumber"].to_numpy(dtype=object),
        at["sheet"].to_numpy(dtype=object),
        at["baris"].astype(int).to_numpy(),
        "",
        "",
        "error",
        "duplikat",
        originals.map(message).to_numpy(dtype=object),
        "Hapus salah satu baris.",
    )


def _repeated_id_findings(rows: pd.DataFrame) -> pd.DataFrame:
    """Warnings for accepted aspirations whose ID Aspirasi an earlier row already has (they get a derived ID)."""
    again = followup.repeated_ids(rows).to_numpy(dtype=bool)
    if not again.any():
        return _empty_findings()
    given = rows[followup.ID_COLUMN].astype(str).str.strip()
    first = rows.loc[~given.duplicated()].set_index(given[~given.duplicated()])
    at = rows.loc[again]
    where = first.loc[given[again], ["sumber", "sheet", "baris"]]
    message = [
        f"ID Aspirasi '{i}' sudah dipakai baris {int(b)} (berkas '{f}', sheet '{s}'); baris ini diberi ID buatan "
        "sistem agar riwayat tindak lanjut keduanya tidak tercampur."
        for i, f, s, b in zip(given[again], where["sumber"], where["sheet"], where["baris"], strict=True)
    ]
    return _finding_frame(
        "aspirasi",
        at["sumber"].to_numpy(dtype=object),
        at["sheet"].to_numpy(dtype=object),
        at["baris"].astype(int).to_numpy(),
        "id_aspirasi",
        given[again].to_numpy(dtype=object),
        "warning",
        "id_aspirasi_ganda",
        np.asarray(message, dtype=object),
        "Beri setiap aspirasi ID sendiri, atau kosongkan agar dibuat otomatis.",
    )


def _empty_findings() -> pd.DataFrame:
    return pd.DataFrame(columns=list(FINDING_COLUMNS))


def _as_records(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """The frame typed as if built from row dicts: str, int64 (float64 with None among ints), object if empty."""
    return pd.DataFrame({c: frame[c].to_numpy(dtype=object) for c in columns}, index=range(len(frame))).infer_objects()


def _codes_per_row(unique: pd.DataFrame) -> pd.DataFrame:
    """Per (file, sheet, row) of error findings: their codes joined in order, and the first message.

    A row has a handful of codes at most, so codes are joined one rank at a time over all rows at once.
    """
    groups = unique.groupby(_KEY, sort=False)
    group, rank = groups.ngroup().to_numpy(), groups.cumcount().to_numpy()
    first = unique[rank == 0]
    codes = first["code"].to_numpy(dtype=object, copy=True)
    code = unique["code"].to_numpy(dtype=object)
    for r in range(1, rank.max() + 1 if len(rank) else 0):
        at = rank == r
        codes[group[at]] = codes[group[at]] + "; " + code[at]
    index = pd.MultiIndex.from_frame(first[_KEY])
    return pd.DataFrame({"codes": codes, "message": first["message"].to_numpy(dtype=object)}, index=index)


def _rejections(name: str, keys: pd.DataFrame, bad: np.ndarray, errors: pd.DataFrame) -> pd.DataFrame:
    """One row per rejected input row: its codes (each once, in the order found) and its first error message.

    A row rejected only because its sheet lacks a required column takes that sheet's kolom_tidak_ada error.
    """
    rejected = keys.loc[bad, _KEY]
    if rejected.empty:
        return pd.DataFrame(columns=list(REJECTED_COLUMNS))
    unique = errors.drop_duplicates([*_KEY, "code"])
    per_row = _codes_per_row(unique)
    sheet_wide = unique[unique["code"] == "kolom_tidak_ada"].drop_duplicates(["file", "sheet"])
    per_sheet = sheet_wide.set_index(["file", "sheet"]).rename(columns={"code": "codes"})[["codes", "message"]]
    out = rejected.join(per_row, on=_KEY)
    missing = out["codes"].isna().to_numpy()
    if missing.any():
        fallback = out.loc[missing, ["file", "sheet"]].join(per_sheet, on=["file", "sheet"])
        out.loc[missing, ["codes", "message"]] = fallback[["codes", "message"]].fillna("").to_numpy()
    return out.assign(table=name)


def build_dataset(
    tables: Iterable[RawTable],
    area: str,
    *,
    extra_findings: Iterable[dict] = (),
    files: Iterable[str] = (),
    is_demo: bool = False,
) -> Dataset:
    """Validate and match located tables into a Dataset; pure (no file access)."""
    index = village_index(area)
    per_table: dict[str, list] = {name: [] for name in TABLES}
    extra = list(extra_findings)
    findings: list[pd.DataFrame] = [pd.DataFrame(extra, columns=list(FINDING_COLUMNS)) if extra else _empty_findings()]
    matches: list[pd.DataFrame] = []
    counts = {name: {"rows_in": 0, "accepted": 0, "rejected": 0, "blank": 0} for name in TABLES}
    row_keys: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
    whole_sheet_rejected: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}  # a required column is missing
    for raw in tables:
        candidates, table_findings, table_matches = _check_table(raw, index)
        per_table[raw.table].append(candidates)
        findings.append(table_findings)
        matches.append(table_matches)
        counts[raw.table]["rows_in"] += len(raw.frame)
        counts[raw.table]["blank"] += raw.blank
        keys = pd.DataFrame({"file": raw.file, "sheet": raw.sheet, "row": raw.frame["baris"].astype(int).to_numpy()})
        row_keys[raw.table].append(keys)
        if raw.missing_required:
            whole_sheet_rejected[raw.table].append(keys)

    found = pd.concat(findings, ignore_index=True)
    clean: dict[str, pd.DataFrame] = {}
    rejected: list[pd.DataFrame] = []
    for name in TABLES:
        errors = found[(found["table"] == name) & (found["severity"] == "error")]
        whole = whole_sheet_rejected[name]
        bad = _keys(errors["file"], errors["sheet"], errors["row"]).append(
            [_keys(k["file"], k["sheet"], k["row"]) for k in whole]
        )
        rows = pd.concat(per_table[name], ignore_index=True) if per_table[name] else _empty_clean(name)
        duplicates = _mark_duplicates(name, rows, bad)
        findings.append(duplicates)
        errors = pd.concat([errors, duplicates], ignore_index=True)
        bad = bad.append(_keys(duplicates["file"], duplicates["sheet"], duplicates["row"]))
        keep = ~_keys(rows["sumber"], rows["sheet"], rows["baris"]).isin(bad)
        clean[name] = _finish(name, rows.loc[keep])
        if name == "aspirasi":
            findings.append(_repeated_id_findings(rows.loc[keep]))
        keys = pd.concat(row_keys[name], ignore_index=True) if row_keys[name] else pd.DataFrame(columns=_KEY)
        is_bad = _keys(keys["file"], keys["sheet"], keys["row"]).isin(bad)
        rejected.append(_rejections(name, keys, is_bad, errors))
        counts[name]["rejected"] = int(is_bad.sum())
        counts[name]["accepted"] = counts[name]["rows_in"] - counts[name]["rejected"]

    order = {"error": 0, "warning": 1}
    report = (
        _as_records(pd.concat(findings, ignore_index=True), FINDING_COLUMNS)
        .drop_duplicates(["table", "file", "sheet", "row", "column", "code", "message"])
        .assign(_order=lambda f: f["severity"].map(order))
        .sort_values(["_order", "table", "file", "sheet", "row"], kind="stable", na_position="first")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    return Dataset(
        area=area,
        produk=clean["produk"],
        kunjungan=clean["kunjungan"],
        aspirasi=clean["aspirasi"],
        findings=report,
        matches=pd.concat(matches, ignore_index=True) if matches else pd.DataFrame(columns=list(MATCH_COLUMNS)),
        rejected=_as_records(pd.concat(rejected, ignore_index=True), REJECTED_COLUMNS),
        counts=counts,
        files=list(files),
        is_demo=is_demo,
    )


def _schema_order(name: str) -> list[str]:
    skip = {"desa", "kecamatan", "kode_desa"}
    cols = [c.name for c in TABLES[name].kept_columns if c.name not in skip and c.name != _ID[name]]
    if name == "produk":
        cols.insert(cols.index("kategori") + 1, "kategori_input")
    return [_ID[name], *SOURCE_COLUMNS, *_LOCATION, *cols]


def _empty_clean(name: str) -> pd.DataFrame:
    return pd.DataFrame(columns=[c for c in _schema_order(name) if c != _ID[name]])


def _finish(name: str, rows: pd.DataFrame) -> pd.DataFrame:
    """Order columns, give each input row its id, keep pass-through columns at the end.

    An aspiration's id is its tracking ID (the workbook's "ID Aspirasi", else derived): the one the follow-up
    events, the exports and a re-uploaded workbook share. Other rows get file|sheet|row.
    """
    rows = rows.drop(columns=["pos"], errors="ignore").reset_index(drop=True)
    if name == "aspirasi":
        ids = followup.tracking_ids(rows)
    else:
        ids = rows["sumber"].astype(str) + "|" + rows["sheet"].astype(str) + "|" + rows["baris"].astype(str)
    rows = rows.assign(**{_ID[name]: ids})
    order = _schema_order(name)
    for col in order:
        if col not in rows:
            rows[col] = pd.Series(dtype=object)
    extras = [c for c in rows.columns if c not in order]
    return rows[order + extras]
