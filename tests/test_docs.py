"""The README's reference tables are generated from the schema, vocabularies and codes: they must not drift."""

from __future__ import annotations

from pathlib import Path

from ovop_data.codes import CODES
from ovop_data.docs import BEGIN, END, generated
from ovop_data.schema import TABLES

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_tables_match_the_code():
    text = README.read_text(encoding="utf-8")
    section = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert section == generated(), "README drifted: run `python -m ovop_data.docs` and paste its output"


def test_every_column_and_code_is_documented():
    text = README.read_text(encoding="utf-8")
    for table in TABLES.values():
        for column in table.columns:
            assert f"`{column.name}`" in text
    for code in CODES:
        assert f"`{code}`" in text


def test_readme_starts_with_the_two_commands():
    blocks = README.read_text(encoding="utf-8").split("```bash\n")[1:3]
    commands = [b.split("```")[0].strip() for b in blocks]
    assert commands == ["pip install -r requirements.txt && streamlit run serve.py", "bash scripts/test.sh"]
    assert "bash scripts/test.sh" in (README.parent / ".ci" / "run").read_text(encoding="utf-8")
