"""`fazhi backup FILE`: the database and the stored files in one archive, made while the app runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from fazhi.audit.chain import ChainHeadMissing
from fazhi.ops import backup


class Command(BaseCommand):
    help = _("Write the database and the stored files to one archive (.tar.gz) while the app keeps running.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", type=Path, help=_("The archive to write, for example /backup/fazhi-2025-01-31.tar.gz.")
        )
        parser.add_argument("--force", action="store_true", help=_("Replace FILE if it already exists."))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup.create_backup(options["file"], force=options["force"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Backup written to %(path)s (%(size)s): %(vendor)s database, %(count)d stored files "
                "(%(bytes)s)."
            )
            % {
                "path": result.path,
                "size": filesizeformat(result.size),
                "vendor": result.vendor,
                "count": result.file_count,
                "bytes": filesizeformat(result.file_bytes),
            }
        )
        self.stdout.write(_("SHA-256 of the archive: %(sha)s") % {"sha": result.sha256})
        if result.files_note:
            self.stderr.write(result.files_note)
        if result.skipped:
            self.stderr.write(
                _("Skipped %(count)d entries under MEDIA_ROOT that are not regular files: %(names)s")
                % {"count": len(result.skipped), "names": ", ".join(result.skipped[:10])}
            )
        try:
            seq = backup.record_backup(result)
        except (ChainHeadMissing, DatabaseError) as exc:
            # The archive is complete and usable; only the note in the audit trail is missing.
            self.stderr.write(
                _("The backup is complete but could not be recorded in the audit trail: %(error)s")
                % {"error": exc}
            )
        else:
            self.stdout.write(_("Backup recorded in the audit trail as entry #%(seq)d.") % {"seq": seq})
