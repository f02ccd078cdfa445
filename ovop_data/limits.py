"""How much of an untrusted spreadsheet is ever read: one declarative table of bounds.

The reader checks these before materialising anything (declared sizes first, then what the
reader actually built) and refuses a file over a bound with a message naming the bound. The
README's table of limits is generated from LIMITS, so docs and code cannot disagree.

Stdlib only: the isolated reader process (`readworker`) imports this module too.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields


def _limit(value: int, label: str, why: str) -> int:
    return field(default=value, metadata={"label": label, "why": why})


@dataclass(frozen=True)
class Limits:
    """Bounds on one file; every field carries its Indonesian label and the reason for its value."""

    file_bytes: int = _limit(
        25 * 1024 * 1024,
        "ukuran berkas",
        "sama dengan batas unggah Streamlit (`maxUploadSize = 25`); buku kerja kabupaten biasanya < 2 MB",
    )
    unpacked_bytes: int = _limit(
        256 * 1024 * 1024,
        "isi .xlsx/.ods setelah diekstrak",
        "bom zip: 25 MB terkompresi bisa menjadi puluhan GB; 5 juta sel XML diukur 220 MB",
    )
    zip_members: int = _limit(
        2_000,
        "bagian (entri zip) per .xlsx/.ods",
        "buku kerja 50 sheet punya < 300 bagian; ribuan entri hanya memperlambat pembacaan daftar isi",
    )
    sheets: int = _limit(
        50,
        "sheet per berkas",
        "data OVOP ada di 1–5 sheet; setiap sheet dibaca dan diperiksa",
    )
    rows: int = _limit(
        200_000,
        "baris per sheet",
        "20× jumlah baris terbesar yang realistis (satu baris per produk/kunjungan di 248 desa)",
    )
    columns: int = _limit(
        256,
        "kolom per sheet",
        "templat memakai < 20 kolom; 256 adalah batas Excel lama (.xls, kolom IV)",
    )
    cells: int = _limit(
        5_000_000,
        "sel per berkas (baris × kolom, dihitung dari A1)",
        "15× tolok ukur skala provinsi (35.000 baris × 9 kolom); diukur: 5 juta sel dibaca ±8 s, ±0,5 GB di server",
    )
    cell_chars: int = _limit(
        32_767,
        "karakter per sel",
        "batas Excel sendiri; sel lebih panjang tidak dibuat oleh Excel",
    )
    read_seconds: int = _limit(
        30,
        "detik pembacaan per berkas",
        "5 juta sel dibaca dalam ±8 s di mesin 2 inti yang sibuk; tolok ukur skala provinsi dalam 0,3 s",
    )
    reader_memory_mb: int = _limit(
        2048,
        "MB memori proses pembaca",
        "3× puncak terukur untuk 5 juta sel (0,6 GB); berkas yang melampauinya mengakhiri proses pembaca, bukan server",
    )

    def as_dict(self) -> dict[str, int]:
        """The values by field name (sent to the reader process)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


#: The bounds every read uses unless a caller passes others (tests use smaller ones).
LIMITS = Limits()


def angka(n: int) -> str:
    """1048576 -> '1.048.576' (Indonesian thousands separator)."""
    return f"{n:,}".replace(",", ".")


def describe(limits: Limits = LIMITS) -> list[tuple[str, str, str]]:
    """(label, value, why) per limit, for the README table and help texts."""
    rows = []
    for f in fields(limits):
        value = getattr(limits, f.name)
        shown = f"{value // (1024 * 1024)} MB" if f.name.endswith("_bytes") else angka(value)
        rows.append((f.metadata["label"], shown, f.metadata["why"]))
    return rows


def limits_markdown(limits: Limits = LIMITS) -> str:
    """The README table of limits."""
    out = ["| batas | nilai | alasan |", "|---|---|---|"]
    out += [f"| {label} | {value} | {why} |" for label, value, why in describe(limits)]
    return "\n".join(out)


def over(
    file: str, what: str, found: int, limit: int, unit: str, scope: str = "", *, verb: str = "berisi", hint: str = ""
) -> str:
    """The refusal naming the bound: "Berkas 'x' terlalu besar: sheet 'P' berisi 1.000.000 baris; batas 200.000 ..."."""
    bound = f"{angka(limit)} {unit} {scope}".rstrip()
    text = f"Berkas '{file}' terlalu besar: {what} {verb} {angka(found)} {unit}; batas {bound}."
    return f"{text} {hint}" if hint else text
