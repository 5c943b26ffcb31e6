"""`fazhi gen-data --scale province`: a synthetic province for demos and benchmarks (bench/gen_data.py)."""

from __future__ import annotations

import json
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from bench.gen_data import (
    DEFAULT_CODE,
    DEFAULT_PROVINCE,
    DEMO_PASSWORD,
    SCALES,
    STAGES,
    GenerationRefused,
    generate,
)


class Command(BaseCommand):
    help = _(
        "Generate a synthetic province (regions, units, groups, aliases, accounts and roles, each county's "
        "plan and a year of progress reports with their review threads) with bulk inserts, for "
        "demonstrations and benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", choices=sorted(SCALES), default="province",
            help=_("province: 12 cities, 100 counties, 10,000 units, 50,000 accounts; county: one county; "
                   "tiny: a handful of everything, for tests."),
        )  # fmt: skip
        parser.add_argument("--seed", type=int, default=1, help=_("The same seed generates the same data."))
        parser.add_argument("--province", default=DEFAULT_PROVINCE, help=_("Name of the generated province."))
        parser.add_argument(
            "--code", default=DEFAULT_CODE,
            help=_("Two-digit division code prefix of the generated regions; accounts are named g<code>-…."),
        )  # fmt: skip
        parser.add_argument(
            "--password", default=DEMO_PASSWORD, help=_("The password every generated account shares.")
        )
        parser.add_argument(
            "--replace", action="store_true",
            help=_("Delete the data an earlier run generated for this province before generating again."),
        )  # fmt: skip
        parser.add_argument(
            "--stages", default="",
            help=_("Comma-separated stages to run, the first ones of: %(stages)s (default: all).")
            % {"stages": ", ".join(stage.name for stage in STAGES)},
        )  # fmt: skip
        parser.add_argument("--json", action="store_true", help=_("Print the summary as JSON."))

    def handle(self, *args: Any, **options: Any) -> None:
        if not re.fullmatch(r"[1-9][0-9]", options["code"]):
            raise CommandError(_("--code must be two digits, such as 99."))

        def progress(stage: str, rows: int, seconds: float) -> None:
            self.stderr.write(
                _("%(stage)s: %(rows)s rows in %(seconds).2f s")
                % {"stage": stage, "rows": f"{rows:,}", "seconds": seconds}
            )

        try:
            result = generate(
                SCALES[options["scale"]], seed=options["seed"], province_name=options["province"],
                code=options["code"], password=options["password"], replace=options["replace"],
                progress=progress, stages=[name for name in options["stages"].split(",") if name] or None,
            )  # fmt: skip
        except GenerationRefused as exc:
            raise CommandError(str(exc)) from None
        except ValueError as exc:
            raise CommandError(str(exc)) from None

        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        summary = _(
            "Generated %(province)s (scale %(scale)s, seed %(seed)s) in %(seconds).1f s; "
            "peak memory %(rss).0f MB."
        )
        values = {"province": result.province, "scale": result.scale, "seed": result.seed}
        self.stdout.write(summary % {**values, "seconds": result.seconds, "rss": result.peak_rss_mb})
        if sum(result.deleted.values()):
            self.stdout.write(
                _("Deleted first: %(rows)s rows.") % {"rows": f"{sum(result.deleted.values()):,}"}
            )
        for label, count in result.rows.items():
            self.stdout.write(f"  {label:<26} {count:>8,}")
        self.stdout.write(
            _("Every generated account has the password: %(password)s") % {"password": result.password}
        )
        for role, username in result.samples.items():
            self.stdout.write(f"  {role:<12} {username}")
