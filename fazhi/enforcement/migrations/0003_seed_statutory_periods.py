"""The statutory periods of 行政处罚法 (2021, in force from 15 July 2021) that apply everywhere.

第八十五条: "二日""三日""五日""七日" are working days, not counting statutory holidays; the 15- and 90-day periods
are calendar days. The rows are written here, not imported from the app, so this migration keeps working
whatever the code becomes; rows that already exist are left as they are.
"""

import datetime
from typing import Any

from django.db import migrations

IN_FORCE = datetime.date(2021, 7, 15)

PERIODS = [
    # code, case kind, days, working days, starts with, ends with, legal basis
    ("decision", "penalty_ordinary", 90, False, "register", "decide", "《行政处罚法》第六十条"),
    (
        "hearing_request",
        "penalty_ordinary",
        5,
        True,
        "notify",
        "request_hearing",
        "《行政处罚法》第六十四条、第八十五条",
    ),
    ("service", "penalty_ordinary", 7, True, "decide", "serve", "《行政处罚法》第六十一条、第八十五条"),
    ("payment", "penalty_ordinary", 15, False, "serve", "execute", "《行政处罚法》第六十七条"),
    ("payment", "penalty_simple", 15, False, "serve", "execute", "《行政处罚法》第六十七条"),
]


def seed(apps: Any, schema_editor: Any) -> None:
    StatutoryPeriod = apps.get_model("enforcement", "StatutoryPeriod")
    for code, kind, days, working, starts, ends, basis in PERIODS:
        StatutoryPeriod.objects.get_or_create(
            code=code,
            case_kind=kind,
            region=None,
            effective_from=IN_FORCE,
            defaults={
                "days": days,
                "working_days": working,
                "starts_with": starts,
                "ends_with": ends,
                "legal_basis": basis,
            },
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    StatutoryPeriod = apps.get_model("enforcement", "StatutoryPeriod")
    for code, kind, *_rest in PERIODS:
        StatutoryPeriod.objects.filter(
            code=code, case_kind=kind, region=None, effective_from=IN_FORCE
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0002_cases_steps_reviews_standards_and_periods")]

    operations = [migrations.RunPython(seed, unseed)]
