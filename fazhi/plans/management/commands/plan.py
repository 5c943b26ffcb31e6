"""`fazhi plan parse FILE [--year YYYY] [--json]`: read a plan document and print what Fazhi finds in it.

The parser is framework-free (fazhi.docparse), so the arguments go to it untouched: exit status 0 on success,
2 with one line of Chinese on stderr for an unreadable or unsupported file.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fazhi.docparse import cli


class Command(BaseCommand):
    help = _(
        "Plans: `fazhi plan parse FILE [--year YYYY] [--json]` reads a plan document and prints its tasks."
    )

    def run_from_argv(self, argv: list[str]) -> None:
        if len(argv) < 3 or argv[2] != "parse":
            raise SystemExit(self._usage())
        sys.exit(cli.main(argv[3:]))

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError(self._usage())

    def _usage(self) -> str:
        return _("Usage: fazhi plan parse FILE [--year YYYY] [--json]")
