"""Personal data never reaches a public view or export: allow-listed columns, masked phone numbers and e-mail."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from ovop_data import export, privacy

PHONE = "0812-3456-7890"
EMAIL = "pemilik.usaha@contoh.id"
CONTACT_HEADERS = [
    "kontak", "Kontak", "No HP", "No. HP", "Nomor HP", "Nomor Telepon", "Telp", "Telp.", "Telepon/WA", "HP Pemilik",
    "No WA Pemilik", "WhatsApp", "CP", "Kontak Person", "Email", "E-mail Pemilik", "Alamat Pemilik", "NIK",
]  # fmt: skip


def _produk(header: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nama_produk": ["Kopi Robusta", f"Keripik, pesan {PHONE}"],
            "pelaku_usaha": [f"Bu Sri ({EMAIL})", "Pak Budi +62 812 3456 7890"],
            "tahun": [2023, 2024],
            header: [PHONE, "0856 1234 5678"],
        }
    )


@pytest.mark.parametrize("header", CONTACT_HEADERS)
def test_public_columns_keeps_only_declared_columns_and_masks_text(header: str) -> None:
    out = privacy.public_columns(_produk(header))
    assert list(out.columns) == ["nama_produk", "pelaku_usaha", "tahun"]
    text = out.to_csv()
    assert PHONE not in text and EMAIL not in text and "3456 7890" not in text
    assert "0812****7890" in text  # masked, not silently emptied
    assert out["tahun"].tolist() == [2023, 2024]


@pytest.mark.parametrize("header", CONTACT_HEADERS)
def test_exports_never_carry_contact_columns_or_numbers(header: str) -> None:
    frame = _produk(header)
    csv = export.to_csv_bytes(frame).decode("utf-8-sig")
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes({"Produk": frame})))
    cells = " ".join(str(c.value) for row in book["Produk"].iter_rows() for c in row)
    for text in (csv, cells):
        assert PHONE not in text and EMAIL not in text and "0856 1234 5678" not in text
        assert header not in text.split("\n")[0] or header in ("Nama Produk",)


def test_masking_leaves_ordinary_text_and_codes_alone() -> None:
    frame = pd.DataFrame(
        {
            "nama_produk": ["Kopi 2023", "Kode 35.05.17.2009", "Kripik 250 gr Rp 15.000"],
            "kode_desa": ["35.05.17.2009"] * 3,
        }
    )
    pd.testing.assert_frame_equal(privacy.masked(frame), frame)


def test_masked_does_not_mutate_its_argument() -> None:
    frame = _produk("kontak")
    before = frame.copy()
    privacy.masked(frame)
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("81234567890", "7890"),  # Excel stored the number and dropped its leading 0
        ("Bu Sri 81234567890", "Bu Sri"),
        ("(+62)81234567890", "7890"),
        ("０８１２３４５６７８９０", "7890"),  # full-width digits
        ("pesan 0812 3456 7890 segera", "segera"),
    ],
)
def test_phone_numbers_in_every_common_spelling_are_masked(text: str, kept: str) -> None:
    masked = privacy.mask_text(text)
    assert kept in masked and "*" in masked
    assert "3456" not in masked and "３４５６" not in masked
