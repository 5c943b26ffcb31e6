"""Backup and restore: the database and the stored files in one archive.

The archive is a gzip-compressed tar file (`.tar.gz`) laid out as

    database/fazhi.sqlite3    SQLite: a copy made with SQLite's online backup API
    database/fazhi.pgdump     PostgreSQL: `pg_dump --format=custom`
    files/<path>              every stored file under MEDIA_ROOT, at its path relative to MEDIA_ROOT
    manifest.json             written last: versions, database vendor, applied migrations, file count and
                              bytes, and the size and SHA-256 of every other member

A backup runs while the app runs: it reads committed data only and takes no write lock. A restore replaces
the current data and expects the app to be stopped. It unpacks and checks the whole archive in a scratch
directory before it touches anything. Then the files move in by rename and the database loads in one
transaction; if the load fails, the old files move back. The manifest's hashes catch damage, not forgery:
whoever can rewrite an archive can rewrite its manifest too, so keep the archive's own SHA-256 (printed by
`fazhi backup` and kept in the audit trail) somewhere else. Operators' guide: docs/reference/backup.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import django
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from fazhi.audit import chain
from fazhi.audit.models import AuditHead
from fazhi.audit.recorder import acting_as, record

FORMAT = "fazhi-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/fazhi.sqlite3", "postgresql": "database/fazhi.pgdump"}
FILES_PREFIX = "files/"
AUDIT_TARGET = "ops.backup_archive"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why and what to do, for the operator."""


@dataclass
class BackupResult:
    path: Path
    size: int
    sha256: str
    vendor: str
    created_at: str
    files_included: bool
    file_count: int
    file_bytes: int
    files_note: str = ""
    skipped: list[str] = field(default_factory=list)


@dataclass
class Archive:
    """An archive unpacked into a scratch directory and checked against its manifest."""

    path: Path
    sha256: str
    manifest: dict[str, Any]
    database: Path
    files: Path
    member_count: int

    @property
    def vendor(self) -> str:
        return str(self.manifest["database"]["vendor"])

    @property
    def created_at(self) -> str:
        return str(self.manifest["created_at"])

    @property
    def files_included(self) -> bool:
        return bool(self.manifest["files"]["included"])

    @property
    def file_count(self) -> int:
        return int(self.manifest["files"]["count"])

    @property
    def file_bytes(self) -> int:
        return int(self.manifest["files"]["bytes"])


@dataclass
class RestoreResult:
    files_restored: bool
    files_note: str
    pending_migrations: list[str]
    chain: chain.VerifyResult
    audit_seq: int | None
    audit_error: str = ""


# --- shared helpers ----------------------------------------------------------------------------------------


def fazhi_version() -> str:
    try:
        return importlib.metadata.version("fazhi")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _storage_backend() -> str:
    default: Any = settings.STORAGES["default"]
    return str(default["BACKEND"])


def local_storage() -> bool:
    """Whether stored files live under MEDIA_ROOT (rather than in an object store such as S3)."""
    backend = import_string(_storage_backend())
    return isinstance(backend, type) and issubclass(backend, FileSystemStorage)


def _storage_note() -> str:
    return _(
        "Stored files are not included: they are kept by %(backend)s (FAZHI_STORAGE=s3), not in a local "
        "folder. Back up the bucket with the object store's own tools (versioning, replication or mirroring)."
    ) % {"backend": _storage_backend()}


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _require_autocommit() -> None:
    # Inside a transaction a SQLite copy would include this connection's uncommitted writes, and a restore
    # could be rolled back half-way by the caller; both must run on their own.
    if connection.in_atomic_block:
        raise BackupError(_("Backup and restore cannot run inside a database transaction."))


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "%(tool)s was not found. Install the PostgreSQL client tools of the same major version as "
                "the server (on Debian or Ubuntu: apt install postgresql-client) and try again."
            )
            % {"tool": name}
        )
    return path


def _pg_env() -> dict[str, str]:
    # Connection parameters travel in libpq's environment variables, so the password never shows in `ps`.
    # The rest of the environment stays: libpq reads the same PG* variables Django's own connection does.
    params = connection.settings_dict
    env = dict(os.environ)
    for key, variable in {
        "HOST": "PGHOST",
        "PORT": "PGPORT",
        "USER": "PGUSER",
        "PASSWORD": "PGPASSWORD",
        "NAME": "PGDATABASE",
    }.items():
        if params.get(key):
            env[variable] = str(params[key])
    options = params.get("OPTIONS") or {}
    for option, variable in {
        "sslmode": "PGSSLMODE",
        "sslrootcert": "PGSSLROOTCERT",
        "sslcert": "PGSSLCERT",
        "sslkey": "PGSSLKEY",
        "passfile": "PGPASSFILE",
        "service": "PGSERVICE",
    }.items():
        if options.get(option):
            env[variable] = str(options[option])
    return env


