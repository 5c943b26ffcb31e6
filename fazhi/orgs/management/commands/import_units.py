"""`fazhi import-units FILE --user USERNAME [--check]`: the directory import of the web page, from a shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from fazhi.audit.recorder import acting_as
from fazhi.docparse import safety
from fazhi.docparse.errors import DocumentError
from fazhi.orgs import importing
from fazhi.orgs.models import User


class Command(BaseCommand):
    help = _(
        "Import units, unit groups and aliases from an .xlsx or .csv file as a given user; with --check, "
        "only check the file. Exits with status 1 if the file has problems (then nothing is imported)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("The .xlsx or .csv file."))
        parser.add_argument(
            "--user", required=True, help=_("Import as this account: its regions decide what it may import.")
        )
        parser.add_argument("--check", action="store_true", help=_("Check the file only; write nothing."))

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(
                _("No active account with the username “%(username)s”.") % {"username": options["user"]}
            )
        data = read_import_file(path)
        with acting_as(user, "cli"):
            result = importing.import_directory(data, path.name, user, check_only=options["check"])
        if result.errors:
            self.stdout.write("\t".join((_("Sheet"), _("Row"), _("Column"), _("Problem"))))
            for problem in result.errors:
                row = "—" if problem.row is None else str(problem.row)
                self.stdout.write(
                    "\t".join((problem.sheet or "—", row, problem.column or "—", problem.message))
                )
            raise CommandError(
                _("Problems found: %(total)s. Nothing was imported.") % {"total": len(result.errors)},
                returncode=1,
            )
        if result.applied:
            self.stdout.write(_("Imported %(file)s.") % {"file": path.name})
        else:
            self.stdout.write(_("Check only: the file has no problems and nothing was written."))
        for line in [*result.summary_lines(), *result.ignored_lines()]:
            self.stdout.write(line)


def read_import_file(path: Path) -> bytes:
    """The bytes of a file a command imports, refused (as a CommandError in Chinese) when it cannot be read or
    is larger than an upload may be: the commands take the same files as the import pages."""
    try:
        safety.check_length(path.stat().st_size, settings.FAZHI_UPLOAD_MAX_BYTES)
        return path.read_bytes()
    except OSError as error:
        raise CommandError(
            _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error.strerror or error}
        ) from error
    except DocumentError as error:
        raise CommandError(error.message, returncode=1) from error
