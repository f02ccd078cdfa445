"""Turn located spreadsheet tables into clean tables plus a findings report — losing nothing.

Every data row ends up accepted (in a clean table) or rejected (in ``rejected``,
with its Excel row number and reasons); ``rows_in = accepted + rejected`` for
every table. A row is rejected exactly when it has an error-level finding;
warnings (a corrected name, an unknown category kept as "Lainnya") leave it in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from . import vocab
from .codes import finding
from .dataset import FINDING_COLUMNS, MATCH_COLUMNS, SOURCE_COLUMNS, Dataset
from .dates import parse_dates
from .matching import SEPARATORS, VillageIndex, match_villages, split_names, village_index
from .schema import TABLES, Table
from .sheets import RawTable
from .text import fold, is_blank

_SEVERAL = SEPARATORS.pattern  # a cell naming several villages
REJECTED_COLUMNS = ("table", "file", "sheet", "row", "codes", "message")
_ID = {"produk": "id_produk", "kunjungan": "id_kunjungan", "aspirasi": "id_aspirasi"}
_LOCATION = ("kode_desa", "desa", "kode_kecamatan", "kecamatan")
# Columns whose value decides whether two rows are the same record.
_DUPLICATE_KEY = {"produk": ("nama_produk",), "kunjungan": ("tanggal",), "aspirasi": ("tanggal", "aspirasi")}


class _Findings:
    """Checking one located table: its cells as text (converted once) and the findings collected.

    Rows are addressed by their position in the table frame.
    """

    def __init__(self, raw: RawTable) -> None:
        self.raw = raw
        self.baris = raw.frame["baris"].astype(int).tolist()
        self.rows: list[dict] = []
        self._texts: dict[str, pd.Series] = {}

    def text(self, name: str) -> pd.Series:
        """A column as str ('' for empty, or for a column the sheet does not have)."""
        if name not in self._texts:
            frame = self.raw.frame
            self._texts[name] = (
                as_text(frame[name]) if name in frame else pd.Series("", index=frame.index, dtype=object)
            )
        return self._texts[name]

    def add(
        self, pos: int | None, column: str, value: object, severity: str, code: str, message: str, suggestion: str = ""
    ) -> None:
        row = self.baris[pos] if pos is not None else self.raw.header_row
        value = "" if is_blank(value) else value
        self.rows.append(
            finding(
                self.raw.table, self.raw.file, self.raw.sheet, row, column, value, severity, code, message, suggestion
            )
        )

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
        for pos in mask.to_numpy().nonzero()[0]:
            self.add(int(pos), column, values.iloc[pos], severity, code, message, suggestion)


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


def as_text(values: pd.Series) -> pd.Series:
    """Column of cells as str ('' for empty)."""
    return pd.Series([_cell_text(v) for v in values], index=values.index, dtype=object)


def _vocab_column(texts: pd.Series, terms: tuple[vocab.Term, ...]) -> pd.Series:
    distinct = {t: vocab.lookup(t, terms) for t in texts.unique()}
    return texts.map(distinct)


def _labels(texts: pd.Series, terms: tuple[vocab.Term, ...]) -> pd.Series:
    distinct = {t: "; ".join(vocab.lookup_all(t, terms)) for t in texts.unique()}
    return texts.map(distinct)


def _opd_labels(texts: pd.Series) -> pd.Series:
    """Each OPD named in a cell as its canonical label; names not in the vocabulary kept as typed."""

    def one(text: str) -> str:
        parts = [p for p in split_names(text)] if text else []
        return "; ".join(dict.fromkeys(vocab.lookup(p, vocab.OPD) or p for p in parts))

    return texts.map({t: one(t) for t in texts.unique()})


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
    out["opd_pendamping"] = _opd_labels(found.text("opd_pendamping"))
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
    return {
        "tanggal": _dates(raw, "tanggal", found, required=True),
        "aspirasi": aspirasi,
        "kategori_kendala": kategori.where(typed != "", from_text).fillna("lainnya"),
        "opd_penanggung_jawab": _opd_labels(found.text("opd_penanggung_jawab")),
        "status": status.fillna("Belum"),
        "tenggat": _dates(raw, "tenggat", found, required=False),
        "tindak_lanjut": found.text("tindak_lanjut"),
    }


_COLUMNS_OF = {"produk": _produk_columns, "kunjungan": _kunjungan_columns, "aspirasi": _aspirasi_columns}


def _table_columns(raw: RawTable, found: _Findings) -> pd.DataFrame:
    """Typed, vocabulary-mapped columns of one table (everything except the village)."""
    return pd.DataFrame(_COLUMNS_OF[raw.table](raw, found), index=raw.frame.index)


def _village_requests(found: _Findings) -> pd.DataFrame:
    """One request per village named in a row ('A, B dan C' gives three), pointing back at the row."""
    desa, kec, kode = (found.text(c) for c in ("desa", "kecamatan", "kode_desa"))
    several = (desa + kode).str.contains(_SEVERAL, regex=True)
    single = pd.DataFrame(
        {
            "pos": range(len(desa)),
            "desa_input": desa.to_numpy(),
            "kecamatan_input": kec.to_numpy(),
            "kode_input": kode.to_numpy(),
        }
    )
    if not several.any():
        return single
    records = []
    for pos in several.to_numpy().nonzero()[0]:
        d, k, c = desa.iat[pos], kec.iat[pos], kode.iat[pos]
        names, kecs, codes = split_names(d), split_names(k), split_names(c)
        count = max(len(names), len(codes), 1)
        for i in range(count):
            records.append(
                (
                    pos,
                    names[i] if i < len(names) else (d if count == 1 else ""),
                    kecs[i] if len(kecs) == count else k,
                    codes[i] if len(codes) == count else (c if count == 1 else ""),
                )
            )
    split = pd.DataFrame(records, columns=list(single.columns))
    return pd.concat([single[~several.to_numpy()], split]).sort_values("pos", kind="stable", ignore_index=True)


def _check_table(raw: RawTable, index: VillageIndex) -> tuple[pd.DataFrame, list[dict], pd.DataFrame]:
    """Candidate rows of one located table (with error flags), its findings and its matches."""
    found = _Findings(raw)
    schema: Table = TABLES[raw.table]
    for name in raw.missing_required:
        found.add(
            None,
            name,
            "",
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
    inputs = {
        "desa": requests["desa_input"],
        "kecamatan": requests["kecamatan_input"],
        "kode_desa": requests["kode_input"],
    }
    failed = result.loc[~resolved, ["code", "column", "message", "suggestion"]].assign(
        pos=requests.loc[~resolved, "pos"]
    )
    for i, (code, column, message, suggestion, pos) in zip(failed.index, failed.itertuples(index=False), strict=True):
        if code == "nilai_wajib_kosong":
            message = "Kolom wajib 'Desa/Kelurahan' kosong."
        found.add(int(pos), column, inputs[column].at[i], "error", code, message, suggestion)
    for i, notes in enumerate(result["notes"].tolist()):
        for column, code, message in notes:
            found.add(int(requests["pos"].iat[i]), column, inputs[column].iat[i], "warning", code, message)

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
    return candidates, found.rows, matches


def _row_keys(rows: pd.DataFrame) -> list[tuple[str, str, int]]:
    return list(zip(rows["sumber"].tolist(), rows["sheet"].tolist(), rows["baris"].astype(int).tolist(), strict=True))


def _mark_duplicates(table: str, rows: pd.DataFrame, bad: set[tuple[str, str, int]]) -> list[dict]:
    """Findings for rows that repeat an earlier accepted row of the same table (same record, same villages)."""
    keys = _row_keys(rows)
    ok = rows.loc[pd.Series([k not in bad for k in keys], index=rows.index, dtype=bool)]
    if ok.empty:
        return []
    fields = list(_DUPLICATE_KEY[table])
    # Text compares case-, space- and punctuation-insensitively ("Keripik Pisang" = "keripik  pisang").
    record = ok[fields].apply(
        lambda col: col.str.lower().str.replace(r"[^0-9a-z]+", "", regex=True) if col.dtype.kind in "OT" else col
    )
    row_id = pd.Series(_row_keys(ok), index=ok.index)
    villages = ok["kode_desa"].astype(str)
    several = row_id.duplicated(keep=False)
    if several.any():  # a product of several villages: its record is the sorted set of villages
        joined = villages[several].groupby(row_id[several]).agg(lambda s: ";".join(sorted(s)))
        villages = villages.where(~several, row_id.map(joined))
    per_row = record.assign(kode_desa=villages, _row=row_id).drop_duplicates("_row")
    dup = per_row.duplicated([*fields, "kode_desa"], keep="first")
    first = per_row.drop_duplicates([*fields, "kode_desa"]).set_index([*fields, "kode_desa"])["_row"]
    findings = []
    for _, r in per_row[dup].iterrows():
        file, sheet, row = r["_row"]
        original = first.loc[tuple(r[[*fields, "kode_desa"]])]
        message = (
            f"Baris ini sama dengan baris {original[2]} (berkas '{original[0]}', sheet '{original[1]}'); "
            "tidak dihitung dua kali."
        )
        findings.append(
            finding(table, file, sheet, row, "", "", "error", "duplikat", message, "Hapus salah satu baris.")
        )
    return findings


def build_dataset(
    tables: Iterable[RawTable], area: str, *, extra_findings: Iterable[dict] = (), files: Iterable[str] = ()
) -> Dataset:
    """Validate and match located tables into a Dataset; pure (no file access)."""
    index = village_index(area)
    per_table: dict[str, list] = {name: [] for name in TABLES}
    findings: list[dict] = list(extra_findings)
    matches: list[pd.DataFrame] = []
    counts = {name: {"rows_in": 0, "accepted": 0, "rejected": 0, "blank": 0} for name in TABLES}
    row_keys: dict[str, list[tuple[str, str, int]]] = {name: [] for name in TABLES}
    whole_sheet_rejected: dict[str, set] = {name: set() for name in TABLES}  # a required column is missing
    for raw in tables:
        candidates, table_findings, table_matches = _check_table(raw, index)
        per_table[raw.table].append(candidates)
        findings.extend(table_findings)
        matches.append(table_matches)
        counts[raw.table]["rows_in"] += len(raw.frame)
        counts[raw.table]["blank"] += raw.blank
        keys = [(raw.file, raw.sheet, b) for b in raw.frame["baris"].astype(int).tolist()]
        row_keys[raw.table].extend(keys)
        if raw.missing_required:
            whole_sheet_rejected[raw.table].update(keys)

    clean: dict[str, pd.DataFrame] = {}
    rejected: list[dict] = []
    for name in TABLES:
        errors = [f for f in findings if f["table"] == name and f["severity"] == "error"]
        bad = {(f["file"], f["sheet"], f["row"]) for f in errors} | whole_sheet_rejected[name]
        rows = pd.concat(per_table[name], ignore_index=True) if per_table[name] else _empty_clean(name)
        duplicates = _mark_duplicates(name, rows, bad)
        findings.extend(duplicates)
        errors += duplicates
        bad |= {(f["file"], f["sheet"], f["row"]) for f in duplicates}
        keep = pd.Series([k not in bad for k in _row_keys(rows)], index=rows.index, dtype=bool)
        clean[name] = _finish(name, rows.loc[keep])
        reasons: dict[tuple[str, str, int], list[dict]] = {}
        for f in errors:
            reasons.setdefault((f["file"], f["sheet"], f["row"]), []).append(f)
        for key in row_keys[name]:
            if key in bad:
                these = reasons.get(key) or [
                    f for f in errors if (f["file"], f["sheet"]) == key[:2] and f["code"] == "kolom_tidak_ada"
                ]
                rejected.append(
                    {
                        "table": name,
                        "file": key[0],
                        "sheet": key[1],
                        "row": key[2],
                        "codes": "; ".join(dict.fromkeys(f["code"] for f in these)),
                        "message": these[0]["message"] if these else "",
                    }
                )
        counts[name]["rejected"] = sum(1 for k in row_keys[name] if k in bad)
        counts[name]["accepted"] = counts[name]["rows_in"] - counts[name]["rejected"]

    order = {"error": 0, "warning": 1}
    report = (
        pd.DataFrame(findings, columns=list(FINDING_COLUMNS))
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
        rejected=pd.DataFrame(rejected, columns=list(REJECTED_COLUMNS)),
        counts=counts,
        files=list(files),
    )


def _schema_order(name: str) -> list[str]:
    skip = {"desa", "kecamatan", "kode_desa"}
    cols = [c.name for c in TABLES[name].columns if c.name not in skip]
    if name == "produk":
        cols.insert(cols.index("kategori") + 1, "kategori_input")
    return [_ID[name], *SOURCE_COLUMNS, *_LOCATION, *cols]


def _empty_clean(name: str) -> pd.DataFrame:
    return pd.DataFrame(columns=[c for c in _schema_order(name) if c != _ID[name]])


def _finish(name: str, rows: pd.DataFrame) -> pd.DataFrame:
    """Order columns, give each input row its id, keep pass-through columns at the end."""
    rows = rows.drop(columns=["pos"], errors="ignore").reset_index(drop=True)
    ids = rows["sumber"].astype(str) + "|" + rows["sheet"].astype(str) + "|" + rows["baris"].astype(str)
    rows = rows.assign(**{_ID[name]: ids})
    order = _schema_order(name)
    for col in order:
        if col not in rows:
            rows[col] = pd.Series(dtype=object)
    extras = [c for c in rows.columns if c not in order]
    return rows[order + extras]
