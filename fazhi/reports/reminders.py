"""Reminding the office to publish the year's annual report before 1 April.

The 2019 规定 (第二十五条) has the report published by 1 April of the following year. From
settings.FAZHI_REPORT_REMINDER_DAYS before that day (default 30, 14 and 3 days), the coordinators of every
region that had a published plan for the year, and has not published its report, are told once per
threshold; on and after 1 April, once that it is late. Each message is an event claimed once
(fazhi.notifications), so the worker may run this as often as it likes, in several processes. Messages wait
for the region's working days.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from fazhi.audit.recorder import batched
from fazhi.notifications.actions import claim_event, notify
from fazhi.orgs.models import Region, Role, RoleAssignment
from fazhi.plans.models import Plan
from fazhi.supervision.deadlines import calendar_for

from .models import DraftStatus, ReportDraft

KIND = "report_reminder"


def deadline(year: int) -> datetime.date:
    """The day by which the report on `year` must be published."""
    return datetime.date(year + 1, 4, 1)


@dataclass(frozen=True)
class Due:
    region: Region
    year: int
    days_left: int  # negative once the deadline has passed
    keys: tuple[str, ...]  # the events this message settles: the thresholds reached (or the lateness)


def due_on(today: datetime.date) -> list[Due]:
    """The regions to remind on `today` about last year's report, told before or not."""
    year = today.year - 1
    days_left = (deadline(year) - today).days
    if days_left <= 0:
        reached = ["late"]
    else:
        reached = [str(days) for days in settings.FAZHI_REPORT_REMINDER_DAYS if days_left <= days]
    if not reached:
        return []
    published = ReportDraft.objects.filter(year=year, unit=None, status=DraftStatus.PUBLISHED).values(
        "region_id"
    )
    regions = (
        Region.objects.filter(pk__in=Plan.objects.published().filter(year=year).values("region_id"))
        .exclude(pk__in=published)
        .order_by("path")
    )
    return [
        Due(region, year, days_left, tuple(f"annual-report:{region.pk}:{year}:{mark}" for mark in reached))
        for region in regions
    ]


def remind(today: datetime.date | None = None) -> int:
    """Send what is due on `today`; returns the number of messages put in inboxes."""
    today = today or timezone.localdate()
    sent = 0
    for due in due_on(today):
        if not calendar_for(due.region).is_workday(today):
            continue
        with transaction.atomic(), batched(), override(settings.LANGUAGE_CODE):
            # The newest threshold decides whether there is news; the older ones reached are claimed with it,
            # so a worker that was down on the 30-day mark does not send two messages on the 14-day one.
            newest = due.keys[-1]
            fresh = claim_event(newest)
            for key in due.keys[:-1]:
                claim_event(key)
            if not fresh:
                continue
            sent += len(_tell(due))
    return sent


def _tell(due: Due) -> list[object]:
    coordinators = [
        assignment.user
        for assignment in RoleAssignment.objects.filter(
            region=due.region, role=Role.COORDINATOR, user__is_active=True
        ).select_related("user")
    ]
    names = {"region": due.region.name, "year": due.year}
    day = deadline(due.year)
    names["deadline"] = f"{day.year}年{day.month}月{day.day}日"
    if due.days_left > 0:
        title = _("%(region)s: publish the %(year)s annual report by %(deadline)s") % names
        body = _(
            "The %(year)s report on building a government under the rule of law must be published by "
            "%(deadline)s, %(days)s days from today. Generate the draft from the records, check it, and "
            "publish it on the portal."
        ) % {**names, "days": due.days_left}
    else:
        title = _("%(region)s: the %(year)s annual report is late") % names
        body = (
            _(
                "The %(year)s report on building a government under the rule of law was due by "
                "%(deadline)s and has not been published. Publish it on the portal as soon as it is checked."
            )
            % names
        )
    url = reverse("reports:draft", args=[due.region.pk, due.year])
    return list(notify(coordinators, KIND, title, body, url, due.keys[-1]))
