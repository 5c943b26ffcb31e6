"""`fazhi backup` then `fazhi restore`: every row and every stored file comes back; the chain still holds."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
import threading
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction

from fazhi.audit import chain
from fazhi.audit.models import AuditEntry
from fazhi.audit.recorder import acting_as
from fazhi.ops import backup
from fazhi.orgs import actions
from fazhi.orgs.models import Region, RoleAssignment, Unit, User
from fazhi.testing import PASSWORD, Personas

# Committed data, so that pg_dump (another session) sees it.
pytestmark = pytest.mark.django_db(transaction=True)

STORED = {
    "evidence/2024/会议纪要.txt": "新城区司法局 2024 年第一次会议纪要".encode(),
    "reports/年度报告.pdf": bytes(range(256)) * 40,
    "readme.txt": b"top level",
}


def _store_files() -> None:
    for name, data in STORED.items():
        assert default_storage.save(name, ContentFile(data)) == name


def _media() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {
        path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def _row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _key_tables() -> dict[str, list[Any]]:
    return {
        "regions": list(
            Region.objects.order_by("pk").values_list("pk", "name", "level", "parent_id", "code", "path")
        ),
        "units": list(
            Unit.objects.order_by("pk").values_list("pk", "region_id", "name", "kind", "is_enforcement_body")
        ),
        "users": list(
            User.objects.order_by("pk").values_list("pk", "username", "full_name", "password", "is_staff")
        ),
        "roles": list(
            RoleAssignment.objects.order_by("pk").values_list("pk", "user_id", "role", "region_id", "unit_id")
        ),
        "audit": list(
            AuditEntry.objects.order_by("seq").values_list("seq", "action", "target_type", "changes", "hash")
        ),
    }


def _manifest(archive: Path) -> tuple[list[str], dict[str, Any]]:
    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        handle = tar.extractfile(backup.MANIFEST)
        assert handle is not None
        return names, json.loads(handle.read())


def test_restore_after_a_wipe_brings_back_every_row_and_every_file(
    personas: Personas, tmp_path: Path
) -> None:
    _store_files()
    Path(settings.MEDIA_ROOT, "link.txt").symlink_to("readme.txt")  # links are skipped, and said to be
    counts, tables = _row_counts(), _key_tables()
    archive = tmp_path / "backups" / "fazhi.tar.gz"
    archive.parent.mkdir()

    out, err = io.StringIO(), io.StringIO()
    call_command("backup", str(archive), stdout=out, stderr=err)
    digest = backup._sha256_file(archive)
    assert digest in out.getvalue()
    assert "link.txt" in err.getvalue()
    names, manifest = _manifest(archive)
    assert sorted(names) == sorted(
        [backup.MANIFEST, backup.DATABASE_MEMBERS[connection.vendor], *(f"files/{name}" for name in STORED)]
    )
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["files"] == {
        "included": True,
        "count": 3,
        "bytes": sum(len(data) for data in STORED.values()),
        "media_root": str(settings.MEDIA_ROOT),
        "note": "",
    }
    assert "0002_chain_head_and_append_only_triggers" in manifest["migrations"]["audit"]
    assert archive.stat().st_mode & 0o077 == 0  # password hashes inside: readable by the owner only
    # The backup is noted after the copy, so the archive itself does not hold that entry.
    noted = AuditEntry.objects.order_by("-seq").first()
    assert noted is not None
    assert (noted.action, noted.target_id) == ("backup", digest)

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    Path(settings.MEDIA_ROOT).mkdir()
    Path(settings.MEDIA_ROOT, "stray.txt").write_bytes(b"not in the archive")
    assert not Region.objects.exists()

    out = io.StringIO()
    call_command("restore", str(archive), yes=True, stdout=out, stderr=io.StringIO())

    restored, archived_chain = _key_tables(), tables.pop("audit")
    assert restored["audit"][:-1] == archived_chain
    assert {name: restored[name] for name in tables} == tables
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert (entry.action, entry.target_id, entry.source) == ("restore", digest, "cli")
    assert entry.changes_dict()["created_at"] == manifest["created_at"]
    assert _row_counts() == {**counts, "audit_auditentry": counts["audit_auditentry"] + 1}
    assert _media() == STORED
    verified = chain.verify()
    assert verified.ok, verified.reason
    assert archived_chain[-1][-1] in out.getvalue()  # the restored chain was checked up to its last entry
    assert User.objects.get(username="coordinator").check_password(PASSWORD)
    leftovers = [
        path.name for path in Path(settings.MEDIA_ROOT).parent.iterdir() if path.name.startswith(".")
    ]
    assert leftovers == []


def test_backup_refuses_to_overwrite_a_file_unless_forced(personas: Personas, tmp_path: Path) -> None:
    archive = tmp_path / "backups" / "fazhi.tar.gz"
    archive.parent.mkdir()
    archive.write_bytes(b"last week's backup")
    with pytest.raises(CommandError, match="--force"):
        call_command("backup", str(archive), stdout=io.StringIO())
    assert archive.read_bytes() == b"last week's backup"

    call_command("backup", str(archive), force=True, stdout=io.StringIO())
    assert tarfile.is_tarfile(archive)
    assert [path.name for path in archive.parent.iterdir()] == ["fazhi.tar.gz"]  # no partial file left


def test_backup_with_object_storage_keeps_the_database_and_leaves_the_files_out(
    personas: Personas, tmp_path: Path, settings: Any
) -> None:
    Path(settings.MEDIA_ROOT).mkdir(parents=True)
    Path(settings.MEDIA_ROOT, "local.txt").write_bytes(b"not the storage in use")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    archive = tmp_path / "fazhi.tar.gz"
    err = io.StringIO()
    call_command("backup", str(archive), stdout=io.StringIO(), stderr=err)

    names, manifest = _manifest(archive)
    assert sorted(names) == sorted([backup.MANIFEST, backup.DATABASE_MEMBERS[connection.vendor]])
    assert manifest["files"]["included"] is False
    assert "InMemoryStorage" in manifest["files"]["note"]
    assert "FAZHI_STORAGE=s3" in err.getvalue()

    with acting_as(None, "test"), transaction.atomic():
        actions.save_unit(None, region=personas.region_a, name="备份之后新建的单位", kind="other")
    call_command("restore", str(archive), yes=True, stdout=io.StringIO(), stderr=io.StringIO())
    assert not Unit.objects.filter(name="备份之后新建的单位").exists()
    assert _media() == {"local.txt": b"not the storage in use"}


def test_a_write_still_in_flight_during_the_backup_is_left_out_whole(
    personas: Personas, tmp_path: Path
) -> None:
    # On SQLite the test database is in memory with a shared cache, where an open writer and a reader lock
    # each other out table by table, unlike the WAL file the app uses; so the scenario runs on PostgreSQL.
    if connection.vendor != "postgresql":
        pytest.skip("needs a second writer that does not block readers (PostgreSQL)")
    entries_before = AuditEntry.objects.count()
    written, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with acting_as(None, "test"), transaction.atomic():
                region = Region.objects.get(pk=personas.region_a.pk)
                actions.save_unit(None, region=region, name="备份时尚未提交的单位", kind="other")
                written.set()
                release.wait(timeout=60)
        except BaseException as error:  # reported below, in the main thread
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert written.wait(timeout=60)
        result = backup.create_backup(tmp_path / "fazhi.tar.gz")
    finally:
        release.set()
        thread.join()
    assert errors == []
    assert Unit.objects.filter(name="备份时尚未提交的单位").exists()

    with backup.open_archive(result.path) as archive:
        outcome = backup.restore(archive)
    assert outcome.chain.ok, outcome.chain.reason
    assert not Unit.objects.filter(name="备份时尚未提交的单位").exists()
    # The unit's own audit entry went with it: the entries are those of before, plus the restore.
    assert AuditEntry.objects.count() == entries_before + 1


def test_backup_without_pg_dump_says_so_and_leaves_no_file(
    personas: Personas, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite backups need no external tool")
    target = tmp_path / "out"
    target.mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))
    with pytest.raises(CommandError, match="pg_dump"):
        call_command("backup", str(target / "fazhi.tar.gz"), stdout=io.StringIO())
    assert list(target.iterdir()) == []
