"""The hostile-text corpus: a workbook whose every free-text cell, header, sheet name and file name attacks.

Each text is a way outside text has turned into code or markup somewhere: Jinja template syntax (branca
compiles map scripts as templates), HTML and script tags, JavaScript template literals, Markdown links and
images (Streamlit renders Markdown), Streamlit's colour/LaTeX directives, spreadsheet formulas, and
personal data (phone numbers, e-mail) that must never reach a public view.

Made by code, never kept as a binary file: ``python tests/hostile_text.py OUT_DIR`` writes the workbook
for a look by hand; the tests call `write_hostile_workbook`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import xlsxwriter

#: Jinja's `cycler` reaches `os`: if this ever evaluates, the canary folder exists afterwards.
CANARY_DIR_NAME = "ovop_rce_canary"
#: A template expression whose evaluation would show its result.
EVALUATES = "Kopi {{ 7*7 }}"
EVALUATED = "Kopi 49"
#: A phone number and an e-mail typed into free text; only their masked forms may be shown.
PHONE = "0812-3456-7890"
EMAIL = "pemilik.usaha@contoh.id"
#: Outside hosts that a rendered link or image would reach.
EVIL_HOST = "evil.example"


def hostile_texts(canary: Path) -> list[str]:
    """Every attack, each distinct (products of one village are counted apart by their names)."""
    return [
        EVALUATES,
        "{{ cycler.__init__.__globals__.os.makedirs(" + repr(str(canary)) + ") }}",
        "Nasi {% hemat",
        "Kelompok {{ x",
        "Tempe {# komentar",
        "Jamu {%- raw %}{{ 1 }}{% endraw %}",
        "<img src=x onerror=alert(1)>",
        "<script>alert(2)</script>",
        "</script><script>alert(3)</script>",
        "`${alert(4)}`",
        "'); alert(5); ('",
        f"[Portal resmi](http://{EVIL_HOST}/masuk)",
        f"![gambar](http://{EVIL_HOST}/t.png)",
        f"<a href='http://{EVIL_HOST}'>klik</a>",
        f"www.{EVIL_HOST} dan mailto:x@{EVIL_HOST}",
        ":red[MERAH] $x^2$ **tebal** # Judul",
        '=HYPERLINK("http://' + EVIL_HOST + '";"klik")',
        "+1+1",
        "@SUM(1;2)",
        "-2+3",
        f"Bu Sri, HP {PHONE}, surel {EMAIL}",
        "%s %d %(x)s {0} {x!r}",
        "\\u003cscript\\u003e &lt;b&gt; &#123;&#123;",
    ]


#: Real villages (code, name, kecamatan) the hostile rows are attached to, so they are accepted and shown.
VILLAGES = [
    ("35.05.17.2009", "Balerejo", "Wlingi"),
    ("35.05.17.2008", "Tegalasri", "Wlingi"),
    ("35.05.17.2007", "Ngadirenggo", "Wlingi"),
]
FILE_NAME = "{{7*7}} [portal](evil.example) <b>x {% x.xlsx"


def write_hostile_workbook(folder: Path, canary: Path) -> Path:
    """The three tables (accepted rows with hostile text, rejected rows with hostile village names) in one file."""
    texts = hostile_texts(canary)
    path = folder / FILE_NAME
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    produk_headers = [
        "Nama Produk", "Kategori", "Desa/Kelurahan", "Kecamatan", "Kode Desa", "Pelaku Usaha", "Jenis Pelaku",
        "Legalitas", "Pemasaran", "No WA Pemilik", "Catatan {{ 7*7 }} <b>",
    ]  # fmt: skip
    produk = []
    for i, text in enumerate(texts):
        kode, desa, kecamatan = VILLAGES[i % len(VILLAGES)]
        produk.append(
            [text, "Makanan olahan", desa, kecamatan, kode, text, "UMKM", "NIB", "lokal", PHONE, f"{text} {PHONE}"]
        )
    # A hostile category and a hostile producer kind: accepted with a warning that quotes them.
    produk.append(["Keripik biasa", texts[0], "Balerejo", "Wlingi", "35.05.17.2009", "Pak Budi", texts[11], "", "",
                   "", ""])  # fmt: skip
    # Rejected: the village is the attack (the validation report quotes it).
    produk += [[f"Ditolak {i}", "Minuman", text, "Wlingi", "", "", "", "", "", "", ""] for i, text in enumerate(texts)]
    _sheet(book, "Produk {{ 7+7 }} <b> {% x", produk_headers, produk)

    kunjungan_headers = ["Tanggal", "Desa/Kelurahan", "Kecamatan", "Kegiatan", "Pejabat", "OPD Pendamping",
                         "Produk Disorot", "Catatan"]  # fmt: skip
    kunjungan = []
    for i, text in enumerate(texts):
        kode, desa, kecamatan = VILLAGES[i % len(VILLAGES)]
        kunjungan.append([f"{(i % 27) + 1:02d}/07/2023", desa, kecamatan, text, text, text, text, text])
    kunjungan += [["12/07/2023", text, "Wlingi", "Sambang Desa", "", "", "", ""] for text in texts[:6]]
    _sheet(book, "Kunjungan {{ 6+6 }} `${1}`", kunjungan_headers, kunjungan)

    aspirasi_headers = ["Tanggal", "Desa/Kelurahan", "Kecamatan", "Aspirasi", "Kategori Kendala",
                        "OPD Penanggung Jawab", "Status", "Tenggat", "Tindak Lanjut"]  # fmt: skip
    aspirasi = []
    for i, text in enumerate(texts):
        kode, desa, kecamatan = VILLAGES[i % len(VILLAGES)]
        aspirasi.append([f"{(i % 27) + 1:02d}/07/2023", desa, kecamatan, text, text, text, text, "", text])
    _sheet(book, "Aspirasi <i>{% if %}", aspirasi_headers, aspirasi)
    book.close()
    return path


def _sheet(book: xlsxwriter.Workbook, name: str, headers: list[str], rows: list[list[str]]) -> None:
    """One sheet, every cell written as a string (a text starting with '=' stays text, as staff typed it)."""
    ws = book.add_worksheet(name)
    for c, header in enumerate(headers):
        ws.write_string(0, c, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value != "":
                ws.write_string(r, c, value)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    print(write_hostile_workbook(out, out / CANARY_DIR_NAME))
