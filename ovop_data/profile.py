"""Everything the village profile shows for one desa: identity, products, visits, promises, coverage position.

Built from the *unfiltered* clean tables (a profile is about the village, not
about the sidebar's filters), so the page, the printout and the offline
briefing tell the same story. Pure: DataFrames in, a `VillageProfile` out.
Only the listed columns are copied, so `kontak` (and any personal or
pass-through spreadsheet column) never reaches a profile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from . import followup, metrics, recorded
from .fmt import angka, persen
from .text import fold

_FROM_PRODUK = (
    "id_produk",
    "nama_produk",
    "kategori",
    "pelaku_usaha",
    "jenis_pelaku",
    "unggulan",
    "legalitas",
    "pemasaran",
)
#: The product table: what the clean table says, then the ladder (metrics.legality_ladder) in numbers and words.
PRODUK_COLUMNS = (*_FROM_PRODUK, "tangga", "tangga_teks", "langkah_berikut", "opd_pembantu", "langkah")
KUNJUNGAN_COLUMNS = ("id_kunjungan", "tanggal", "kegiatan", "pejabat", "opd_pendamping", "produk_disorot", "catatan")
ASPIRASI_COLUMNS = (
    "id_aspirasi",
    "tanggal",
    "aspirasi",
    "kategori_kendala",
    "opd_penanggung_jawab",
    "status",
    "tenggat_efektif",
    "tenggat_bawaan",
    "terlambat",
    "hari_terlambat",
    "keadaan",
    "tindak_lanjut",
    "terakhir_diperbarui",
)
KECAMATAN_COLUMNS = (
    "peringkat",
    "kode_desa",
    "desa",
    "status_cakupan",
    "produk_unggulan",
    "kunjungan_terakhir",
    "aspirasi_terbuka",
    "skor",
    "alasan",
)
#: Rungs of metrics.legality_ladder, in order (the ladder's `tangga` counts how many are climbed).
TANGGA = ("NIB", "P-IRT/BPOM", "Halal", "Label komposisi")


@dataclass(frozen=True)
class VillageProfile:
    """One desa on one screen; tables are new frames, safe to show (no personal columns)."""

    kode_desa: str
    desa: str
    jenis: str  # "desa" | "kelurahan"
    kode_kecamatan: str
    kecamatan: str
    today: date
    ringkasan: dict  # the desa's row of metrics.desa_summary as plain values
    posisi: dict  # priority rank in kecamatan and kabupaten, score, reasons, the kecamatan's coverage
    produk: pd.DataFrame  # PRODUK_COLUMNS: flagship first, then by name
    kunjungan: pd.DataFrame  # KUNJUNGAN_COLUMNS: newest first
    aspirasi: pd.DataFrame  # ASPIRASI_COLUMNS: overdue, then open, then newest
    kecamatan_desa: pd.DataFrame  # KECAMATAN_COLUMNS: the kecamatan's villages by visit priority
    wilayah: pd.DataFrame  # metrics.desa_summary of the whole area (maps colour the neighbours)
    kabupaten: str = ""

    @property
    def nama(self) -> str:
        """'Desa Balerejo' / 'Kelurahan Kepanjen Lor': how the village is addressed in titles."""
        return f"{self.jenis.capitalize() or 'Desa'} {self.desa}"

    @property
    def file_stem(self) -> str:
        """File name without extension: profil_35.05.17.2009_balerejo."""
        slug = re.sub(r"[^a-z0-9]+", "_", fold(self.desa)).strip("_")
        return f"profil_{self.kode_desa}_{slug or 'desa'}"


def village_profile(
    kode_desa: str,
    villages: pd.DataFrame,
    produk: pd.DataFrame,
    kunjungan: pd.DataFrame,
    aspirasi: pd.DataFrame,
    *,
    today: date,
) -> VillageProfile:
    """The profile of one desa from the gazetteer and the unfiltered clean tables; ValueError if unknown."""
    chosen = villages.loc[villages["kode_desa"] == kode_desa]
    if chosen.empty:
        raise ValueError(f"Desa dengan kode '{kode_desa}' tidak ada di wilayah ini.")
    row = chosen.iloc[0]
    summary = metrics.desa_summary(villages, produk, kunjungan, aspirasi, today=today)
    priority = metrics.visit_priority(summary, today=today)
    in_kec = priority.loc[priority["kode_kecamatan"] == row["kode_kecamatan"]].reset_index(drop=True)
    in_kec = in_kec.assign(peringkat=range(1, len(in_kec) + 1))
    kec_rows = summary.loc[summary["kode_kecamatan"] == row["kode_kecamatan"]]
    kec = metrics.kecamatan_summary(kec_rows).iloc[0]
    mine = priority.loc[priority["kode_desa"] == kode_desa].iloc[0]
    posisi = {
        "peringkat_kecamatan": int(in_kec.loc[in_kec["kode_desa"] == kode_desa, "peringkat"].iloc[0]),
        "desa_kecamatan": len(in_kec),
        "peringkat_kabupaten": int(mine["peringkat"]),
        "desa_kabupaten": len(priority),
        "skor": float(mine["skor"]),
        "alasan": str(mine["alasan"]),
        "desa_dengan_produk_unggulan_kecamatan": int(kec["desa_dengan_produk_unggulan"]),
        "persen_produk_unggulan_kecamatan": float(kec["persen_produk_unggulan"]),
        "desa_dikunjungi_kecamatan": int(kec["desa_dikunjungi"]),
        "persen_dikunjungi_kecamatan": float(kec["persen_dikunjungi"]),
    }
    kecamatan_desa = in_kec.merge(
        summary.loc[:, ["kode_desa", "status_cakupan", "produk_unggulan", "kunjungan_terakhir"]], on="kode_desa"
    )
    return VillageProfile(
        kode_desa=str(row["kode_desa"]),
        desa=str(row["desa"]),
        jenis=str(row.get("jenis", "desa")),
        kode_kecamatan=str(row["kode_kecamatan"]),
        kecamatan=str(row["kecamatan"]),
        today=today,
        ringkasan=_plain(summary.loc[summary["kode_desa"] == kode_desa].iloc[0].to_dict()),
        posisi=posisi,
        produk=_produk(produk.loc[produk["kode_desa"] == kode_desa]),
        kunjungan=_kunjungan(kunjungan.loc[kunjungan["kode_desa"] == kode_desa]),
        aspirasi=_aspirasi(aspirasi.loc[aspirasi["kode_desa"] == kode_desa], today),
        kecamatan_desa=kecamatan_desa.loc[:, list(KECAMATAN_COLUMNS)],
        wilayah=summary,
        kabupaten=str(row.get("kabupaten", "") or ""),
    )


def ladder_text(tangga: object) -> str:
    """'●●○○ NIB, P-IRT/BPOM': the rungs climbed, in order, as dots and names."""
    climbed = 0 if tangga is None or pd.isna(tangga) else int(tangga)
    return "●" * climbed + "○" * (len(TANGGA) - climbed) + " " + (", ".join(TANGGA[:climbed]) or "belum ada")


def position_sentences(profile: VillageProfile) -> tuple[str, str]:
    """The village's coverage position in two plain sentences (page and briefing say the same)."""
    p, pos = profile, profile.posisi
    rank = (
        f"Peringkat prioritas kunjungan ke-{pos['peringkat_kecamatan']} dari {pos['desa_kecamatan']} desa di "
        f"Kecamatan {p.kecamatan} (ke-{pos['peringkat_kabupaten']} dari {pos['desa_kabupaten']} di kabupaten), "
        f"skor {angka(pos['skor'])}: {pos['alasan']}."
    )
    coverage = (
        f"Kecamatan {p.kecamatan}: {pos['desa_dengan_produk_unggulan_kecamatan']} dari {pos['desa_kecamatan']} "
        f"desa punya produk unggulan ({persen(pos['persen_produk_unggulan_kecamatan'])}), "
        f"{pos['desa_dikunjungi_kecamatan']} sudah dikunjungi ({persen(pos['persen_dikunjungi_kecamatan'])})."
    )
    return rank, coverage


