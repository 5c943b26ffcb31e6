"""`fazhi import-enforcement --region NAME --register bodies|officers|training|powers|standards FILE
[--user USERNAME]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils.translation import gettext as _

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import importing
from fazhi.orgs.management.commands.import_units import read_import_file
from fazhi.orgs.models import Region, User


class Command(BaseCommand):
    help = _(
        "Import one enforcement register (bodies, officers, training, powers or discretion standards) of a "
        "region from an .xlsx or .csv file. Exits with status 1 if the file has problems (then nothing is "
        "imported)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("The .xlsx or .csv file."))
        parser.add_argument("--region", required=True, help=_("The region's name or code."))
        parser.add_argument("--register", required=True, choices=list(importing.COLUMNS))
        parser.add_argument("--user", help=_("Record the import as done by this account."))

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
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
        data = read_import_file(path)
        with acting_as(user, "cli"):
            result = importing.import_register(options["register"], regions[0], data, path.name)
        if result.errors:
            self.stdout.write("\t".join((_("Row"), _("Column"), _("Problem"))))
            for problem in result.errors:
                row = "—" if problem.row is None else str(problem.row)
                self.stdout.write("\t".join((row, problem.column or "—", problem.message)))
            raise CommandError(
                _("Problems found: %(total)s. Nothing was imported.") % {"total": len(result.errors)},
                returncode=1,
            )
        self.stdout.write(_("Imported %(file)s.") % {"file": path.name})
        self.stdout.write(result.summary())
