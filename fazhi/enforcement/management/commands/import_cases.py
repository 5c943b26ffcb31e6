"""`fazhi import-cases --region NAME FILE [--user USERNAME]`: cases with their steps, streamed."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils.translation import gettext as _

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import case_import
from fazhi.orgs.models import Region, User


class Command(BaseCommand):
    help = _(
        "Import enforcement cases with their steps from a .csv, .xlsx or .ndjson export, checking every step "
        "as the case page does. Exits with status 1 if the file has problems (then nothing is imported)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("The .csv, .xlsx or .ndjson file."))
        parser.add_argument("--region", required=True, help=_("The region's name or code."))
        parser.add_argument("--user", help=_("Record the import as done by this account."))

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No file at %(path)s.") % {"path": path})
        regions = list(Region.objects.filter(Q(name=options["region"]) | Q(code=options["region"]))[:2])
        if len(regions) != 1:
            message = (
                _("No region named “%(region)s”: check the name, or give its code.")
                if not regions
                else _("Several regions are named “%(region)s”: give the region's code instead.")
            )
            raise CommandError(message % {"region": options["region"]})
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(
                    _("No active account with the username “%(username)s”.") % {"username": options["user"]}
                )
        started = time.perf_counter()

        def progress(rows: int, cases: int, _share: float | None) -> None:
            seconds = time.perf_counter() - started
            self.stderr.write(
                _("%(rows)d rows read, %(cases)d cases checked (%(seconds).0f s)")
                % {"rows": rows, "cases": cases, "seconds": seconds}
            )

        with acting_as(user, "cli"):
            result = case_import.import_cases(regions[0], path, progress=progress)
        if not result.ok:
            self.stdout.write("\t".join((_("Case"), _("Row"), _("Column"), _("Problem"))))
            for problem in result.errors:
                row = "—" if problem.row is None else str(problem.row)
                self.stdout.write("\t".join((problem.sheet, row, problem.column or "—", problem.message)))
            raise CommandError(
                _("Problems found: %(total)s. Nothing was imported.") % {"total": result.error_count},
                returncode=1,
            )
        self.stdout.write(_("Imported %(file)s.") % {"file": path.name})
        self.stdout.write(result.summary())