def _produk(produk: pd.DataFrame) -> pd.DataFrame:
    """The village's products with their rung on the legality ladder (one row per id_produk)."""
    if produk.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in PRODUK_COLUMNS})
    ladder = metrics.legality_ladder(produk).loc[:, ["id_produk", "tangga", "langkah_berikut", "opd_pembantu"]]
    distinct = produk.drop_duplicates("id_produk")
    base = distinct.loc[:, list(_FROM_PRODUK)].assign(_tercatat=recorded.recorded_mask(distinct, "legalitas"))
    out = base.merge(ladder, on="id_produk", how="left")
    out["unggulan"] = out["unggulan"].eq(True)
    out["tangga_teks"] = out["tangga"].map(ladder_text)
    out["langkah"] = [
        f"{step} ({opd})" if step and opd else step or "lengkap"
        for step, opd in zip(out["langkah_berikut"], out["opd_pembantu"], strict=True)
    ]
    # Not recorded is not zero: a blank legality cell is no rung, and no next step can be named.
    out["tangga"] = out["tangga"].astype("Int64").where(out["_tercatat"], pd.NA)
    out.loc[~out["_tercatat"], ["tangga_teks", "langkah"]] = recorded.TIDAK_TERCATAT
    out = out.sort_values(["unggulan", "nama_produk"], ascending=[False, True], key=_sort_key, ignore_index=True)
    return out.loc[:, list(PRODUK_COLUMNS)]


def _kunjungan(kunjungan: pd.DataFrame) -> pd.DataFrame:
    out = kunjungan.loc[:, list(KUNJUNGAN_COLUMNS)].copy()
    out["tanggal"] = pd.to_datetime(out["tanggal"], errors="coerce")
    return out.sort_values(["tanggal", "id_kunjungan"], ascending=[False, True], ignore_index=True)


def _aspirasi(aspirasi: pd.DataFrame, today: date) -> pd.DataFrame:
    led = metrics.aspirasi_ledger(aspirasi, today=today)
    if led.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ASPIRASI_COLUMNS})
    shown = metrics.status_shown(led)
    led = led.assign(
        _terbuka=led["status"] != metrics.STATUS_SELESAI,
        keadaan=[
            f"{status} · terlambat {angka(days)} hari" if late and not pd.isna(days) else str(status)
            for status, late, days in zip(shown, led["terlambat"], led["hari_terlambat"], strict=True)
        ],
    )
    led = led.sort_values(["terlambat", "_terbuka", "tanggal", "id_aspirasi"], ascending=[False, False, False, True])
    if "terakhir_diperbarui" not in led:  # nothing reported yet
        led = led.assign(terakhir_diperbarui=pd.NaT)
    return followup.with_update_text(led.loc[:, list(ASPIRASI_COLUMNS)].reset_index(drop=True))


def _sort_key(values: pd.Series) -> pd.Series:
    return values.map(fold) if values.dtype == object or pd.api.types.is_string_dtype(values) else values


def _plain(row: dict) -> dict:
    """numpy scalars as Python values (NaT/NA as None), so the dict reads like JSON."""
    out = {}
    for key, value in row.items():
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            out[key] = None
        elif hasattr(value, "item"):
            out[key] = value.item()
        else:
            out[key] = value
    return out


__all__ = ["TANGGA", "VillageProfile", "ladder_text", "position_sentences", "village_profile"]
