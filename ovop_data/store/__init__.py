"""Everything the dashboard keeps: uploaded workbooks (`uploads`, `workbooks`) and the follow-up database.

Pages and the command line call the functions re-exported here, named for what they do; only this package
touches the file system's archive and SQLAlchemy.
"""

from __future__ import annotations

from .accounts import (
    Account,
    AccountError,
    account,
    accounts_table,
    add_account,
    agency_emails,
    change_password,
    disable_account,
    record_signin_failure,
    session_account,
    verify_password,
)
from .db import database_url, engine, shared_database, writes_refused
from .events import (
    Item,
    Refused,
    all_events,
    effective_statuses,
    events_if_any,
    events_of,
    evidence_of,
    record_event,
    record_upload,
    signin_failures,
    upload_log,
)
from .uploads import ARCHIVE, FILE_MODE, LOCK_FILE, MAX_BYTES, SaveResult, folder_files, safe_file_name, save_upload
from .workbooks import DataVersion, active_workbooks, data_version, workbook_files, workbook_versions

__all__ = [
    "ARCHIVE",
    "FILE_MODE",
    "LOCK_FILE",
    "MAX_BYTES",
    "Account",
    "AccountError",
    "DataVersion",
    "Item",
    "Refused",
    "SaveResult",
    "account",
    "accounts_table",
    "active_workbooks",
    "add_account",
    "agency_emails",
    "all_events",
    "change_password",
    "data_version",
    "database_url",
    "disable_account",
    "effective_statuses",
    "engine",
    "events_if_any",
    "events_of",
    "evidence_of",
    "folder_files",
    "record_event",
    "record_signin_failure",
    "record_upload",
    "safe_file_name",
    "save_upload",
    "session_account",
    "shared_database",
    "signin_failures",
    "upload_log",
    "verify_password",
    "workbook_files",
    "workbook_versions",
    "writes_refused",
]
