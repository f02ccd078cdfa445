"""Everything the dashboard keeps: uploaded workbooks (`uploads`) and the follow-up database.

Pages and the command line call the functions re-exported here, named for what they do; only this package
touches the file system's archive and SQLAlchemy.
"""

from __future__ import annotations

from .uploads import ARCHIVE, FILE_MODE, LOCK_FILE, MAX_BYTES, SaveResult, folder_files, safe_file_name, save_upload

__all__ = [
    "ARCHIVE",
    "FILE_MODE",
    "LOCK_FILE",
    "MAX_BYTES",
    "SaveResult",
    "folder_files",
    "safe_file_name",
    "save_upload",
]