def _run_pg(argv: list[str], tool: str) -> None:
    completed = subprocess.run(
        argv, env=_pg_env(), capture_output=True, encoding="utf-8", errors="replace", check=False
    )
    if completed.returncode != 0:
        raise BackupError(
            _("%(tool)s failed (exit status %(code)s): %(error)s")
            % {"tool": tool, "code": completed.returncode, "error": completed.stderr.strip()[-2000:]}
        )


# --- backup ------------------------------------------------------------------------------------------------


def _dump_database(dest: Path) -> None:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(dest)
        try:
            # pages=-1 copies every page in one step, under one read transaction: a consistent snapshot of
            # committed data. In WAL mode writers carry on meanwhile; this connection is not blocked either.
            connection.connection.backup(target, pages=-1)
        except sqlite3.Error as exc:
            raise BackupError(_("The SQLite backup failed: %(error)s") % {"error": exc}) from exc
        finally:
            target.close()
    else:
        # pg_dump reads everything in one repeatable-read snapshot, so it is consistent while the app writes.
        _run_pg([_pg_tool("pg_dump"), "--format=custom", "--no-password", f"--file={dest}"], "pg_dump")


def _stored_files(root: Path) -> tuple[list[tuple[Path, str]], list[str]]:
    """Every regular file under root with its archive name, and what was skipped (links, sockets…)."""
    found: list[tuple[Path, str]] = []
    skipped: list[str] = []
    if not root.is_dir():
        return found, skipped
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        here = Path(directory)
        for name in [*sorted(filenames), *(d for d in dirnames if (here / d).is_symlink())]:
            path = here / name
            relative = path.relative_to(root).as_posix()
            try:
                relative.encode("utf-8")
            except UnicodeEncodeError:
                skipped.append(repr(relative))
                continue
            if path.is_symlink() or not stat.S_ISREG(path.lstat().st_mode):
                skipped.append(relative)
                continue
            found.append((path, FILES_PREFIX + relative))
    return found, skipped


class _HashingReader:
    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _fsync_directory(path: Path) -> None:
    # Makes the rename itself durable: after a power cut the archive is there under its name, or not at all.
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _add_member(tar: tarfile.TarFile, source: Path, name: str) -> tuple[int, str]:
    with source.open("rb") as handle:
        info = tarfile.TarInfo(name)
        status = os.fstat(handle.fileno())
        info.size, info.mtime, info.mode = status.st_size, int(status.st_mtime), 0o640
        reader = _HashingReader(handle)
        # The hash is taken from the very bytes written: a file rewritten meanwhile cannot disagree with it.
        tar.addfile(info, reader)
    return info.size, reader.digest.hexdigest()


