"""Drafts of open forms on disk (issue #21, ``tuicrm.drafts``): private, atomic, one per form and
database, gone when expired."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta

import pytest

from tuicrm import paths
from tuicrm.config import DRAFT_EXPIRE_DAYS
from tuicrm.drafts import SUFFIX, DraftKey, Drafts, FieldDraft
from tuicrm.safefiles import FileRefused

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
LOG = DraftKey("FollowUpForm", "", "new-customer_id-7")
CHANGES = {"summary": FieldDraft("", "called, wants the quote by Friday"), "contact_id": FieldDraft(None, 3)}


def mode(p) -> int:
    return stat.S_IMODE(os.lstat(p).st_mode)


def test_a_draft_is_private_and_reads_back_as_written(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    drafts = Drafts(tmp_path / "crm.db")
    assert drafts.directory == paths.drafts_dir() == tmp_path / "state" / "tuicrm" / "drafts"
    written = drafts.save(LOG, CHANGES, base_version=4, now=NOW)
    assert mode(drafts.directory) == 0o700 and mode(written) == 0o600
    assert [p.name for p in drafts.directory.iterdir()] == [written.name]  # no temporary file left
    draft = drafts.load(LOG, now=NOW)
    assert draft is not None
    assert (draft.base_version, draft.saved_at, draft.fields) == (4, NOW, CHANGES)
    # A second save replaces the first (atomically: one file, the new text).
    drafts.save(LOG, {"summary": FieldDraft("", "called")}, now=NOW)
    assert drafts.load(LOG, now=NOW).fields == {"summary": FieldDraft("", "called")}
    assert len(list(drafts.directory.iterdir())) == 1
    assert drafts.remove(LOG) and not written.exists() and not drafts.remove(LOG)


def test_a_looser_drafts_folder_is_tightened_and_a_symlinked_one_refused(tmp_path):
    folder = tmp_path / "drafts"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    Drafts(tmp_path / "crm.db", folder).save(LOG, CHANGES, now=NOW)
    assert mode(folder) == 0o700
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(FileRefused):
        Drafts(tmp_path / "crm.db", tmp_path / "link").save(LOG, CHANGES, now=NOW)
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_one_draft_per_form_and_row_and_database(tmp_path):
    folder = tmp_path / "drafts"
    one, other = Drafts(tmp_path / "a.db", folder), Drafts(tmp_path / "b.db", folder)
    edit = DraftKey("CustomerForm", "customer", "7")
    chinese = DraftKey("ComplaintForm", "", "new-customer-华为")
    one.save(LOG, CHANGES, now=NOW)
    one.save(edit, {"industry": FieldDraft("Glass", "Steel")}, 3, now=NOW)
    one.save(chinese, CHANGES, now=NOW)
    assert len({one.path(k) for k in (LOG, edit, chinese)} | {other.path(LOG)}) == 4
    assert other.load(LOG, now=NOW) is None  # the other database has no draft of that form
    assert one.load(DraftKey("FollowUpForm", "", "new-customer_id-8"), now=NOW) is None
    assert one.load(edit, now=NOW).base_version == 3
    assert one.load(chinese, now=NOW).fields == CHANGES
    # The same database by another path (a symlink) is the same database.
    (tmp_path / "alias.db").symlink_to(tmp_path / "a.db")
    assert Drafts(tmp_path / "alias.db", folder).load(LOG, now=NOW) is not None


def test_expired_drafts_are_deleted_when_found(tmp_path):
    folder = tmp_path / "drafts"
    drafts = Drafts(tmp_path / "crm.db", folder)
    old = NOW - timedelta(days=DRAFT_EXPIRE_DAYS, minutes=1)
    drafts.save(LOG, CHANGES, now=old)
    drafts.save(DraftKey("LeadForm", "", "new"), CHANGES, now=old)
    kept = DraftKey("CustomerForm", "customer", "7")
    drafts.save(kept, CHANGES, now=NOW - timedelta(days=DRAFT_EXPIRE_DAYS - 1))
    assert drafts.load(LOG, now=NOW) is None
    assert [p.name for p in folder.iterdir()] == [drafts.path(kept).name]  # the other old one too
    assert drafts.load(kept, now=NOW) is not None


def test_a_damaged_or_foreign_draft_is_not_offered(tmp_path):
    folder = tmp_path / "drafts"
    drafts = Drafts(tmp_path / "crm.db", folder)
    drafts.save(LOG, CHANGES, now=NOW)
    drafts.path(LOG).write_text('{"format": 1, "fields": ')  # cut short
    assert drafts.load(LOG, now=NOW) is None and not drafts.path(LOG).exists()
    target = tmp_path / "secret.txt"
    target.write_text("not a draft")
    drafts.path(LOG).symlink_to(target)
    assert drafts.load(LOG, now=NOW) is None
    assert target.read_text() == "not a draft"
    assert not any(p.name.endswith(SUFFIX) and p.is_file() and not p.is_symlink() for p in folder.iterdir())
