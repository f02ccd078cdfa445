"""Village boundaries (being split by job; this commit only moves geo.py so its history follows)."""

from .choose import *  # noqa: F403
from .choose import _cache_or_note  # noqa: F401
