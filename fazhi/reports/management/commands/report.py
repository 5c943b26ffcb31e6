"""`fazhi report generate --region NAME --year YYYY [--unit NAME] --output FILE.docx|FILE.pdf`: the annual
report of a region (or of one unit) as a GB/T 9704 .docx with its 数据来源 appendix (or that .docx as PDF,
through LibreOffice); the computed indicator values are stored with their source records.

`fazhi report analyze …` reads an existing report document; its arguments go untouched to
`fazhi.docparse.cli.analyze_main`, like `fazhi plan parse`.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from fazhi.audit.recorder import acting_as
from fazhi.docparse import cli
from fazhi.orgs.models import Region, Unit
from fazhi.reports import actions, docx, indicators, pdf
from fazhi.reports.generate import DEFAULT_ORDER, SECTION_TITLES, generate


def find_region(name: str) -> Region:
    regions = list(Region.objects.filter(name=name).order_by("path")) or list(
        Region.objects.filter(code=name)
    )
    if not regions:
        raise CommandError(_("No region is called “%(name)s”.") % {"name": name})
    if len(regions) > 1:
        names = "、".join(f"{region.full_name}（{region.code or region.pk}）" for region in regions)
        raise CommandError(
            _("Several regions are called “%(name)s”: %(names)s. Give the division code instead.")
            % {"name": name, "names": names}
        )
    return regions[0]


def find_unit(region: Region, name: str) -> Unit:
    units = list(Unit.objects.in_subtree(region).filter(name=name).order_by("pk"))
    if len(units) != 1:
        raise CommandError(
            _("“%(name)s” names %(count)s units in %(region)s; give the full name of exactly one.")
            % {"name": name, "count": len(units), "region": region.name}
        )
    return units[0]


class Command(BaseCommand):
    help = _(
        "Annual reports: `fazhi report generate --region NAME --year YYYY [--unit NAME] --output FILE.docx` "
        "writes the year's 法治政府建设情况报告; `fazhi report analyze …` reads one."
    )

    def run_from_argv(self, argv: list[str]) -> None:
        if len(argv) > 2 and argv[2] == "analyze":
            # The reader is framework-free (fazhi.docparse): its arguments and exit codes pass through.
            sys.exit(cli.analyze_main(argv[3:]))
        super().run_from_argv(argv)

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        generate_ = verbs.add_parser("generate", help=_("Write the annual report of a region or unit."))
        generate_.add_argument("--region", required=True, help=_("Region name (or division code)."))
        generate_.add_argument("--year", required=True, type=int)
        generate_.add_argument("--unit", help=_("Write the report of this unit of the region instead."))
        generate_.add_argument(
            "--output",
            required=True,
            type=Path,
            help=_("The file to write: .docx, or .pdf (through LibreOffice, where it is installed)."),
        )
        generate_.add_argument(
            "--sections",
            default=",".join(DEFAULT_ORDER),
            help=_("Section order, comma-separated, from: %(keys)s.") % {"keys": ", ".join(SECTION_TITLES)},
        )
        generate_.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            help=_("Count reports still owed on this date (default: 31 December of the year)."),
        )
        verbs.add_parser("analyze", help=_("Read an annual report document (see `fazhi report analyze -h`)."))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] != "generate":
            raise CommandError(_("Usage: fazhi report analyze FILE …"))
        region = find_region(options["region"])
        unit = find_unit(region, options["unit"]) if options.get("unit") else None
        output: Path = options["output"]
        if output.suffix.lower() not in (".docx", ".pdf"):
            raise CommandError(_("%(file)s: the output must end in .docx or .pdf.") % {"file": output})
        if output.suffix.lower() == ".pdf" and not pdf.available():
            raise CommandError(
                _("PDF needs LibreOffice (soffice), which is not installed here: write a .docx instead, or "
                  "install LibreOffice Writer (or set FAZHI_LIBREOFFICE to its soffice).")
            )  # fmt: skip
        order = [key.strip() for key in options["sections"].split(",") if key.strip()]
        scope = indicators.Scope(region, options["year"], unit, options.get("as_of"))
        try:
            report = generate(scope, order)
        except ValueError as error:
            raise CommandError(str(error)) from error
        try:
            data = docx.render(report)
            if output.suffix.lower() == ".pdf":
                data = pdf.from_docx(data)
        except pdf.PdfError as error:
            raise CommandError(str(error)) from error
        try:
            output.write_bytes(data)
        except OSError as error:
            # Nothing is stored either: the indicator values are saved only once the file is written.
            raise CommandError(
                _("Cannot write %(file)s: %(error)s. Choose a folder that exists and that you may write to.")
                % {"file": output, "error": error.strerror or error}
            ) from error
        with acting_as(None, "fazhi report generate"):
            actions.save_values(scope, report.values)
        self.stdout.write(_("Wrote %(path)s.") % {"path": output})