def create_backup(target: Path, force: bool = False) -> BackupResult:
    """Write the database and the stored files to the archive `target` while the app keeps running.

    The archive is written under a temporary name next to `target` and renamed at the end, so a failed
    backup never leaves a partial file under the requested name.
    """
    target = Path(target).expanduser().absolute()
    if target.is_dir():
        raise BackupError(
            _("%(path)s is a directory: give the name of the archive file to write.") % {"path": target}
        )
    if not target.parent.is_dir():
        raise BackupError(
            _("The directory %(path)s does not exist: create it first.") % {"path": target.parent}
        )
    if target.exists() and not force:
        raise BackupError(
            _("%(path)s already exists: choose another name, or add --force to replace it.")
            % {"path": target}
        )
    _require_autocommit()
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(_("Backups of a %(vendor)s database are not supported.") % {"vendor": vendor})

    created_at = timezone.localtime().isoformat(timespec="seconds")
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    try:
        dump = scratch / "database"
        _dump_database(dump)
        migrations = _applied_migrations()
        archive = scratch / "archive.tar.gz"
        members: dict[str, dict[str, Any]] = {}
        files_included = local_storage()
        file_count = file_bytes = 0
        skipped: list[str] = []
        # The database is copied before the files: uploads are saved before the rows that name them, so a
        # file added meanwhile is at worst an unreferenced extra, never a row pointing at a missing file.
        with tarfile.open(archive, "w:gz", format=tarfile.PAX_FORMAT, compresslevel=6) as tar:
            size, digest = _add_member(tar, dump, DATABASE_MEMBERS[vendor])
            members[DATABASE_MEMBERS[vendor]] = {"size": size, "sha256": digest}
            if files_included:
                found, skipped = _stored_files(Path(settings.MEDIA_ROOT))
                for path, name in found:
                    try:
                        size, digest = _add_member(tar, path, name)
                    except FileNotFoundError:
                        skipped.append(name.removeprefix(FILES_PREFIX))  # deleted since the walk
                        continue
                    members[name] = {"size": size, "sha256": digest}
                    file_count += 1
                    file_bytes += size
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": created_at,
                "fazhi_version": fazhi_version(),
                "django_version": django.get_version(),
                "database": {"vendor": vendor, "member": DATABASE_MEMBERS[vendor]},
                "migrations": migrations,
                "files": {
                    "included": files_included,
                    "count": file_count,
                    "bytes": file_bytes,
                    "media_root": str(settings.MEDIA_ROOT),
                    "note": "" if files_included else _storage_note(),
                },
                "members": members,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o640
            tar.addfile(info, io.BytesIO(data))
        with archive.open("rb+") as handle:
            os.fsync(handle.fileno())
        if target.exists() and not force:
            raise BackupError(
                _("%(path)s already exists: choose another name, or add --force to replace it.")
                % {"path": target}
            )
        # Owner-only: the archive holds password hashes and personal data.
        archive.chmod(0o600)
        os.replace(archive, target)
        _fsync_directory(target.parent)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return BackupResult(
        path=target,
        size=target.stat().st_size,
        sha256=_sha256_file(target),
        vendor=vendor,
        created_at=created_at,
        files_included=files_included,
        file_count=file_count,
        file_bytes=file_bytes,
        files_note="" if files_included else _storage_note(),
        skipped=skipped,
    )


def record_backup(result: BackupResult) -> int:
    """Note the backup in the audit trail; returns the entry's sequence number.

    Recorded only once the archive is complete, so the backup never changes the data it copies (the archive
    holds the data as it was when the copy began), and the entry can name the finished archive by its SHA-256.
    """
    with acting_as(None, "cli"), transaction.atomic():
        record(
            "backup",
            AUDIT_TARGET,
            target_id=result.sha256,
            target_repr=result.path.name,
            changes={
                "path": str(result.path),
                "size": result.size,
                "sha256": result.sha256,
                "created_at": result.created_at,
                "database_vendor": result.vendor,
                "files_included": result.files_included,
                "file_count": result.file_count,
            },
        )
        return AuditHead.objects.get(pk=1).seq


# --- restore: unpack and check -----------------------------------------------------------------------------


def _refuse_member(name: str, why: str) -> BackupError:
    return BackupError(
        _("The archive is refused: member “%(name)s” %(why)s. Nothing was changed.")
        % {"name": name, "why": why}
    )


def _member_parts(member: tarfile.TarInfo) -> tuple[str, ...]:
    name = member.name.rstrip("/") if member.isdir() else member.name
    parts = tuple(name.split("/"))
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or any(p in {"", ".", ".."} for p in parts)
    ):
        raise _refuse_member(member.name, _("has an absolute path or leads outside the archive"))
    if member.issym() or member.islnk():
        raise _refuse_member(member.name, _("is a link"))
    if not (member.isfile() or member.isdir()):
        raise _refuse_member(member.name, _("is not a regular file"))
    allowed = (
        (parts[0] == "files" and (member.isdir() or len(parts) > 1))
        or (
            parts[0] == "database"
            and ((member.isdir() and len(parts) == 1) or name in DATABASE_MEMBERS.values())
        )
        or (name == MANIFEST and member.isfile())
    )
    if not allowed:
        raise _refuse_member(member.name, _("does not belong in a Fazhi backup"))
    return parts


