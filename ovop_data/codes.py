"""Every finding code the validation report can carry, with what it means for staff.

The codes are stable (pages, tests and other tools filter on them); the README's
table of codes is generated from this list.
"""

from __future__ import annotations

#: code -> (usual severity, meaning in Bahasa Indonesia)
CODES: dict[str, tuple[str, str]] = {
    "berkas_tidak_terbaca": (
        "error",
        "Berkas tidak dapat dibaca (rusak, terkunci kata sandi, kosong, bukan spreadsheet, pintasan rusak, "
        "hilang saat dibaca, tanpa izin baca, atau folder).",
    ),
    "berkas_terlalu_besar": (
        "error",
        "Berkas melampaui batas baca (ukuran, sheet, baris, kolom, sel, karakter per sel, waktu atau memori; "
        "lihat tabel batas); ditolak tanpa dibaca, berkas lain tetap dimuat.",
    ),
    "sheet_tidak_dikenal": ("warning", "Sheet bukan tabel produk, kunjungan atau aspirasi; dilewati."),
    "judul_kolom_tidak_ditemukan": ("error", "Baris judul kolom tidak ditemukan di sheet."),
    "kolom_tidak_ada": ("error", "Kolom wajib tidak ada; semua baris sheet itu ditolak."),
    "kolom_tidak_tercatat": (
        "warning",
        "Kolom keterangan (mis. kategori) tidak ada di sheet; baris tetap diterima, isinya 'tidak tercatat'.",
    ),
    "tabel_tidak_ditemukan": (
        "error",
        "Tidak ada tabel produk, kunjungan atau aspirasi di berkas mana pun; lihat temuan sheet_tidak_dikenal.",
    ),
    "nilai_wajib_kosong": ("error", "Kolom wajib kosong pada baris ini."),
    "desa_tidak_dikenal": ("error", "Nama atau kode desa tidak ada dalam daftar Kemendagri wilayah ini."),
    "desa_ambigu": ("error", "Nama desa ada di lebih dari satu kecamatan dan kecamatan tidak diisi."),
    "di_luar_wilayah": (
        "error",
        "Desa, kecamatan, kabupaten/kota atau provinsi baris berada di luar wilayah program (mis. Kota Blitar).",
    ),
    "kecamatan_tidak_cocok": (
        "error",
        "Desa tidak ada di kecamatan yang ditulis, atau kecamatan tidak dikenal (bukan salah ketik yang jelas).",
    ),
    "wilayah_tidak_cocok": (
        "error",
        "Kolom kabupaten/kota dan provinsi baris tidak cocok satu sama lain, atau desanya tidak ada di sana.",
    ),
    "tanggal_tidak_valid": (
        "error",
        "Tanggal tidak dapat dibaca (galat untuk tanggal wajib, peringatan untuk tenggat).",
    ),
    "duplikat": ("error", "Baris sama dengan baris sebelumnya; tidak dihitung dua kali."),
    "id_aspirasi_ganda": (
        "warning",
        "ID Aspirasi sudah dipakai baris sebelumnya; baris ini tetap diterima dengan ID buatan sistem, "
        "agar riwayat tindak lanjut dua aspirasi tidak tercampur.",
    ),
    "kategori_tidak_dikenal": ("warning", "Kategori di luar kosakata baku; dicatat sebagai 'Lainnya'."),
    "koreksi_nama": ("warning", "Nama desa/kecamatan dikoreksi (salah ketik) — dengan skor kemiripan."),
    "kode_tidak_valid": ("warning", "Kode desa tidak berformat Kemendagri; nama desa yang dipakai."),
    "nilai_tidak_valid": (
        "warning",
        "Nilai tidak dikenali (Ya/Tidak, status, tahun, bintang, legalitas); dipakai nilai bawaan atau dikosongkan.",
    ),
    "opd_tidak_jelas": (
        "warning",
        "OPD penanggung jawab/pendamping tidak jelas ('OPD terkait', 'Kepala OPD'); dicatat 'belum ditetapkan', "
        "saran OPD dari isi kurungnya atau menurut kategori kendala.",
    ),
    "batas_tidak_cocok": ("warning", "Poligon di berkas batas desa sendiri tidak cocok dengan desa mana pun."),
    "batas_bukan_poligon": ("warning", "Baris berkas batas desa tanpa geometri poligon; dilewati."),
    "batas_tanpa_crs": ("warning", "Berkas batas desa tanpa sistem koordinat; dianggap WGS84 (lintang/bujur)."),
    "batas_di_luar_wilayah": ("warning", "Poligon berkas batas desa berada di luar wilayah program; dilewati."),
    "batas_ganda": ("warning", "Satu desa punya lebih dari satu poligon di berkas batas; digabung."),
    "desa_tanpa_batas": ("warning", "Desa wilayah program tanpa poligon batas; tampil tanpa bentuk di peta."),
}

