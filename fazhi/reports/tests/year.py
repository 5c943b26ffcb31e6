"""A year of region A's sample plan (2025) in a state worked out by hand, for the reports tests.

The sample plan gives three tasks: 一(一) quarterly (司法局, 保合少镇), 一(二) by 30 Nov (司法局) and 二(一)
at year end (司法局, 保合少镇) with two targets (培训不少于60学时, 持证率达100%). The reports stand as:

    every report        accepted, completed, first submitted two days before its due date
    保合少镇 一(一)      Q1, Q3, Q4 accepted but still "in progress"; Q3 was returned once; Q2 never reported
    司法局 二(一)        reports 培训 72 学时 and 持证率 95%

so: tasks 3, completed 2 (一(一) is not: 保合少镇 never reported it completed), completion 66.7%; one report
returned; one late (Q2 of 保合少镇, still owed on 31 Dec, so also a red card); the 学时 target met, the
持证率 target not.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from fazhi.audit.recorder import acting_as
from fazhi.plans.models import Plan, Target
from fazhi.supervision import actions
from fazhi.supervision.models import Progress, Report, ReportStatus
from fazhi.testing import Personas, make_plan

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _submitted(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day - datetime.timedelta(days=2), datetime.time(10), tzinfo=SHANGHAI)


def known_year(personas: Personas) -> Plan:
    plan = make_plan(personas.region_a, publish=True)
    training = Target.objects.get(task__plan=plan, measure="学时")
    licensed = Target.objects.get(task__plan=plan, measure="%")
    justice_year_end = Report.objects.get(plan=plan, unit=personas.justice_a, task__path=["二", "(一)"])
    with acting_as(personas.liaison, "test"), transaction.atomic():
        actions.save_report(
            justice_year_end, personas.liaison, "全年培训执法人员，人均72学时。", Progress.DONE,
            {training.pk: "72", licensed.pk: "95"},
        )  # fmt: skip
    for report in Report.objects.filter(plan=plan):
        sent = _submitted(report.due_date)
        Report.objects.filter(pk=report.pk).update(
            status=ReportStatus.ACCEPTED, progress=Progress.DONE, first_submitted_at=sent, submitted_at=sent,
            accepted_at=sent, quality=4, text=report.text or "已按计划推进。",
        )  # fmt: skip
    town_first = Report.objects.filter(plan=plan, unit=personas.town_unit_a, task__path=["一", "(一)"])
    town_first.update(progress=Progress.IN_PROGRESS)
    town_first.filter(round__name__contains="第三季度").update(times_returned=1)
    town_first.filter(round__name__contains="第二季度").update(
        status=ReportStatus.PENDING, progress=Progress.NOT_STARTED, text="", quality=None,
        first_submitted_at=None, submitted_at=None, accepted_at=None,
    )  # fmt: skip
    return plan
