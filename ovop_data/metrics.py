"""Coverage metrics over the clean tables: per product, per desa, per kecamatan, for the area.

Every function is pure (DataFrames in, new DataFrames out; arguments never
mutated) and takes `today` as a parameter, so a figure can be recomputed for
any date and tests never depend on the clock.

Coverage means *a flagship product* (`unggulan` true): a desa whose products
are all marked "Tidak" counts as without a product in the coverage status,
the gap lists and the visit priority.

Promise ledger
--------------
An aspiration is overdue (`terlambat`) when its effective deadline has passed
and its status is not "Selesai". The effective deadline is `tenggat`, or, when
staff set none, `tanggal` + DEFAULT_TENGGAT_HARI (90) days (`tenggat_bawaan`).

Visit priority
--------------
Each desa gets an additive score; every point is explained in `alasan`:

=====================================  ==========================================  =========
Condition                              Points                                      Cap
=====================================  ==========================================  =========
no flagship product                    +40                                         40
never visited                          +30                                         30
visited before                         +1 per full 30 days since the last visit    25
open aspirations (status ≠ Selesai)    +5 each                                     20
overdue aspirations                    +10 each (on top of the +5 for being open)  30
=====================================  ==========================================  =========

So a desa with no product that was never visited (70) ranks above one that
has a product and was last visited two years ago (24); an overdue promise
weighs 15 (open + overdue), so three of them (45) outweigh a missing product
(40). The maximum is 120.

Equal scores (many villages share 70: no product, never visited) are ordered
by a documented chain that reads as a reason, never by code alone. The villages of
one score take turns by kecamatan (`giliran`: first the first desa of every
kecamatan, then the second, ...), so the top of the list and the plan's trips
spread across kecamatan. Within a turn the kecamatan are ordered by
(the rungs of URUTAN_SETARA, in order):

1. days since any visit in the kecamatan, longer first; a kecamatan never
   visited comes first (`kecamatan_hari_sejak_kunjungan`);
2. open aspirations in the kecamatan, more first (`kecamatan_aspirasi_terbuka`);
3. share of the kecamatan's villages with a flagship product, lower first
   (`kecamatan_persen_produk_unggulan`);
4. `kode_desa`, the last resort (it also orders the villages of one kecamatan
   into their turns), so the ranking is deterministic.

The kecamatan figures count every desa of the table given, whatever its score.
For a desa with a positive score that shares it with others, `alasan` ends with
the rung that separates it from the next desa of equal score (for the last one,
from the desa above), e.g. "…; sama skor dengan 191 desa lain: kecamatan lebih
lama tidak dikunjungi (412 hari)"; a desa on its second or later turn also says
so ("giliran ke-2 di kecamatan Wlingi"). `penentu_urutan` names the rung.

Visit plan
----------
Villages with a positive score are taken in priority order (`peringkat`, so the
tie-break chain above carries over); each trip starts
at the highest-priority desa not yet planned and adds the next-highest desa of
the same kecamatan (up to `per_trip` villages; the pattern the real visits
follow: two villages of one kecamatan on one day). Dates are projected at the
pace of the last 12 months: trips per month = distinct visit days in the 365
days up to `today` / 12, so trip *n* falls on `today` + n × 365 / visit days.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from . import recorded, vocab
from .fmt import angka, persen, tanggal
from .text import header_key

STATUS_CAKUPAN = (
    "Unggulan & dikunjungi",
    "Unggulan, belum dikunjungi",
    "Dikunjungi, belum ada unggulan",
    "Belum ada unggulan & belum dikunjungi",
)
#: Deadline of an aspiration without `tenggat`: its `tanggal` + this many days.
DEFAULT_TENGGAT_HARI = 90

# Visit-priority weights (the table in the module docstring).
POIN_TANPA_PRODUK = 40.0
POIN_BELUM_DIKUNJUNGI = 30.0
POIN_PER_30_HARI = 1.0
BATAS_POIN_LAMA_KUNJUNGAN = 25.0
POIN_ASPIRASI_TERBUKA = 5.0
BATAS_POIN_ASPIRASI_TERBUKA = 20.0
POIN_ASPIRASI_TERLAMBAT = 10.0
BATAS_POIN_ASPIRASI_TERLAMBAT = 30.0

#: Tie-break chain among equal scores, in order: (penentu_urutan, how the page states it). The villages
#: take turns by kecamatan first; the kecamatan rungs order each turn; kode_desa is the last resort.
URUTAN_SETARA = (
    ("giliran", "desa bergiliran antarkecamatan (desa pertama tiap kecamatan dulu, lalu desa kedua, dst.)"),
    (
        "kecamatan_hari_sejak_kunjungan",
        "kecamatan yang paling lama tidak dikunjungi (belum pernah dikunjungi paling dulu)",
    ),
    ("kecamatan_aspirasi_terbuka", "aspirasi terbuka terbanyak di kecamatan"),
    ("kecamatan_persen_produk_unggulan", "persentase desa berproduk unggulan di kecamatan terendah"),
    ("kode_desa", "kode desa"),
)


def priority_formula() -> str:
    """The visit-priority weights and tie-break chain in Indonesian, written from the constants so pages never drift."""
    n = angka
    giliran, *kecamatan, kode = (teks for _, teks in URUTAN_SETARA)
    urutan = ", ".join(f"({i}) {teks}" for i, teks in enumerate(kecamatan, start=1))
    return (
        f"Skor: belum punya produk unggulan +{n(POIN_TANPA_PRODUK)}, belum pernah dikunjungi "
        f"+{n(POIN_BELUM_DIKUNJUNGI)}, +{n(POIN_PER_30_HARI)} per 30 hari sejak kunjungan terakhir "
        f"(maks. {n(BATAS_POIN_LAMA_KUNJUNGAN)}), +{n(POIN_ASPIRASI_TERBUKA)} per aspirasi terbuka "
        f"(maks. {n(BATAS_POIN_ASPIRASI_TERBUKA)}), +{n(POIN_ASPIRASI_TERLAMBAT)} per aspirasi terlambat "
        f"(maks. {n(BATAS_POIN_ASPIRASI_TERLAMBAT)}). Skor sama: {giliran}; dalam tiap giliran kecamatan "
        f"diurutkan menurut {urutan}; terakhir {kode}. Kolom alasan menyebut penentunya."
    )


STATUS_SELESAI = "Selesai"
STATUS_URUT = ("Belum", "Proses", "Selesai")
#: A blank status cell: still open (counted with Belum), shown apart from an explicit Belum.
STATUS_TANPA_LAPORAN = "Belum ada laporan"
TANPA_OPD = "(belum ditetapkan)"

DESA_SUMMARY_COLUMNS = (
    "kode_desa",
    "desa",
    "jenis",
    "kode_kecamatan",
    "kecamatan",
    "produk_total",
    "produk_unggulan",
    "kategori",
    "punya_produk_unggulan",
    "kunjungan_total",
    "kunjungan_terakhir",
    "hari_sejak_kunjungan",
    "dikunjungi",
    "aspirasi_total",
    "aspirasi_terbuka",
    "aspirasi_terbuka_tertua",
    "aspirasi_terlambat",
    "status_cakupan",
)
PLAN_COLUMNS = ("trip", "tanggal_rencana", "kecamatan", "kode_desa", "desa", "skor", "alasan")


_PRODUK_COLUMNS = ("id_produk", "nama_produk", "kode_desa", "kategori", "unggulan", "legalitas")
_KUNJUNGAN_COLUMNS = ("id_kunjungan", "tanggal", "kode_desa")
_ASPIRASI_COLUMNS = ("id_aspirasi", "tanggal", "kode_desa", "opd_penanggung_jawab", "status", "tenggat")
_LEDGER_COLUMNS = (*_ASPIRASI_COLUMNS, "tenggat_efektif", "terlambat")


# ---------------------------------------------------------------- per product


def legality_ladder(produk: pd.DataFrame) -> pd.DataFrame:
    """Each product's rung on the ladder NIB → P-IRT/BPOM → Halal → label komposisi, and who helps next.

    `tangga` counts the rungs climbed *in order* (a Halal certificate without NIB is
    still rung 0: NIB comes first). For the P-IRT-or-BPOM rung the next step reads
    "P-IRT atau BPOM" and the helping OPD is P-IRT's (Dinas Kesehatan), the usual
    route for home producers.
    """
    p = _checked(produk, ("id_produk", "nama_produk", "legalitas"), "produk")
    p = p.drop_duplicates("id_produk").loc[:, ["id_produk", "nama_produk", "legalitas"]]
    rungs = [_ladder(text) for text in p["legalitas"]]
    return pd.DataFrame(
        {
            "id_produk": p["id_produk"].to_numpy(),
            "nama_produk": p["nama_produk"].to_numpy(),
            "legalitas": p["legalitas"].to_numpy(),
            "tangga": pd.array([r[0] for r in rungs], dtype="int64"),
            "langkah_berikut": [r[1] for r in rungs],
            "opd_pembantu": [r[2] for r in rungs],
        }
    )


def _ladder(legalitas: object) -> tuple[int, str, str]:
    held = {part.strip() for part in str(legalitas or "").split(";") if part.strip()}
    for climbed, rung in enumerate(vocab.TANGGA_LEGALITAS):
        if not held.intersection(rung):
            return climbed, " atau ".join(rung), vocab.OPD_LEGALITAS.get(rung[0], "")
    return len(vocab.TANGGA_LEGALITAS), "", ""


# ---------------------------------------------------------------- promise ledger


def aspirasi_ledger(aspirasi: pd.DataFrame, *, today: date) -> pd.DataFrame:
    """The aspirations with their effective deadline and whether the promise is overdue."""
    a = _checked(aspirasi, _ASPIRASI_COLUMNS, "aspirasi")
    now = _day(today)
    tanggal = _dates(a["tanggal"])
    tenggat = _dates(a["tenggat"])
    bawaan = tenggat.isna()
    efektif = tenggat.where(~bawaan, tanggal + pd.Timedelta(days=DEFAULT_TENGGAT_HARI))
    terlambat = (efektif < now) & (a["status"] != STATUS_SELESAI)
    hari = (now - efektif).dt.days.astype("Int64").where(terlambat, pd.NA)
    return a.assign(
        tenggat_efektif=efektif,
        tenggat_bawaan=bawaan.to_numpy(dtype=bool),
        terlambat=terlambat.to_numpy(dtype=bool),
        hari_terlambat=hari,
    )


def aspirasi_by_opd(aspirasi_ledger: pd.DataFrame) -> pd.DataFrame:
    """Promises per owner and the share kept (Selesai), most-loaded owner first.

    One row per owner: an agency ('opd'), a partner ('mitra') or nobody yet
    ('belum_ditetapkan': a blank or vague owner, shown as TANPA_OPD). A promise
    naming n owners gives each a share of 1/n, so the counts can be fractions and
    the column aspirasi_total still sums to the number of promises.
    """
    led = _checked(aspirasi_ledger, _LEDGER_COLUMNS, "aspirasi_ledger")
    cells = led["opd_penanggung_jawab"].fillna("").astype(str).to_numpy(dtype=object)
    owners = {c: _owners_of(c) for c in pd.unique(cells)}
    counts = np.array([len(owners[c]) for c in cells], dtype=int)
    take = np.repeat(np.arange(len(cells)), counts)
    share = 1.0 / np.repeat(counts, counts)
    pairs = [pair for c in cells for pair in owners[c]]
    frame = pd.DataFrame(
        {
            "opd": [o for o, _ in pairs],
            "jenis": [j for _, j in pairs],
            "aspirasi_total": share,
            "belum": (led["status"] == "Belum").to_numpy(dtype=float)[take] * share,
            "proses": (led["status"] == "Proses").to_numpy(dtype=float)[take] * share,
            "selesai": (led["status"] == STATUS_SELESAI).to_numpy(dtype=float)[take] * share,
            "terlambat": led["terlambat"].eq(True).to_numpy(dtype=float)[take] * share,
        }
    )
    out = frame.groupby(["opd", "jenis"], as_index=False)[
        ["aspirasi_total", "belum", "proses", "selesai", "terlambat"]
    ].sum()
    # Shares of 1/3 add up to 0.999…; what a person reads is whole or a plain fraction.
    out[["aspirasi_total", "belum", "proses", "selesai", "terlambat"]] = out[
        ["aspirasi_total", "belum", "proses", "selesai", "terlambat"]
    ].round(6)
    out["persen_selesai"] = _percent(out["selesai"], out["aspirasi_total"])
    out = out.sort_values(["aspirasi_total", "opd"], ascending=[False, True], ignore_index=True)
    return out.loc[:, ["opd", "jenis", "aspirasi_total", "belum", "proses", "selesai", "terlambat", "persen_selesai"]]


def _owners_of(cell: str) -> list[tuple[str, str]]:
    """The owners stored in one ledger cell (validation's '; '-joined labels), a blank one as nobody yet."""
    labels = [p.strip() for p in cell.split(";") if p.strip()]
    owners = [(TANPA_OPD if vocab.opd_jenis(x) == "belum_ditetapkan" else x, vocab.opd_jenis(x)) for x in labels]
    return list(dict.fromkeys(owners)) or [(TANPA_OPD, "belum_ditetapkan")]


def status_shown(aspirasi: pd.DataFrame) -> pd.Series:
    """The status as typed; a blank status cell (still open) reads "Belum ada laporan", not "Belum"."""
    return aspirasi["status"].where(recorded.recorded_mask(aspirasi, "status"), STATUS_TANPA_LAPORAN)


def aspirasi_by_status(aspirasi_ledger: pd.DataFrame) -> pd.DataFrame:
    """Aspirations per status (Belum, Proses, Selesai; each listed even at zero), with overdue counts.

    A blank status cell is open like an explicit Belum but is not the same fact: it is counted apart as
    "Belum ada laporan" (listed after Belum, only when there are such rows).
    """
    led = _checked(aspirasi_ledger, _LEDGER_COLUMNS, "aspirasi_ledger")
    status = status_shown(led).fillna("").astype(str)
    extra = sorted(set(status) - {*STATUS_URUT, STATUS_TANPA_LAPORAN})
    unreported = [STATUS_TANPA_LAPORAN] if (status == STATUS_TANPA_LAPORAN).any() else []
    order = [STATUS_URUT[0], *unreported, *STATUS_URUT[1:], *extra]
    total = len(led)
    rows = []
    for s in order:
        mask = status == s
        rows.append(
            {
                "status": s,
                "aspirasi": int(mask.sum()),
                "terlambat": int((mask & led["terlambat"].eq(True)).sum()),
                "persen": round(100.0 * int(mask.sum()) / total, 1) if total else 0.0,
            }
        )
    return pd.DataFrame(rows, columns=["status", "aspirasi", "terlambat", "persen"])


# ---------------------------------------------------------------- per desa


def desa_summary(
    villages: pd.DataFrame,
    produk: pd.DataFrame,
    kunjungan: pd.DataFrame,
    aspirasi: pd.DataFrame,
    *,
    today: date,
) -> pd.DataFrame:
    """One row per desa of the gazetteer (also those without any data): products, visits, aspirations."""
    v = _checked(villages, ("kode_desa", "desa", "jenis", "kode_kecamatan", "kecamatan"), "villages")
    p = _checked(produk, _PRODUK_COLUMNS, "produk")
    k = _checked(kunjungan, _KUNJUNGAN_COLUMNS, "kunjungan")
    now = _day(today)

    p_unggul = p.loc[p["unggulan"].eq(True)]
    per_produk = pd.DataFrame(
        {
            "produk_total": p.groupby("kode_desa")["id_produk"].nunique(),
            "produk_unggulan": p_unggul.groupby("kode_desa")["id_produk"].nunique(),
            "kategori": _joined_labels(p),
        }
    )

    k = k.assign(tanggal=_dates(k["tanggal"]))
    per_kunjungan = pd.DataFrame(
        {
            "kunjungan_total": k.groupby("kode_desa")["id_kunjungan"].nunique(),
            "kunjungan_terakhir": k.groupby("kode_desa")["tanggal"].max(),
        }
    )

    led = aspirasi_ledger(aspirasi, today=today)
    led = led.assign(tanggal=_dates(led["tanggal"]))
    terbuka = led.loc[led["status"] != STATUS_SELESAI]
    per_aspirasi = pd.DataFrame(
        {
            "aspirasi_total": led.groupby("kode_desa")["id_aspirasi"].nunique(),
            "aspirasi_terbuka": terbuka.groupby("kode_desa")["id_aspirasi"].nunique(),
            "aspirasi_terbuka_tertua": terbuka.groupby("kode_desa")["tanggal"].min(),
            "aspirasi_terlambat": led.loc[led["terlambat"]].groupby("kode_desa")["id_aspirasi"].nunique(),
        }
    )

    out = v.loc[:, ["kode_desa", "desa", "jenis", "kode_kecamatan", "kecamatan"]].sort_values(
        "kode_desa", ignore_index=True
    )
    keys = pd.Index(out["kode_desa"])
    for col in (
        "produk_total",
        "produk_unggulan",
        "kunjungan_total",
        "aspirasi_total",
        "aspirasi_terbuka",
        "aspirasi_terlambat",
    ):
        source = (
            per_produk if col.startswith("produk") else per_kunjungan if col.startswith("kunjungan") else per_aspirasi
        )
        out[col] = source[col].reindex(keys).fillna(0).astype("int64").to_numpy()
    out["kategori"] = per_produk["kategori"].reindex(keys).fillna("").astype(str).to_numpy()
    out["punya_produk_unggulan"] = out["produk_unggulan"] > 0
    out["kunjungan_terakhir"] = _dates(per_kunjungan["kunjungan_terakhir"].reindex(keys)).to_numpy()
    out["hari_sejak_kunjungan"] = (now - out["kunjungan_terakhir"]).dt.days.astype("Int64")
    out["dikunjungi"] = out["kunjungan_total"] > 0
    out["aspirasi_terbuka_tertua"] = _dates(per_aspirasi["aspirasi_terbuka_tertua"].reindex(keys)).to_numpy()
    out["status_cakupan"] = np.select(
        [out["punya_produk_unggulan"] & out["dikunjungi"], out["punya_produk_unggulan"], out["dikunjungi"]],
        list(STATUS_CAKUPAN[:3]),
        default=STATUS_CAKUPAN[3],
    )
    out["status_cakupan"] = out["status_cakupan"].astype(str)
    return out.loc[:, list(DESA_SUMMARY_COLUMNS)]


def _joined_labels(produk: pd.DataFrame) -> pd.Series:
    """Per kode_desa, its distinct non-blank categories sorted and joined ('Makanan olahan; Minuman')."""
    pairs = produk.loc[produk["kategori"].astype(str).str.strip() != "", ["kode_desa", "kategori"]].astype(str)
    pairs = pairs.drop_duplicates().sort_values(["kode_desa", "kategori"])
    return pairs.groupby("kode_desa")["kategori"].agg("; ".join)


def coverage_gaps(desa_summary: pd.DataFrame) -> dict[str, list[str]]:
    """Codes of villages without a flagship product, never visited, and both (each list sorted)."""
    d = _checked(desa_summary, ("kode_desa", "punya_produk_unggulan", "dikunjungi"), "desa_summary")
    tanpa = ~d["punya_produk_unggulan"].astype(bool)
    belum = ~d["dikunjungi"].astype(bool)
    return {
        "tanpa_produk": sorted(d.loc[tanpa, "kode_desa"].astype(str)),
        "belum_dikunjungi": sorted(d.loc[belum, "kode_desa"].astype(str)),
        "keduanya": sorted(d.loc[tanpa & belum, "kode_desa"].astype(str)),
    }


# ---------------------------------------------------------------- per kecamatan, area


def kecamatan_summary(desa_summary: pd.DataFrame, *, produk: pd.DataFrame | None = None) -> pd.DataFrame:
    """Coverage per kecamatan, sorted by code.

    `produk_total` sums the villages' product counts, so a product shared by two
    villages of one kecamatan counts twice; pass the clean `produk` table to count
    distinct products instead.
    """
    d = _checked(desa_summary, DESA_SUMMARY_COLUMNS, "desa_summary")
    out = d.groupby(["kode_kecamatan", "kecamatan"], as_index=False).agg(
        desa_total=("kode_desa", "size"),
        desa_dengan_produk_unggulan=("punya_produk_unggulan", "sum"),
        desa_dikunjungi=("dikunjungi", "sum"),
        produk_total=("produk_total", "sum"),
        aspirasi_terbuka=("aspirasi_terbuka", "sum"),
        aspirasi_terlambat=("aspirasi_terlambat", "sum"),
    )
    if produk is not None:
        p = _checked(produk, ("id_produk", "kode_desa"), "produk")
        per_kec = (
            p.assign(kode_kecamatan=p["kode_desa"].astype(str).str[:8]).groupby("kode_kecamatan")["id_produk"].nunique()
        )
        out["produk_total"] = out["kode_kecamatan"].map(per_kec).fillna(0)
    for col in (
        "desa_total",
        "desa_dengan_produk_unggulan",
        "desa_dikunjungi",
        "produk_total",
        "aspirasi_terbuka",
        "aspirasi_terlambat",
    ):
        out[col] = out[col].astype("int64")
    out["persen_produk_unggulan"] = _percent(out["desa_dengan_produk_unggulan"], out["desa_total"])
    out["persen_dikunjungi"] = _percent(out["desa_dikunjungi"], out["desa_total"])
    out = out.sort_values("kode_kecamatan", ignore_index=True)
    return out.loc[
        :,
        [
            "kode_kecamatan",
            "kecamatan",
            "desa_total",
            "desa_dengan_produk_unggulan",
            "persen_produk_unggulan",
            "desa_dikunjungi",
            "persen_dikunjungi",
            "produk_total",
            "aspirasi_terbuka",
            "aspirasi_terlambat",
        ],
    ]


def area_summary(
    desa_summary: pd.DataFrame,
    produk: pd.DataFrame,
    kunjungan: pd.DataFrame,
    aspirasi_ledger: pd.DataFrame,
) -> dict[str, int | float | None]:
    """Headline figures for the whole area as plain ints/floats (ready for JSON and the briefing)."""
    d = _checked(desa_summary, ("kode_desa", "punya_produk_unggulan", "dikunjungi"), "desa_summary")
    p = _checked(produk, ("id_produk", "pelaku_usaha"), "produk")
    k = _checked(kunjungan, ("id_kunjungan",), "kunjungan")
    led = _checked(aspirasi_ledger, _LEDGER_COLUMNS, "aspirasi_ledger")
    desa_total = len(d)
    unggulan = int(d["punya_produk_unggulan"].astype(bool).sum())
    dikunjungi = int(d["dikunjungi"].astype(bool).sum())
    pelaku = {key for key in p["pelaku_usaha"].map(header_key) if key}
    pelaku_tercatat, produk_rows = recorded.recorded_counts(p, "produk", "pelaku_usaha")
    return {
        "desa_total": int(desa_total),
        "desa_dengan_produk_unggulan": unggulan,
        "persen_produk_unggulan": _percent_one(unggulan, desa_total),
        "desa_dikunjungi": dikunjungi,
        "persen_dikunjungi": _percent_one(dikunjungi, desa_total),
        "produk_total": int(p["id_produk"].nunique()),
        # Not recorded is not zero: None when no product row names its producer.
        "pelaku_usaha_total": len(pelaku) if pelaku_tercatat or not produk_rows else None,
        "pelaku_usaha_tercatat": pelaku_tercatat,
        "kunjungan_total": int(k["id_kunjungan"].nunique()),
        "aspirasi_total": int(led["id_aspirasi"].nunique()),
        "aspirasi_terbuka": int(led.loc[led["status"] != STATUS_SELESAI, "id_aspirasi"].nunique()),
        "aspirasi_terlambat": int(led.loc[led["terlambat"].eq(True), "id_aspirasi"].nunique()),
    }


# ---------------------------------------------------------------- priority and plan


def visit_priority(desa_summary: pd.DataFrame, *, today: date) -> pd.DataFrame:
    """Every desa ranked by the additive score of the module docstring (ties by its chain), reasons in words."""
    d = _checked(desa_summary, DESA_SUMMARY_COLUMNS, "desa_summary")
    now = _day(today)
    hari = (now - _dates(d["kunjungan_terakhir"])).dt.days.astype("Int64").clip(lower=0)
    punya = d["punya_produk_unggulan"].astype(bool).to_numpy()
    dikunjungi = d["dikunjungi"].astype(bool).to_numpy()
    terbuka = d["aspirasi_terbuka"].astype("int64").to_numpy()
    terlambat = d["aspirasi_terlambat"].astype("int64").to_numpy()

    poin_produk = np.where(punya, 0.0, POIN_TANPA_PRODUK)
    lama = np.floor(hari.fillna(0).to_numpy(dtype=float) / 30.0) * POIN_PER_30_HARI
    poin_kunjungan = np.where(dikunjungi, np.minimum(lama, BATAS_POIN_LAMA_KUNJUNGAN), POIN_BELUM_DIKUNJUNGI)
    poin_aspirasi = np.minimum(terbuka * POIN_ASPIRASI_TERBUKA, BATAS_POIN_ASPIRASI_TERBUKA)
    poin_terlambat = np.minimum(terlambat * POIN_ASPIRASI_TERLAMBAT, BATAS_POIN_ASPIRASI_TERLAMBAT)
    skor = poin_produk + poin_kunjungan + poin_aspirasi + poin_terlambat

    out = pd.DataFrame(
        {
            "kode_desa": d["kode_desa"].to_numpy(),
            "desa": d["desa"].to_numpy(),
            "kode_kecamatan": d["kode_kecamatan"].to_numpy(),
            "kecamatan": d["kecamatan"].to_numpy(),
            "skor": skor.astype(float),
            "alasan": [
                _alasan(pu, dk, h, tb, tl)
                for pu, dk, h, tb, tl in zip(punya, dikunjungi, hari.tolist(), terbuka, terlambat, strict=True)
            ],
            "punya_produk_unggulan": punya,
            "dikunjungi": dikunjungi,
            "hari_sejak_kunjungan": hari.to_numpy(),
            "aspirasi_terbuka": terbuka,
            "aspirasi_terlambat": terlambat,
            "poin_produk": poin_produk,
            "poin_kunjungan": poin_kunjungan,
            "poin_aspirasi": poin_aspirasi,
            "poin_terlambat": poin_terlambat,
        }
    )
    out["hari_sejak_kunjungan"] = out["hari_sejak_kunjungan"].astype("Int64")
    return _ranked(out, _kecamatan_figures(d, now))


def _kecamatan_figures(d: pd.DataFrame, now: pd.Timestamp) -> pd.DataFrame:
    """Per desa, the figures of its kecamatan that the tie-break chain compares (all villages of `d` count)."""
    kec = d["kode_kecamatan"].to_numpy()
    terakhir = _dates(d["kunjungan_terakhir"]).groupby(kec).max()
    hari = (now - terakhir).dt.days.clip(lower=0).astype("Int64")
    terbuka = d["aspirasi_terbuka"].astype("int64").groupby(kec).sum()
    bagian = d["punya_produk_unggulan"].astype(bool).groupby(kec).mean()
    return pd.DataFrame(
        {
            "kecamatan_hari_sejak_kunjungan": hari.reindex(kec).to_numpy(),
            "kecamatan_aspirasi_terbuka": terbuka.reindex(kec).to_numpy(),
            "kecamatan_persen_produk_unggulan": (100.0 * bagian).reindex(kec).to_numpy(),
        }
    ).astype({"kecamatan_hari_sejak_kunjungan": "Int64", "kecamatan_aspirasi_terbuka": "int64"})


def _ranked(out: pd.DataFrame, kec: pd.DataFrame) -> pd.DataFrame:
    """Sorted by score, then by the tie-break chain; with `peringkat`, `giliran`, `penentu_urutan`, tie reasons."""
    out = pd.concat([out.reset_index(drop=True), kec.reset_index(drop=True)], axis=1)
    by_code = out.sort_values("kode_desa", kind="stable")
    giliran = by_code.groupby(["skor", "kode_kecamatan"], sort=False).cumcount() + 1
    out["giliran"] = giliran.reindex(out.index).astype("int64")
    # One ascending key per rung, in chain order; never visited = infinitely long ago, so first.
    keys = pd.DataFrame(
        {
            "giliran": out["giliran"].astype(float),
            "kecamatan_hari_sejak_kunjungan": -out["kecamatan_hari_sejak_kunjungan"].astype(float).fillna(np.inf),
            "kecamatan_aspirasi_terbuka": -out["kecamatan_aspirasi_terbuka"].astype(float),
            "kecamatan_persen_produk_unggulan": out["kecamatan_persen_produk_unggulan"].astype(float),
            "kode_desa": pd.factorize(out["kode_desa"].astype(str), sort=True)[0].astype(float),
        }
    )
    order = (
        pd.concat([-out["skor"].rename("_skor"), keys], axis=1)
        .sort_values(["_skor", *keys.columns], kind="stable")
        .index
    )
    out = out.loc[order].reset_index(drop=True)
    keys = keys.loc[order].to_numpy()

    skor = out["skor"].to_numpy()
    sama = pd.Series(skor).map(pd.Series(skor).value_counts()).to_numpy() - 1
    # Each tied desa is compared with the next of equal score; the last of its score with the one above.
    n = len(out)
    ahead = np.append(skor[1:] == skor[:-1], False) if n else np.zeros(0, dtype=bool)
    other = np.where(ahead, np.arange(n) + 1, np.arange(n) - 1).clip(0, max(n - 1, 0))
    rung_names = np.array([name for name, _ in URUTAN_SETARA])
    penentu = np.where(sama > 0, rung_names[np.argmax(keys != keys[other], axis=1)], "").tolist()
    alasan = out["alasan"].tolist()
    tied = np.flatnonzero((sama > 0) & (skor > 0))
    columns = ["giliran", "kecamatan", *(name for name, _ in URUTAN_SETARA[1:4])]
    rows = out.loc[tied, columns].to_dict("records")
    lain = {k: f"; sama skor dengan {angka(k)} desa lain: " for k in set(sama[tied].tolist())}
    for i, row in zip(tied, rows, strict=True):
        alasan[i] += lain[sama[i]] + _tie_reason(row, penentu[i], bool(ahead[i]))
    out["alasan"] = alasan
    out["penentu_urutan"] = penentu
    out["kecamatan_persen_produk_unggulan"] = out["kecamatan_persen_produk_unggulan"].round(1)
    out.insert(0, "peringkat", np.arange(1, len(out) + 1, dtype="int64"))
    return out


def _tie_reason(row: dict, rung: str, ahead: bool) -> str:
    """The deciding rung in words: why this desa comes before the next of equal score (after, for the last)."""
    giliran = int(row["giliran"])
    turn = f"giliran {'pertama' if giliran == 1 else f'ke-{giliran}'} di kecamatan {row['kecamatan']}"
    if rung == "giliran":
        return f"{turn} (desa setara bergiliran antarkecamatan)"
    if rung == "kecamatan_hari_sejak_kunjungan":
        hari = row["kecamatan_hari_sejak_kunjungan"]
        if pd.isna(hari):
            text = "kecamatan belum pernah dikunjungi"
        elif ahead:
            text = f"kecamatan lebih lama tidak dikunjungi ({angka(hari)} hari)"
        else:
            text = f"kecamatan lebih baru dikunjungi ({angka(hari)} hari lalu)"
    elif rung == "kecamatan_aspirasi_terbuka":
        lebih = "banyak" if ahead else "sedikit"
        text = f"lebih {lebih} aspirasi terbuka di kecamatan ({angka(row['kecamatan_aspirasi_terbuka'])})"
    elif rung == "kecamatan_persen_produk_unggulan":
        arah = "rendah" if ahead else "tinggi"
        text = (
            f"persentase desa berproduk unggulan di kecamatan lebih {arah} "
            f"({persen(row['kecamatan_persen_produk_unggulan'])})"
        )
    else:
        text = "kecamatan setara, urutan kode desa"
    return f"{turn}, {text}" if giliran > 1 else text


def _alasan(punya: bool, dikunjungi: bool, hari: object, terbuka: int, terlambat: int) -> str:
    parts = []
    if not punya:
        parts.append("belum punya produk unggulan")
    if not dikunjungi:
        parts.append("belum pernah dikunjungi")
    elif isinstance(hari, int) and hari >= 30:
        lalu = f"{hari // 30} bulan" if hari >= 60 else f"{hari} hari"
        parts.append(f"terakhir dikunjungi {lalu} lalu")
    if terbuka:
        parts.append(f"{terbuka} aspirasi terbuka")
    if terlambat:
        parts.append(f"{terlambat} aspirasi terlambat")
    return "; ".join(parts) if parts else "tidak ada kesenjangan"


def visit_plan(
    priority: pd.DataFrame,
    kunjungan: pd.DataFrame,
    *,
    today: date,
    per_trip: int = 2,
    trips: int | None = None,
) -> tuple[pd.DataFrame, dict]:
    """Trips of `per_trip` villages of one kecamatan in priority order, dated at last year's visiting pace.

    All villages with a positive score are grouped; `trips` keeps only the first
    trips of the table, while `perkiraan_selesai` always refers to the full plan:
    the date of the trip that reaches the last never-visited desa.
    """
    if per_trip < 1:
        raise ValueError("per_trip harus minimal 1 desa per perjalanan.")
    if trips is not None and trips < 0:
        raise ValueError("trips tidak boleh negatif.")
    pr = _checked(
        priority,
        ("peringkat", "kode_desa", "desa", "kode_kecamatan", "kecamatan", "skor", "alasan", "dikunjungi"),
        "priority",
    )
    k = _checked(kunjungan, ("tanggal",), "kunjungan")
    now = _day(today)

    candidates = pr.loc[pr["skor"] > 0].sort_values("peringkat", kind="stable")
    groups = _group_trips(candidates, per_trip)

    tanggal = _dates(k["tanggal"])
    recent = tanggal[(tanggal > now - pd.Timedelta(days=365)) & (tanggal <= now)]
    hari_kunjungan = int(recent.dt.normalize().nunique())
    laju = hari_kunjungan / 12.0

    def trip_date(n: int) -> pd.Timestamp:
        if not hari_kunjungan:
            return pd.NaT
        return now + pd.Timedelta(days=round(n * 365.0 / hari_kunjungan))

    order = [i for trip in groups for i in trip]
    trip_no = np.repeat(np.arange(1, len(groups) + 1, dtype="int64"), [len(trip) for trip in groups])
    plan = candidates.loc[order, ["kecamatan", "kode_desa", "desa", "skor", "alasan"]].reset_index(drop=True)
    plan.insert(0, "trip", trip_no)
    if hari_kunjungan:
        rencana = now + pd.to_timedelta(np.round(trip_no * 365.0 / hari_kunjungan), unit="D")
    else:
        rencana = pd.DatetimeIndex([pd.NaT] * len(trip_no))
    plan.insert(1, "tanggal_rencana", _dates(pd.Series(rencana)))
    plan["skor"] = plan["skor"].astype(float)

    belum = pr.loc[~pr["dikunjungi"].astype(bool), "kode_desa"]
    desa_belum = len(belum)
    last_trip = int(plan.loc[plan["kode_desa"].isin(belum), "trip"].max()) if desa_belum else 0
    selesai = trip_date(last_trip) if desa_belum else pd.NaT
    perkiraan = None if pd.isna(selesai) else selesai.date()

    catatan = _plan_note(now, hari_kunjungan, laju, desa_belum, last_trip, perkiraan)
    if trips is not None:
        plan = plan.loc[plan["trip"] <= trips].reset_index(drop=True)
    info = {
        "laju_kunjungan_per_bulan": round(laju, 2),
        "desa_belum_dikunjungi": desa_belum,
        "perkiraan_selesai": perkiraan,
        "catatan": catatan,
        "hari_kunjungan_12_bulan": hari_kunjungan,
        "trip_total": len(groups),
    }
    return plan, info


def _group_trips(candidates: pd.DataFrame, per_trip: int) -> list[list[object]]:
    """Greedy: the highest remaining desa, then the next-highest of its kecamatan, until the trip is full."""
    queues: dict[str, list[object]] = {}
    for i, kec in zip(candidates.index, candidates["kode_kecamatan"], strict=True):
        queues.setdefault(kec, []).append(i)
    planned: set[object] = set()
    groups = []
    for i, kec in zip(candidates.index, candidates["kode_kecamatan"], strict=True):
        if i in planned:
            continue
        queue = queues[kec]
        trip = [j for j in queue if j not in planned][:per_trip]
        planned.update(trip)
        queues[kec] = [j for j in queue if j not in planned]
        groups.append(trip)
    return groups


def _plan_note(
    now: pd.Timestamp, hari: int, laju: float, desa_belum: int, last_trip: int, perkiraan: date | None
) -> str:
    sejak = tanggal((now - pd.Timedelta(days=364)).date())
    if not hari:
        pace = (
            f"Tidak ada kunjungan dalam 12 bulan terakhir (sejak {sejak}), "
            "jadi tanggal rencana tidak dapat diproyeksikan."
        )
    else:
        pace = f"Laju 12 bulan terakhir: {hari} hari kunjungan, ≈ {angka(laju, 1)} perjalanan per bulan."
    if not desa_belum:
        return f"{pace} Semua desa sudah pernah dikunjungi."
    tail = f" Dengan laju ini semuanya terkunjungi sekitar {tanggal(perkiraan)}." if perkiraan else ""
    return (
        f"{pace} {desa_belum} desa belum pernah dikunjungi; rencana ini menjangkau semuanya dalam "
        f"{last_trip} perjalanan.{tail}"
    )


# ---------------------------------------------------------------- charts


def kunjungan_per_bulan(kunjungan: pd.DataFrame) -> pd.DataFrame:
    """Visits and distinct villages per calendar month, months without visits filled with zero."""
    k = _checked(kunjungan, _KUNJUNGAN_COLUMNS, "kunjungan")
    tanggal = _dates(k["tanggal"])
    k = k.assign(bulan=tanggal.dt.to_period("M").dt.to_timestamp()).dropna(subset=["bulan"])
    if k.empty:
        return pd.DataFrame(
            {
                "bulan": pd.Series(dtype="datetime64[us]"),
                "kunjungan": pd.Series(dtype="int64"),
                "desa": pd.Series(dtype="int64"),
            }
        )
    out = k.groupby("bulan").agg(kunjungan=("id_kunjungan", "nunique"), desa=("kode_desa", "nunique"))
    months = pd.date_range(out.index.min(), out.index.max(), freq="MS")
    out = out.reindex(months, fill_value=0).astype("int64").rename_axis("bulan").reset_index()
    return out


def produk_by_kategori(produk: pd.DataFrame) -> pd.DataFrame:
    """Distinct products and villages per category, largest first; a blank category (a sheet without the
    column) is counted under "tidak tercatat", not hidden."""
    p = _checked(produk, ("id_produk", "kode_desa", "kategori"), "produk")
    p = p.assign(kategori=p["kategori"].where(recorded.recorded_mask(p, "kategori"), recorded.TIDAK_TERCATAT))
    out = p.groupby("kategori", as_index=False).agg(produk=("id_produk", "nunique"), desa=("kode_desa", "nunique"))
    out[["produk", "desa"]] = out[["produk", "desa"]].astype("int64")
    return out.sort_values(["produk", "kategori"], ascending=[False, True], ignore_index=True)


# ---------------------------------------------------------------- helpers


def _checked(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> pd.DataFrame:
    """The frame itself, or an empty one with the needed columns; raise early when a column is missing."""
    if frame is None or len(frame.columns) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"Tabel {name} tidak punya kolom: {', '.join(missing)}")
    return frame


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, errors="coerce").dt.normalize()


def _day(today: date) -> pd.Timestamp:
    return pd.Timestamp(today).normalize()


def _percent(part: pd.Series, whole: pd.Series) -> pd.Series:
    whole = whole.astype(float)
    return (100.0 * part.astype(float) / whole.where(whole > 0)).fillna(0.0).round(1)


def _percent_one(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


__all__ = [
    "DEFAULT_TENGGAT_HARI",
    "STATUS_CAKUPAN",
    "area_summary",
    "aspirasi_by_opd",
    "aspirasi_by_status",
    "aspirasi_ledger",
    "coverage_gaps",
    "desa_summary",
    "kecamatan_summary",
    "kunjungan_per_bulan",
    "legality_ladder",
    "produk_by_kategori",
    "status_shown",
    "visit_plan",
    "visit_priority",
]
