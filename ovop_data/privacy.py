"""Personal data stays in the workbooks: public tables are allow-listed, phone numbers and e-mail masked.

Two rules, because staff type personal data in two ways:

* a column of its own ("Kontak", "No WA Pemilik", "Telp"…): a public table keeps only
  the columns this dashboard declares (`PUBLIC_COLUMNS`: the schema's non-personal
  columns and the columns computed from them). A column a workbook passes through
  under any other header is never shown or exported, whatever it is called;
* inside free text ("Bu Sri, HP 0812-3456-7890"): every text cell that looks like
  it carries an Indonesian phone number or an e-mail address is masked with
  lokal-id's detector (``0812****7890``, ``p***@contoh.id``) as the data is loaded,
  so maps, charts, tables, the briefing and the validation report all show the mask.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata

import pandas as pd
from lokal.samaran import mask_pii

from .dataset import FINDING_COLUMNS, Dataset
from .schema import TABLES, personal_columns

#: The kinds of personal data masked in free text (lokal-id's names).
MASKED_TYPES = ("PHONE", "EMAIL")
#: Cheap test before the detector: nine digits in a phone-like run, or an '@'. Cells without either are clean.
_MAYBE_PERSONAL = re.compile(r"@|\d(?:[\s().+\-/]*\d){8}")
#: An Indonesian mobile number without its leading 0 (Excel keeps phone numbers as numbers): 8xx, 9–12 digits.
_BARE_MOBILE = re.compile(r"(?<![\d*])(?:\(?\+?62\)?[\s.-]*)?8\d(?:[\s().-]*\d){7,10}(?!\d)")

#: Columns the dashboard computes (ids, provenance, figures, explanations) and may show or export.
COMPUTED_COLUMNS = frozenset(
    {
        # provenance and identity
        "sumber", "sheet", "baris", "kode_kecamatan", "id_produk", "id_kunjungan", "id_aspirasi",
        "kategori_input", "kabupaten",
        # follow-up ledger
        "tenggat_efektif", "tenggat_bawaan", "terlambat", "hari_terlambat", "keadaan", "opd",
        "hari_tersisa", "terakhir_diperbarui", "kotak", "status_buku_kerja", "dikembalikan_oleh",
        "alasan_pengembalian",
        "aspirasi_total", "persen_selesai", "belum", "proses", "selesai", "terbuka",
        # legality ladder
        "tangga", "tangga_teks", "langkah", "opd_pembantu",
        # village and kecamatan figures, priority and plan
        "peringkat", "skor", "alasan", "trip", "tanggal_rencana", "desa_total", "desa_dengan_produk_unggulan",
        "persen_produk_unggulan", "desa_dikunjungi", "persen_dikunjungi", "produk_total", "produk_unggulan",
        "aspirasi_terbuka", "aspirasi_terlambat", "kunjungan_total", "kunjungan_terakhir", "hari_sejak_kunjungan",
        "status_cakupan", "punya_produk_unggulan", "dikunjungi", "kategori_produk", "desa_list",
        # validation report and the data folder
        *FINDING_COLUMNS, "codes", "temuan", "jumlah", "berkas", "ukuran_kb", "diubah", "ditolak", "rows_in",
        "accepted", "rejected", "blank", "catatan_berkas", "produk", "kunjungan", "aspirasi", "tercatat",
        # export.notes_sheet
        "Keterangan", "Nilai",
    }
)  # fmt: skip


@functools.cache
def public_column_names() -> frozenset[str]:
    """Every column a public view or export may carry: schema columns less personal ones, plus computed ones."""
    schema = {c.name for t in TABLES.values() for c in t.columns}
    return frozenset((schema - personal_columns()) | COMPUTED_COLUMNS)


def public_columns(df: pd.DataFrame) -> pd.DataFrame:
    """The table with declared public columns only (pass-through and personal columns dropped), text masked."""
    allowed = public_column_names()
    return masked(df.loc[:, [c for c in df.columns if c in allowed]])


def mask_text(value: object) -> object:
    """The value with phone numbers and e-mail addresses masked; anything not text is returned as it is.

    Full-width digits are read as digits first; after lokal-id's detector, a mobile number Excel stored
    without its leading 0 ("81234567890", "(+62)812…") is masked too.
    """
    if not isinstance(value, str) or not _MAYBE_PERSONAL.search(value):
        return value
    text = mask_pii(unicodedata.normalize("NFKC", value), mode="partial", types=MASKED_TYPES).text
    return _BARE_MOBILE.sub(_masked_digits, text)


def _masked_digits(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group())
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def masked(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells carry no phone number or e-mail address (numbers and dates untouched)."""
    out = df
    for name in df.columns:
        column = df[name]
        if not (pd.api.types.is_object_dtype(column.dtype) or pd.api.types.is_string_dtype(column.dtype)):
            continue
        text = column.astype("string")
        hits = text.str.contains(_MAYBE_PERSONAL, na=False).to_numpy(dtype=bool)
        if hits.any():
            if out is df:
                out = df.copy()
            out.loc[hits, name] = column[hits].map(mask_text)
    return out


def masked_dataset(data: Dataset) -> Dataset:
    """The dataset as every view sees it: tables, rejected rows and findings with personal data masked."""
    return dataclasses.replace(
        data,
        produk=masked(data.produk),
        kunjungan=masked(data.kunjungan),
        aspirasi=masked(data.aspirasi),
        findings=masked(data.findings),
        matches=masked(data.matches),
        rejected=masked(data.rejected),
    )


__all__ = ["COMPUTED_COLUMNS", "MASKED_TYPES", "mask_text", "masked", "masked_dataset", "public_columns"]
