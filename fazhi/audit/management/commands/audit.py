"""`fazhi audit verify` checks the whole chain; `fazhi audit anchor FILE` pins its head outside the DB;
`fazhi audit bundle` exports some objects' history, `fazhi audit verify-bundle` checks it without the DB."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fazhi.audit import proof

# The wording of proof.MESSAGES as gettext msgids (tests/test_verify_bundle.py keeps them identical).
BUNDLE_MESSAGES: dict[str, Promise] = {
    "unreadable": gettext_lazy("The bundle cannot be read: %(error)s."),
    "not_a_bundle": gettext_lazy("This is not an audit bundle (line 1 has no %(format)s header)."),
    "bad_line": gettext_lazy("Line %(line)s of the bundle is neither an entry nor an entry digest."),
    "no_entries": gettext_lazy("The bundle holds no entries of the objects it was exported for."),
    "missing": gettext_lazy(
        "Entry #%(seq)s is missing from its place in the bundle (entry #%(next)s is there instead)."
    ),
    "out_of_order": gettext_lazy("Entry #%(seq)s is out of order: it comes after entry #%(previous)s."),
    "beyond_head": gettext_lazy("Entry #%(seq)s comes after the bundle's head (#%(head)s)."),
    "altered": gettext_lazy("Entry #%(seq)s was altered: its content does not match its hash."),
    "prev_altered": gettext_lazy(
        "Entry #%(seq)s was altered: its previous hash is not the hash of the entry before it."
    ),
    "unlinked": gettext_lazy(
        "Entry #%(seq)s does not link to the entries before it: one of entries #%(first)s–#%(last)s "
        "was altered."
    ),
    "unlinked_one": gettext_lazy(
        "Entry #%(seq)s does not link to entry #%(previous)s: one of the two was altered."
    ),
    "truncated": gettext_lazy("Entries #%(first)s–#%(last)s are missing from the end of the bundle."),
    "head_mismatch": gettext_lazy(
        "The bundle's head #%(seq)s does not match its entries: the head or one of entries "
        "#%(first)s–#%(last)s was altered."
    ),
    "no_end": gettext_lazy("The bundle has no end line: it was cut short."),
    "end_mismatch": gettext_lazy(
        "The bundle's end line does not match its entries (counts or file hashes were altered)."
    ),
    "anchor_line": gettext_lazy("Line %(line)s of the anchor file is not an anchor."),
    "anchor_mismatch": gettext_lazy(
        "Anchor #%(seq)s (line %(line)s of the anchor file) does not match the bundle."
    ),
    "anchor_none": gettext_lazy(
        "No anchor in the file falls within the bundle (entries #%(first)s–#%(head)s), so it could not be "
        "checked against one."
    ),
    "file_unrecorded": gettext_lazy("File %(path)s (SHA-256 %(sha256)s) is not one the entries record."),
    "anchor_later": gettext_lazy(
        "Anchor #%(seq)s (line %(line)s) is later than the bundle's head #%(head)s and cannot be checked "
        "against it; export a new bundle to check it."
    ),
    "not_anchored": gettext_lazy(
        "%(count)s included entries after #%(seq)s (the latest anchor checked) rest on the bundle's own head "
        "only."
    ),
    "file_absent": gettext_lazy("No file in the folder has SHA-256 %(sha256)s (recorded by entry #%(seq)s)."),
}


def bundle_message(problem: proof.Problem) -> str:
    return str(BUNDLE_MESSAGES[problem.code]) % {"seq": problem.seq, **problem.params}


def _target(value: str) -> tuple[str, str]:
    target_type, sep, target_id = value.partition(":")
    if not sep or not target_type or not target_id:
        raise ValueError(value)
    return target_type, target_id


class Command(BaseCommand):
    # No system checks: they import every app's URLs and views, and verify-bundle must run on any machine
    # with the code, whatever state the rest of the installation is in.
    requires_system_checks: list[str] = []
    help = _(
        "Check the audit chain, write its head to an anchor file kept outside the database, or export and "
        "check the history of some objects as a bundle."
    )

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
        bundle = sub.add_parser(
            "bundle",
            help=_("Export the audit entries of some objects, with the proof that they belong to the chain."),
        )
        bundle.add_argument(
            "--target",
            action="append",
            required=True,
            type=_target,
            metavar="TYPE:ID",
            help=_("An object whose entries go in full, e.g. enforcement.case:12 (repeat for more)."),
        )
        bundle.add_argument(
            "--output", type=Path, required=True, help=_("The bundle file to write (.gz to compress).")
        )
        check = sub.add_parser(
            "verify-bundle", help=_("Check a bundle written by `fazhi audit bundle`, without the database.")
        )
        check.add_argument("file", type=Path)
        check.add_argument(
            "--anchor", type=Path, help=_("Also check the bundle against the heads recorded in this file.")
        )
        check.add_argument(
            "--files", type=Path, help=_("Also check the files in this folder against the recorded SHA-256.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "verify-bundle":
            self._verify_bundle(options["file"], options.get("anchor"), options.get("files"))
            return
        # The database is needed from here on; verify-bundle must work without it.
        from fazhi.audit import bundle, chain

        if action == "bundle":
            try:
                exported = bundle.export(options["target"], options["output"])
            except bundle.BundleError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                _(
                    "Bundle written to %(file)s: %(full)d entries in full and %(skeleton)d digests, "
                    "#%(first)d to head #%(head)d, %(files)d file hashes, %(size)d bytes."
                )
                % {
                    "file": exported.path,
                    "full": exported.full_entries,
                    "skeleton": exported.skeleton_entries,
                    "first": exported.first_seq,
                    "head": exported.head_seq,
                    "files": exported.files,
                    "size": exported.size,
                }
            )
            return
        if action == "anchor":
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

    def _verify_bundle(self, path: Path, anchor: Path | None, files: Path | None) -> None:
        for given in (path, anchor, files):
            if given is not None and not given.exists():
                raise CommandError(_("%(file)s does not exist.") % {"file": given})
        result = proof.verify_bundle(path, anchor, files)
        for note in result.notes:
            self.stdout.write(bundle_message(note))
        if not result.ok:
            # CommandError exits with status 1.
            raise CommandError("\n".join(bundle_message(problem) for problem in result.problems))
        self.stdout.write(
            _(
                "Bundle intact: %(full)d entries of its objects and %(skeleton)d digests of others link up "
                "to head #%(seq)d %(hash)s (exported %(at)s)."
            )
            % {
                "full": result.full_entries,
                "skeleton": result.skeleton_entries,
                "seq": result.head_seq,
                "hash": result.head_hash,
                "at": result.exported_at,
            }
        )
        if anchor is not None:
            self.stdout.write(
                _("Anchors checked: %(seqs)s.") % {"seqs": ", ".join(f"#{s}" for s in result.anchors_checked)}
            )
        if files is not None:
            self.stdout.write(
                _("%(found)d of %(recorded)d recorded files found in the folder, all matching.")
                % {"found": result.files_matched, "recorded": len({ref.sha256 for ref in result.files})}
            )
