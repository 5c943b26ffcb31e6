"""`fazhi restore FILE`: bring back the database and the stored files from a `fazhi backup` archive."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.ops import backup


class Command(BaseCommand):
    help = _(
        "Replace the database and the stored files with the content of a backup archive. Stop the app first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("An archive written by `fazhi backup`."))
        parser.add_argument(
            "--yes",
            action="store_true",
            help=_("Do not ask for confirmation: the current data will be replaced."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with backup.open_archive(options["file"]) as archive:
                self._describe(archive)
                self._confirm(options["yes"])
                result = backup.restore(archive)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Database restored (%(vendor)s).") % {"vendor": archive.vendor})
        if result.files_restored:
            self.stdout.write(
                _("Stored files restored: %(count)d files in %(path)s.")
                % {"count": archive.file_count, "path": settings.MEDIA_ROOT}
            )
        else:
            self.stderr.write(result.files_note)
        if result.pending_migrations:
            self.stderr.write(
                _(
                    "The archive is from an older version: run `fazhi migrate` to apply %(count)d "
                    "migrations (%(names)s)."
                )
                % {"count": len(result.pending_migrations), "names": ", ".join(result.pending_migrations[:5])}
            )
        verified = result.chain
        broken = ""
        if verified.ok:
            self.stdout.write(
                _("Audit chain intact: %(count)d entries, head #%(seq)d %(hash)s.")
                % {"count": verified.checked, "seq": verified.head_seq, "hash": verified.head_hash}
            )
        else:
            broken = _(
                "Audit chain broken at entry #%(seq)s: %(reason)s. %(count)d entries before it check out."
            ) % {
                "seq": verified.broken_seq,
                "reason": verified.reason,
                "count": verified.checked,
            }
        if result.audit_seq is not None:
            self.stdout.write(
                _("Restore recorded in the audit trail as entry #%(seq)d.") % {"seq": result.audit_seq}
            )
        else:
            self.stderr.write(
                _("The restore could not be recorded in the audit trail: %(error)s")
                % {"error": result.audit_error}
            )
        if broken:
            # Non-zero exit, so whoever restores notices, although the data itself was restored.
            raise CommandError(
                broken + "\n" + _("The data was restored; investigate with `fazhi audit verify`.")
            )

    def _describe(self, archive: backup.Archive) -> None:
        try:
            made = timezone.localtime(datetime.datetime.fromisoformat(archive.created_at)).strftime(
                "%Y-%m-%d %H:%M"
            )
        except ValueError:
            made = archive.created_at
        self.stdout.write(
            _(
                "Archive %(name)s, made %(made)s by Fazhi %(version)s: %(vendor)s database, %(count)d stored "
                "files (%(bytes)s). All %(members)d members match their SHA-256."
            )
            % {
                "name": archive.path.name,
                "made": made,
                "version": archive.manifest.get("fazhi_version", "?"),
                "vendor": archive.vendor,
                "count": archive.file_count,
                "bytes": filesizeformat(archive.file_bytes),
                "members": archive.member_count,
            }
        )

    def _confirm(self, yes: bool) -> None:
        if yes:
            return
        refusal = _(
            "Restoring replaces the current database and stored files. Run again with --yes to confirm."
        )
        if not sys.stdin.isatty():
            raise CommandError(refusal)
        answer = input(_("This replaces the current database and stored files. Type yes to continue: "))
        if answer.strip().lower() not in {"yes", "y", "是"}:
            raise CommandError(_("Restore cancelled; nothing was changed."))
