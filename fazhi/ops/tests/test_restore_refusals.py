"""`fazhi restore` refuses a damaged, altered, unsafe or foreign archive before it changes anything, and says
so when what it restored does not check out."""

from __future__ import annotations

import hashlib
import io
import json
import re
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from fazhi.audit.models import AuditEntry
from fazhi.audit.recorder import acting_as
from fazhi.ops import backup
from fazhi.orgs import actions
from fazhi.orgs.models import Unit
from fazhi.testing import Personas

pytestmark = pytest.mark.django_db(transaction=True)

EVIDENCE = "evidence/现场照片.jpg"


@pytest.fixture
def archive(personas: Personas, tmp_path: Path) -> Path:
    """A good backup, taken before a unit and a file were changed: restoring it would undo both."""
    default_storage.save(EVIDENCE, ContentFile(b"photo as it was"))
    path = tmp_path / "fazhi.tar.gz"
    backup.create_backup(path)
    with acting_as(None, "test"), transaction.atomic():
        actions.save_unit(None, region=personas.region_a, name="备份之后新建的单位", kind="other")
    Path(settings.MEDIA_ROOT, EVIDENCE).write_bytes(b"photo as it is now")
    return path


def _state() -> tuple[list[str], int, bytes]:
    return (
        list(Unit.objects.order_by("pk").values_list("name", flat=True)),
        AuditEntry.objects.count(),
        Path(settings.MEDIA_ROOT, EVIDENCE).read_bytes(),
    )


def _repack(
    source: Path, change: Callable[[dict[str, bytes], dict[str, Any]], None], extra: Any = ()
) -> Path:
    """Copy an archive; `change` edits the members' bytes and the manifest, `extra` members go first."""
    with tarfile.open(source, "r:gz") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]
    manifest = json.loads(members.pop(backup.MANIFEST))
    change(members, manifest)
    members[backup.MANIFEST] = json.dumps(manifest).encode()
    target = source.with_name("crafted.tar.gz")
    with tarfile.open(target, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for info, data in extra:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


def _refused(path: Path, match: str) -> None:
    before = _state()
    with pytest.raises(CommandError, match=match):
        call_command("restore", str(path), yes=True, stdout=io.StringIO(), stderr=io.StringIO())
    assert _state() == before
    assert "备份之后新建的单位" in before[0]
    scratch = [
        p.name for p in Path(settings.MEDIA_ROOT).parent.iterdir() if p.name.startswith(".fazhi-restore")
    ]
    assert scratch == []


def test_an_archive_with_one_altered_byte_is_refused_and_nothing_changes(archive: Path) -> None:
    def alter(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        members[f"files/{EVIDENCE}"] = b"photo as it was!"

    _refused(_repack(archive, alter), match=re.escape(f"files/{EVIDENCE}"))


def test_a_truncated_archive_is_refused_and_nothing_changes(archive: Path) -> None:
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    _refused(archive, match=re.escape(archive.name))


def _member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "", data: bytes | None = b"x") -> Any:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    info.size = len(data) if data is not None and kind == tarfile.REGTYPE else 0
    return info, (data if kind == tarfile.REGTYPE else None)


@pytest.mark.parametrize(
    "member",
    [
        _member("../escaped.txt"),
        _member("files/../../escaped.txt"),
        _member("/escaped-by-restore.txt"),
        _member("files/link", tarfile.SYMTYPE, "/etc/passwd"),
        _member("files/hard", tarfile.LNKTYPE, "manifest.json"),
        _member("files/device", tarfile.CHRTYPE),
        _member("unexpected.txt"),
    ],
    ids=["parent", "nested-parent", "absolute", "symlink", "hardlink", "device", "foreign"],
)
def test_an_archive_with_an_unsafe_member_is_refused(archive: Path, tmp_path: Path, member: Any) -> None:
    _refused(
        _repack(archive, lambda members, manifest: None, extra=[member]), match=re.escape(member[0].name)
    )
    assert not (tmp_path / "escaped.txt").exists()
    assert not Path("/escaped-by-restore.txt").exists()


def test_a_database_that_fails_to_load_leaves_the_old_files_in_place(archive: Path) -> None:
    # The files are swapped in before the database is loaded, so this exercises swapping them back.
    member = backup.DATABASE_MEMBERS[connection.vendor]

    def garble(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        members[member] = b"not a database dump " * 100
        manifest["members"][member] = {"size": 2000, "sha256": hashlib.sha256(members[member]).hexdigest()}

    _refused(_repack(archive, garble), match="not a database|pg_restore")


def test_an_archive_from_the_other_database_vendor_is_refused(archive: Path) -> None:
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def relabel(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        manifest["database"]["vendor"] = other

    _refused(_repack(archive, relabel), match=f"{other}.*{connection.vendor}")


def test_an_archive_from_a_newer_fazhi_is_refused(archive: Path) -> None:
    def newer(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        manifest["migrations"]["orgs"].append("9999_from_a_newer_version")

    _refused(_repack(archive, newer), match="orgs.9999_from_a_newer_version")


def test_postgresql_restore_over_a_database_with_later_migrations_is_refused(archive: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's restore replaces the whole database file, later tables included")

    def older(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        manifest["migrations"]["audit"].remove("0002_chain_head_and_append_only_triggers")

    _refused(_repack(archive, older), match="audit.0002_chain_head_and_append_only_triggers")


def test_restore_without_confirmation_is_refused(archive: Path) -> None:
    before = _state()
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert _state() == before


def test_the_untouched_archive_does_restore(archive: Path) -> None:
    call_command("restore", str(archive), yes=True, stdout=io.StringIO(), stderr=io.StringIO())
    names, _entries, evidence = _state()
    assert "备份之后新建的单位" not in names
    assert evidence == b"photo as it was"


def test_restoring_a_backup_of_a_broken_chain_restores_but_exits_non_zero(
    personas: Personas, tmp_path: Path
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_audithead")  # the chain head was lost before the backup
    path = tmp_path / "broken.tar.gz"
    backup.create_backup(path)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE orgs_unit SET name = %s WHERE id = %s", ["改过的名字", personas.justice_a.pk])

    err = io.StringIO()
    with pytest.raises(CommandError, match="fazhi audit verify"):
        call_command("restore", str(path), yes=True, stdout=io.StringIO(), stderr=err)
    assert Unit.objects.get(pk=personas.justice_a.pk).name == "新城区司法局"  # restored all the same
    assert "fazhi audit verify" in err.getvalue()  # and the restore could not be appended to the chain
    assert not AuditEntry.objects.filter(action="restore").exists()
