"""`fazhi audit verify` checks the whole chain; `fazhi audit anchor FILE` pins its head outside the DB."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from fazhi.audit import chain


class Command(BaseCommand):
    help = _("Check the audit chain, or write its head to an anchor file kept outside the database.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help=_("Check every entry of the audit chain."))
        verify.add_argument(
            "--anchor",
            type=Path,
            help=_("Also check the chain still matches every head recorded in this file."),
        )
        anchor = sub.add_parser("anchor", help=_("Append the current chain head to FILE."))
        anchor.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "anchor":
            line = chain.write_anchor(options["file"])
            self.stdout.write(
                _("Anchor written to %(file)s: %(line)s") % {"file": options["file"], "line": line}
            )
            return
        result = chain.verify()
        problems = []
        if options.get("anchor"):
            if not options["anchor"].exists():
                raise CommandError(_("Anchor file %(file)s does not exist.") % {"file": options["anchor"]})
            problems = chain.check_anchors(options["anchor"])
        if not result.ok:
            raise CommandError(
                _("Audit chain broken at entry #%(seq)s: %(reason)s. %(count)d entries before it check out.")
                % {"seq": result.broken_seq, "reason": result.reason, "count": result.checked}
            )
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(
            _("Audit chain intact: %(count)d entries, head #%(seq)d %(hash)s.")
            % {"count": result.checked, "seq": result.head_seq, "hash": result.head_hash}
        )