#: code -> short plain-language label, what the Data page shows instead of the code (the code stays in the XLSX).
LABELS: dict[str, str] = {
    "berkas_tidak_terbaca": "Berkas tidak terbaca",
    "berkas_terlalu_besar": "Berkas terlalu besar",
    "sheet_tidak_dikenal": "Sheet bukan tabel data",
    "judul_kolom_tidak_ditemukan": "Judul kolom tidak ditemukan",
    "kolom_tidak_ada": "Kolom wajib tidak ada",
    "kolom_tidak_tercatat": "Kolom keterangan tidak ada",
    "tabel_tidak_ditemukan": "Tidak ada tabel data",
    "nilai_wajib_kosong": "Isian wajib kosong",
    "desa_tidak_dikenal": "Desa tidak dikenal",
    "desa_ambigu": "Nama desa ada di beberapa kecamatan",
    "di_luar_wilayah": "Di luar wilayah program",
    "kecamatan_tidak_cocok": "Kecamatan tidak cocok",
    "wilayah_tidak_cocok": "Kabupaten tidak di provinsinya",
    "tanggal_tidak_valid": "Tanggal tidak terbaca",
    "duplikat": "Baris ganda",
    "id_aspirasi_ganda": "ID Aspirasi dipakai dua kali",
    "kategori_tidak_dikenal": "Kategori tidak dikenal",
    "koreksi_nama": "Nama dibetulkan",
    "kode_tidak_valid": "Kode desa tidak sah",
    "nilai_tidak_valid": "Isian tidak dikenali",
    "opd_tidak_jelas": "OPD belum jelas",
    "batas_tidak_cocok": "Poligon tanpa desa",
    "batas_bukan_poligon": "Baris tanpa poligon",
    "batas_tanpa_crs": "Batas tanpa sistem koordinat",
    "batas_di_luar_wilayah": "Poligon di luar wilayah",
    "batas_ganda": "Desa dengan poligon ganda",
    "desa_tanpa_batas": "Desa tanpa poligon",
}


def code_label(code: str) -> str:
    """The plain-language label of a finding code (the code itself for one not in LABELS, e.g. from an old cache)."""
    return LABELS.get(code, code)


def codes_label(codes: str) -> str:
    """Labels of a '; '-joined list of codes (a rejected row's reasons), in the same order."""
    return "; ".join(code_label(c.strip()) for c in str(codes).split(";") if c.strip())


#: Codes of a file left out entirely (unreadable or over a read limit): the CLI exits 2, the sidebar counts them.
FILE_NOT_READ = ("berkas_tidak_terbaca", "berkas_terlalu_besar")


def check_code(code: str) -> None:
    """Raise for a finding code not documented in CODES (a programming error, not a data problem)."""
    if code not in CODES:
        raise ValueError(f"unknown finding code {code!r}: document it in ovop_data/codes.py")


def finding(
    table: str,
    file: str,
    sheet: str,
    row: int | None,
    column: str,
    value: object,
    severity: str,
    code: str,
    message: str,
    suggestion: str = "",
) -> dict:
    """One row of the findings table (dataset.FINDING_COLUMNS); an undocumented code is a programming error."""
    check_code(code)
    return {
        "table": table,
        "file": file,
        "sheet": sheet,
        "row": row,
        "column": column,
        "value": "" if value is None else str(value),
        "severity": severity,
        "code": code,
        "message": message,
        "suggestion": suggestion,
    }