def _unpack(path: Path, staging: Path) -> tuple[dict[str, tuple[int, str]], bytes]:
    extracted: dict[str, tuple[int, str]] = {}
    manifest: bytes | None = None
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar:
                parts = _member_parts(member)
                if member.isdir():
                    continue
                if member.name in extracted or (member.name == MANIFEST and manifest is not None):
                    raise _refuse_member(member.name, _("appears twice"))
                source = tar.extractfile(member)
                if source is None:
                    raise _refuse_member(member.name, _("is not a regular file"))
                if member.name == MANIFEST:
                    manifest = source.read()
                    continue
                dest = staging.joinpath(*parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                digest, size = hashlib.sha256(), 0
                with dest.open("wb") as out:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                os.utime(dest, (member.mtime, member.mtime))
                extracted[member.name] = (size, digest.hexdigest())
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(
            _(
                "Could not read the archive %(path)s (%(error)s): it is damaged, incomplete or not a Fazhi "
                "backup."
            )
            % {"path": path, "error": exc}
        ) from exc
    if manifest is None:
        raise BackupError(
            _("The archive %(path)s has no manifest.json: it is not a complete Fazhi backup.")
            % {"path": path}
        )
    return extracted, manifest


def _check_manifest(raw: bytes, extracted: dict[str, tuple[int, str]]) -> dict[str, Any]:
    unreadable = BackupError(_("The archive's manifest.json is unreadable: it is not a Fazhi backup."))
    try:
        manifest = json.loads(raw.decode("utf-8"))
        version = int(manifest["format_version"])
        vendor = manifest["database"]["vendor"]
        members = manifest["members"]
        well_formed = (
            manifest["format"] == FORMAT
            and isinstance(manifest["created_at"], str)
            and isinstance(members, dict)
            and isinstance(manifest["migrations"], dict)
            and all(isinstance(names, list) for names in manifest["migrations"].values())
            and isinstance(manifest["files"]["included"], bool)
            and isinstance(manifest["files"]["count"], int)
            and isinstance(manifest["files"]["bytes"], int)
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise unreadable from exc
    if not well_formed:
        raise unreadable
    if version > FORMAT_VERSION:
        raise BackupError(
            _(
                "The archive has format version %(found)s; this Fazhi reads up to version %(known)s. "
                "Upgrade Fazhi first."
            )
            % {"found": version, "known": FORMAT_VERSION}
        )
    missing = sorted(set(members) - set(extracted))
    extra = sorted(set(extracted) - set(members))
    if missing or extra:
        raise BackupError(
            _(
                "The archive does not match its manifest (missing: %(missing)s; not listed: %(extra)s). "
                "Nothing was changed."
            )
            % {"missing": ", ".join(missing[:5]) or "-", "extra": ", ".join(extra[:5]) or "-"}
        )
    for name, (size, digest) in sorted(extracted.items()):
        expected = members[name]
        if not isinstance(expected, dict) or expected.get("sha256") != digest or expected.get("size") != size:
            raise BackupError(
                _(
                    "The archive member %(name)s is damaged or was altered (its SHA-256 does not match the "
                    "manifest). Nothing was changed; use another copy of the backup."
                )
                % {"name": name}
            )
    if vendor != connection.vendor:
        raise BackupError(
            _(
                "The archive holds a %(archive)s database but this installation uses %(current)s. Restore "
                "it into a %(archive)s installation; converting between SQLite and PostgreSQL is not "
                "supported by restore."
            )
            % {"archive": vendor, "current": connection.vendor}
        )
    if DATABASE_MEMBERS.get(vendor) not in extracted:
        raise BackupError(_("The archive has no database dump: it is not a complete Fazhi backup."))
    _check_migrations(manifest)
    return manifest


def _known_migrations() -> set[tuple[str, str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    return known


def _check_migrations(manifest: dict[str, Any]) -> None:
    archived = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = sorted(archived - _known_migrations())
    if unknown:
        raise BackupError(
            _(
                "The archive was made by Fazhi %(version)s, whose database has changes this version does not "
                "know (%(migrations)s). Install Fazhi %(version)s or newer, then restore."
            )
            % {
                "version": manifest.get("fazhi_version", "?"),
                "migrations": ", ".join(f"{a}.{n}" for a, n in unknown[:5]),
            }
        )
    if connection.vendor == "postgresql":
        # pg_restore --clean drops only what the archive holds; tables from later migrations would stay behind
        # and make the next `fazhi migrate` fail. SQLite's restore replaces the whole file.
        extra = sorted(set(MigrationRecorder(connection).applied_migrations()) - archived)
        if extra:
            raise BackupError(
                _(
                    "The current database has migrations the archive lacks (%(migrations)s), so restoring "
                    "over it would leave stray tables behind. Drop and re-create the empty database (dropdb, "
                    "createdb), restore into it, then run `fazhi migrate`."
                )
                % {"migrations": ", ".join(f"{a}.{n}" for a, n in extra[:5])}
            )


def _staging_parent() -> Path | None:
    # Next to MEDIA_ROOT, so the restored files move into place with a rename on the same file system.
    if local_storage():
        parent = Path(settings.MEDIA_ROOT).resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        return parent
    return None


@contextlib.contextmanager
def open_archive(path: Path) -> Iterator[Archive]:
    """Unpack `path` into a scratch directory and check it completely; the scratch is removed afterwards.

    Raises BackupError, before anything is changed, for a damaged or altered archive, unsafe member names,
    links, another database vendor, or migrations this version of Fazhi does not know.
    """
    path = Path(path).expanduser().absolute()
    if not path.is_file():
        raise BackupError(_("The archive %(path)s does not exist.") % {"path": path})
    staging = Path(tempfile.mkdtemp(prefix=".fazhi-restore-", dir=_staging_parent()))
    try:
        extracted, raw = _unpack(path, staging)
        manifest = _check_manifest(raw, extracted)
        files = staging / "files"
        files.mkdir(exist_ok=True)
        yield Archive(
            path=path,
            sha256=_sha256_file(path),
            manifest=manifest,
            database=staging / DATABASE_MEMBERS[manifest["database"]["vendor"]],
            files=files,
            member_count=len(extracted),
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# --- restore: replace ---------------------------------------------------------------------------------------


def _restore_database(archive: Archive) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(archive.database)
        try:
            problems = source.execute("PRAGMA quick_check").fetchall()
            if problems != [("ok",)]:
                raise BackupError(
                    _("The archived SQLite database is damaged (%(problem)s). Nothing was changed.")
                    % {"problem": problems[0][0]}
                )
            # The backup API writes every page into the live database in one write transaction: other
            # connections see the old database or the restored one, never a mix.
            source.backup(connection.connection, pages=-1)
        except sqlite3.Error as exc:
            raise BackupError(
                _("The SQLite restore failed, nothing was changed: %(error)s") % {"error": exc}
            ) from exc
        finally:
            source.close()
    else:
        tool = _pg_tool("pg_restore")
        # pg_restore drops and re-creates the tables; an open Django connection would only hold it up.
        connection.close()
        _run_pg(
            [
                tool, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--no-password",
                f"--dbname={connection.settings_dict.get('NAME') or ''}", str(archive.database),
            ],
            "pg_restore",
        )  # fmt: skip
    # Content type ids come from the restored tables now, not from what this process cached before.
    ContentType.objects.clear_cache()


def _pending_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def restore(archive: Archive) -> RestoreResult:
    """Replace the database and (with local storage) MEDIA_ROOT by the checked archive's content.

    Afterwards the audit chain is verified and the restore is appended to it. The app should be stopped.
    """
    _require_autocommit()
    media = Path(settings.MEDIA_ROOT).resolve()
    swap_files = local_storage() and archive.files_included
    previous = archive.files.parent / "previous-files"
    if swap_files:
        mode = stat.S_IMODE(media.stat().st_mode) if media.is_dir() else None
        try:
            if media.exists():
                os.rename(media, previous)
            try:
                os.rename(archive.files, media)
            except OSError:
                if previous.exists():
                    os.rename(previous, media)
                raise
        except OSError as exc:
            raise BackupError(
                _("Could not put the restored files in place (%(error)s). Nothing was changed.")
                % {"error": exc}
            ) from exc
        if mode is not None:
            media.chmod(mode)
    try:
        _restore_database(archive)
    except BaseException:
        if swap_files:
            # The database is unchanged, so the files go back too.
            os.rename(media, archive.files)
            if previous.exists():
                os.rename(previous, media)
        raise

    if swap_files:
        files_note = ""
    elif not local_storage():
        files_note = _(
            "Stored files were not touched: this installation keeps them in object storage "
            "(FAZHI_STORAGE=s3). Copy the archive's files/ folder to the bucket yourself if you need them."
        )
    else:
        files_note = _(
            "Stored files were not touched: the archive holds none (it was made with FAZHI_STORAGE=s3)."
        )

    verified = chain.verify()
    audit_seq, audit_error = None, ""
    try:
        with acting_as(None, "cli"), transaction.atomic():
            record(
                "restore",
                AUDIT_TARGET,
                target_id=archive.sha256,
                target_repr=archive.path.name,
                changes={
                    "archive": archive.path.name,
                    "sha256": archive.sha256,
                    "created_at": archive.created_at,
                    "fazhi_version": archive.manifest.get("fazhi_version", ""),
                    "file_count": archive.file_count,
                    "files_restored": swap_files,
                },
            )
            audit_seq = AuditHead.objects.get(pk=1).seq
    except (chain.ChainHeadMissing, DatabaseError) as exc:
        audit_error = str(exc)
    return RestoreResult(
        files_restored=swap_files,
        files_note=files_note,
        pending_migrations=_pending_migrations(),
        chain=verified,
        audit_seq=audit_seq,
        audit_error=audit_error,
    )
