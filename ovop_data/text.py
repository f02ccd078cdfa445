"""Text normalisation shared by header matching and village-name matching.

Staff type the same name many ways ("Desa Balerejo", "ds. balerejo",
"BALEREJO "); comparing normalised keys makes exact matching forgiving
without guessing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")
# Administrative prefixes staff put before a name; stripped before comparing.
_PREFIX = re.compile(r"^(?:desa|ds|kelurahan|kel|kecamatan|kec|dusun|dsn|kabupaten|kab|kota)\b\.?\s*")
# Pre-1972 (EYD) spellings still seen on signboards and old lists.
_OLD_SPELLING = (("oe", "u"), ("dj", "j"), ("tj", "c"))


def fold(text: object) -> str:
    """Lower-case ASCII form of any cell value; '' for empty/NaN."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return _SPACES.sub(" ", s.lower()).strip()


def header_key(text: object) -> str:
    """Compare headers case-, space- and punctuation-insensitively: 'Desa / Kel.' -> 'desakel'."""
    return _NON_ALNUM.sub("", fold(text))


def name_key(text: object) -> str:
    """Key for a place name: no prefix ('Desa', 'Ds.', 'Kel.'…), no spaces/punctuation, modern spelling."""
    return _name_key(text) if isinstance(text, str) else _name_key(fold(text))


@lru_cache(maxsize=131072)
def _name_key(text: str) -> str:
    s = fold(text)
    s = _PREFIX.sub("", s)
    s = _NON_ALNUM.sub("", s)
    for old, new in _OLD_SPELLING:
        s = s.replace(old, new)
    return s


def is_blank(value: object) -> bool:
    """True for None, NaN, and strings of only whitespace."""
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()
