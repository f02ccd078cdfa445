"""Reference tables for the README, generated from the schema, vocabularies, codes and read limits.

`python -m ovop_data.docs` prints them; a test fails when the README drifts from them.
"""

from __future__ import annotations

from . import vocab
from .codes import CODES
from .limits import limits_markdown
from .schema import TABLES, header_texts

BEGIN = "<!-- generated: python -m ovop_data.docs -->"
END = "<!-- end generated -->"


def columns_markdown() -> str:
    """One table per spreadsheet table: column, required, header aliases, meaning."""
    out = []
    for table in TABLES.values():
        out.append(f"#### `{table.name}` — {table.label}\n")
        words = ", ".join(table.sheet_words)
        out.append(f"Sheet dikenali dari namanya bila memuat: {words}; jika tidak, dari judul kolomnya.\n")
        out.append("| kolom | wajib | judul yang dikenali | isi |")
        out.append("|---|---|---|---|")
        for col in table.columns:
            aliases = ", ".join(f"`{a}`" for a in header_texts(col)[1:])
            flag = "ya" if col.required else ""
            note = col.description + (" **Data pribadi: tidak pernah tampil atau diekspor.**" if col.personal else "")
            said: dict[tuple[str, str], list[str]] = {}
            for header, other, value in col.implies:
                said.setdefault((other, value), []).append(f"`{header}`")
            note += "".join(f" Judul {', '.join(h)} juga berarti `{o}` = {v}." for (o, v), h in said.items())
            out.append(f"| `{col.name}` | {flag} | {aliases} | {note} |")
        same = ", ".join(f"`{c}`" for c in table.identifying)
        out.append(f"\nBaris ganda (`duplikat`): sama pada semua kolom {same} (desa dibandingkan menurut kodenya).\n")
    return "\n".join(out)


def vocab_markdown() -> str:
    """The product categories and the other controlled vocabularies with the words that map to them."""
    out = ["| kategori produk | contoh kata yang dipetakan |", "|---|---|"]
    for term in vocab.KATEGORI_PRODUK:
        out.append(f"| {term.label} | {', '.join(term.keywords[:12])} |")
    out.append("")
    for title, terms in (
        ("kategori kendala", vocab.KATEGORI_KENDALA),
        ("status", vocab.STATUS),
        ("jenis pelaku", vocab.JENIS_PELAKU),
        ("legalitas", vocab.LEGALITAS),
        ("pemasaran", vocab.PEMASARAN),
    ):
        out.append(f"- **{title}**: " + "; ".join(f"{t.label} ({', '.join(t.keywords[:5])})" for t in terms))
    return "\n".join([*out, "", opd_markdown()])


def opd_markdown() -> str:
    """The agencies (OPD), the partners (mitra), the vague owners and the agency suggested per obstacle."""
    out = ["| OPD (nama resmi) | singkatan / nama lama yang dipetakan | catatan |", "|---|---|---|"]
    out += [f"| {t.label} | {', '.join(t.keywords[:8])} | {t.note} |" for t in vocab.OPD]
    mitra = "; ".join(f"{t.label} ({', '.join(t.keywords[:3])})" for t in vocab.MITRA)
    umum = ", ".join(k.strip() for k in vocab.MITRA_UMUM)
    vague = ", ".join(f"'{k}'" for k in vocab.OPD_TIDAK_JELAS)
    saran = "; ".join(f"{k} → {v}" for k, v in vocab.OPD_SARAN.items())
    out += [
        "",
        f"- **mitra** (bukan OPD): {mitra}; nama lain yang memuat {umum} dicatat sebagaimana ditulis.",
        f"- **belum ditetapkan** (temuan `opd_tidak_jelas`): {vague}.",
        f"- **saran OPD menurut kategori kendala**: {saran}.",
    ]
    return "\n".join(out)


def codes_markdown() -> str:
    """The finding codes of the validation report."""
    out = ["| kode | tingkat | arti |", "|---|---|---|"]
    out += [f"| `{code}` | {severity} | {meaning} |" for code, (severity, meaning) in CODES.items()]
    return "\n".join(out)


def generated() -> str:
    """Everything between the README's generated markers."""
    return "\n".join(
        [
            BEGIN,
            "",
            "### Kolom",
            "",
            columns_markdown(),
            "### Kosakata baku",
            "",
            vocab_markdown(),
            "",
            "### Kode temuan validasi",
            "",
            codes_markdown(),
            "",
            "### Batas baca berkas",
            "",
            "Berkas di atas satu batas ditolak seketika dengan pesan yang menyebut batasnya "
            "(temuan `berkas_terlalu_besar`); berkas lain tetap dimuat.",
            "",
            limits_markdown(),
            "",
            END,
        ]
    )


if __name__ == "__main__":
    print(generated())
