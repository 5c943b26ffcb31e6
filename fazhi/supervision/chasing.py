"""Chasing (督办): reminders before a report is due, yellow and red cards after, supervision notices
(督办单) and monthly circulars (通报); and telling people about each step of a report's review.

- `scan(today)` is run by `fazhi worker`. With the indexed dates it finds the open reports of published plans
  that are due soon (reminder date ≤ today ≤ due date), just overdue (yellow card, until the red-card date) or
  past the red-card date (red card). Each such event has a key ("reminder:report:12:2025-10-09": kind, report,
  due date) that is claimed once, in the transaction that tells people, so running the scan twice, or in two
  workers at once, tells nobody anything twice; a new due date is a new event.
- Events are told in one message per person and kind: a liaison officer gets one reminder listing the five
  reports of the unit due this week, not five messages. A message's key is the smallest key of the events it
  tells, which no other message can share.
- Messages go out on working days only (the region's calendar): an office does not chase on a holiday, and
  what falls due over one is told on the first working day after it.
- Who is told: reminders → the unit's liaison officers; yellow card → its liaison officers and head; red
  card → its head and the office coordinators of the plan's region. (A unit without liaison officers has its
  head told instead, and one without a head its liaison officers, so that someone always hears.) Messages say
  which report is late, never what a draft says: drafts do not leave the unit.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from fazhi.audit.recorder import batched
from fazhi.lib.workdays import Calendar
from fazhi.notifications.actions import already_told, claim_event, notify
from fazhi.orgs.access import can_manage_region, get_or_404, path_q, scope_for
from fazhi.orgs.models import Region, RegionLevel, Role, RoleAssignment, Unit
from fazhi.plans.models import Assignment, PlanStatus, UnitRole

from . import actions as report_actions
from .deadlines import calendar_for
from .models import Report, ReportEvent, SupervisionNotice, SupervisionRules
from .workflow import Step

logger = logging.getLogger(__name__)

REMINDER, YELLOW, RED = "reminder", "yellow", "red"
# The kind of the inbox message each event makes (the inbox colours cards by it).
MESSAGE_KIND = {REMINDER: "reminder", YELLOW: "yellow_card", RED: "red_card"}
NOTICE_KIND = "notice"
DEFAULT_REPLY_DAYS = 5


def _day(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _task(report: Report) -> str:
    return Truncator(str(report.task)).chars(60)


# --- who is told -----------------------------------------------------------------------------------------


@dataclass
class People:
    """The active liaison officers and heads of some units, and the coordinators of some regions."""

    liaisons: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    heads: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    coordinators: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, unit_ids: Iterable[int], region_ids: Iterable[int] = ()) -> People:
        people = cls()
        roles = (
            RoleAssignment.objects.filter(user__is_active=True)
            .filter(
                Q(unit_id__in=list(unit_ids), role__in=(Role.LIAISON, Role.UNIT_HEAD))
                | Q(region_id__in=list(region_ids), role=Role.COORDINATOR)
            )
            .select_related("user")
            .order_by("pk")
        )
        for assignment in roles:
            if assignment.role == Role.COORDINATOR and assignment.region_id:
                people.coordinators[assignment.region_id].append(assignment.user)
            elif assignment.role == Role.LIAISON and assignment.unit_id:
                people.liaisons[assignment.unit_id].append(assignment.user)
            elif assignment.unit_id:
                people.heads[assignment.unit_id].append(assignment.user)
        return people

    def liaisons_of(self, unit_id: int) -> list[Any]:
        return self.liaisons[unit_id] or self.heads[unit_id]

    def heads_of(self, unit_id: int) -> list[Any]:
        return self.heads[unit_id] or self.liaisons[unit_id]

    def everyone_of(self, unit_id: int) -> list[Any]:
        return self.liaisons[unit_id] + self.heads[unit_id]


def _url(name: str, *args: Any) -> str:
    return reverse(f"supervision:{name}", args=args)


# --- the daily scan -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    kind: str
    report: Report

    @property
    def key(self) -> str:
        return f"{self.kind}:report:{self.report.pk}:{self.report.due_date.isoformat()}"


@dataclass
class ScanResult:
    told: dict[str, int] = field(default_factory=lambda: {REMINDER: 0, YELLOW: 0, RED: 0})
    messages: int = 0
    # Events found on a day off in their region: told on the next working day.
    waiting: int = 0


def events_on(today: datetime.date) -> list[Event]:
    """Every reminder and card due to be told on `today`, told before or not."""
    live = Report.objects.filter(plan__status=PlanStatus.PUBLISHED, unit__is_active=True).select_related(
        "plan__region", "unit", "task", "round"
    )
    events = [Event(REMINDER, report) for report in live.due_soon(today)]
    events += [Event(YELLOW, report) for report in live.overdue(today).filter(red_date__gte=today)]
    events += [Event(RED, report) for report in live.red(today)]
    return events


def scan(today: datetime.date | None = None) -> ScanResult:
    """Tell people about reminders, yellow cards and red cards due on `today`; idempotent and safe to run in
    several workers at once."""
    today = today or timezone.localdate()
    events = events_on(today)
    told = already_told(event.key for event in events)
    by_region: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        if event.key not in told:
            by_region[event.report.plan.region_id].append(event)
    result = ScanResult()
    for region_events in by_region.values():
        workdays = calendar_for(region_events[0].report.plan.region)
        if not workdays.is_workday(today):
            result.waiting += len(region_events)
            continue
        _tell(region_events, today, result, workdays)
    return result


def _tell(events: list[Event], today: datetime.date, result: ScanResult, workdays: Calendar) -> None:
    """Tell one region's events (`workdays` is its calendar)."""
    # One transaction per region: the claims and the messages commit together, or not at all. Claims are taken
    # in key order so two workers claiming overlapping sets on PostgreSQL wait for each other, never deadlock.
    with transaction.atomic(), batched(), override(settings.LANGUAGE_CODE):
        won = [event for event in sorted(events, key=lambda e: e.key) if claim_event(event.key)]
        if not won:
            return
        people = People.of({e.report.unit_id for e in won}, {e.report.plan.region_id for e in won})
        users: dict[int, Any] = {}
        # (person, kind, told as a member of the unit or as the office) → events
        groups: dict[tuple[int, str, bool], list[Event]] = defaultdict(list)
        for event in won:
            result.told[event.kind] += 1
            unit_id = event.report.unit_id
            office: list[Any] = []
            if event.kind == REMINDER:
                members = people.liaisons_of(unit_id)
            elif event.kind == YELLOW:
                members = people.everyone_of(unit_id)
            else:
                members, office = people.heads_of(unit_id), people.coordinators[event.report.plan.region_id]
            # Someone both in the unit and in the office is told once, as a member of the unit.
            told_as = {user.pk: False for user in office} | {user.pk: True for user in members}
            for user in office + members:
                users[user.pk] = user
            for user_pk, as_member in told_as.items():
                groups[(user_pk, event.kind, as_member)].append(event)
        for (user_pk, kind, as_member), group in groups.items():
            title, body, url = _compose(kind, group, as_member, today, workdays)
            key = min(event.key for event in group)
            result.messages += len(notify([users[user_pk]], MESSAGE_KIND[kind], title, body, url, key))


def _compose(
    kind: str, events: list[Event], as_member: bool, today: datetime.date, workdays: Calendar
) -> tuple[str, str, str]:
    count = len(events)
    if kind == REMINDER:
        title = ngettext(
            "Reminder: %(count)d report is due soon", "Reminder: %(count)d reports are due soon", count
        ) % {"count": count}
        intro = _("Please submit these progress reports by their due dates:")
    elif kind == YELLOW:
        title = ngettext(
            "Yellow card: %(count)d report is overdue", "Yellow card: %(count)d reports are overdue", count
        ) % {"count": count}
        intro = _("These progress reports are past their due dates. Please submit them at once:")
    else:
        title = ngettext(
            "Red card: %(count)d report is seriously overdue",
            "Red card: %(count)d reports are seriously overdue",
            count,
        ) % {"count": count}
        intro = _("These progress reports are past their red-card dates:")
    several_units = len({event.report.unit_id for event in events}) > 1
    lines = [intro]
    for event in sorted(
        events, key=lambda e: (e.report.due_date, e.report.unit.name, e.report.task.position)
    ):
        report = event.report
        values = {"task": _task(report), "round": report.round.name, "due": _day(report.due_date)}
        if kind == REMINDER:
            line = _("%(task)s (%(round)s), due %(due)s") % values
        elif kind == YELLOW:
            line = _("%(task)s (%(round)s), was due %(due)s; red card after %(red)s") % {
                **values, "red": _day(report.red_date)
            }  # fmt: skip
        else:
            late = workdays.workdays_between(report.due_date, today)
            line = _("%(task)s (%(round)s), was due %(due)s, %(days)d working days late") % {
                **values, "days": late
            }  # fmt: skip
        if several_units or not as_member:
            line = f"{report.unit.name}：{line}"
        lines.append(f"· {line}")
    if as_member:
        url = _url("report_detail", events[0].report.pk) if count == 1 else _url("my_tasks")
    else:
        url = _url("overdue")
    return title, "\n".join(lines), url


# --- each step of a report ---------------------------------------------------------------------------------


def connect() -> None:
    """Listen to the workflow's steps (called once, when the apps are ready)."""
    if on_step not in report_actions.after_step:
        report_actions.after_step.append(on_step)


def on_step(report: Report, step: str, user: Any, comment: str) -> None:
    # Runs after the step has committed: a failure to notify must not turn the person's successful step into
    # an error page, so it is logged instead.
    try:
        _announce_step(report, step, user, comment)
    except Exception:
        logger.exception("Could not notify about step %s of report %s", step, report.pk)


def _reviewers(report: Report) -> list[Any]:
    """The office coordinators of the plan's region, and the heads of the task's lead units (unless the report
    is a lead unit's own) — the people who may review it (fazhi.supervision.access.can_review)."""
    leads = set(
        Assignment.objects.filter(task_id=report.task_id, role=UnitRole.LEAD).values_list(
            "unit_id", flat=True
        )
    )
    lead_heads = leads if report.unit_id not in leads else set()
    people = People.of(lead_heads, [report.plan.region_id])
    found = list(people.coordinators[report.plan.region_id])
    for unit_id in sorted(lead_heads):
        found += people.heads[unit_id]
    return found


def _announce_step(report: Report, step: str, user: Any, comment: str) -> None:
    status = report.status
    report = Report.objects.select_related("plan__region", "unit", "task", "round").get(pk=report.pk)
    people = People.of([report.unit_id])
    values = {"task": _task(report), "unit": report.unit.name}
    with override(settings.LANGUAGE_CODE):
        if step in (Step.SUBMIT, Step.APPROVE):
            kind, recipients = "submitted", _reviewers(report)
            title = _("%(unit)s submitted a report: %(task)s") % values
        elif step == Step.SUBMIT_FOR_APPROVAL:
            kind, recipients = "approval", people.heads[report.unit_id]
            title = _("A report awaits your approval: %(task)s") % values
        elif step == Step.SEND_BACK:
            kind, recipients = "sent_back", people.liaisons_of(report.unit_id)
            title = _("Your unit head sent a report back: %(task)s") % values
        elif step == Step.RETURN:
            kind, recipients = "returned", people.liaisons_of(report.unit_id)
            title = _("Report returned for revision: %(task)s") % values
        elif step == Step.ACCEPT:
            kind, recipients = "accepted", people.liaisons_of(report.unit_id)
            title = _("Report accepted: %(task)s") % values
        else:
            return
        lines = [
            _("Round: %(round)s, due %(due)s") % {"round": report.round.name, "due": _day(report.due_date)}
        ]
        if comment:
            lines.append(_("Comment: %(comment)s") % {"comment": comment})
    actor_pk = getattr(user, "pk", None)
    recipients = [person for person in recipients if person.pk != actor_pk]
    # The step's own event: the newest one that led to the status this step set (`status` was captured when
    # the step committed; a later step by someone else may already have added events after it).
    event = (
        ReportEvent.objects.filter(report_id=report.pk, to_status=status).order_by("-pk").first()
        or ReportEvent.objects.filter(report_id=report.pk).order_by("-pk").first()
    )
    key = f"{kind}:report:{report.pk}:{event.pk if event else report.updated_at.isoformat()}"
    notify(recipients, kind, title, "\n".join(lines), _url("report_detail", report.pk), key)


# --- supervision notices (督办单) ---------------------------------------------------------------------------


def readable_notices(user: Any) -> QuerySet[SupervisionNotice]:
    """Notices the user may see: the office's of its regions, and a unit's own."""
    scope = scope_for(user)
    if scope.is_admin:
        return SupervisionNotice.objects.all()
    return SupervisionNotice.objects.filter(
        path_q(scope.managed_paths, "region__path") | Q(unit_id__in=scope.unit_ids)
    )


def get_notice_for_user(user: Any, pk: Any) -> SupervisionNotice:
    notice: SupervisionNotice = get_or_404(readable_notices(user).select_related("region", "unit"), pk)
    return notice


def home_region(unit: Unit) -> Region:
    """The region whose plans a unit carries out: its own, or the county above a town-level unit."""
    region = unit.region
    if region.level == RegionLevel.TOWN and region.parent is not None:
        return region.parent
    return region


def overdue_reports(region: Region, unit: Unit, today: datetime.date) -> QuerySet[Report]:
    """The unit's reports in the region's published plans that are owed and past their due dates."""
    return (
        Report.objects.overdue(today)
        .filter(unit=unit, plan__region=region, plan__status=PlanStatus.PUBLISHED)
        .select_related("task", "round", "plan")
        .order_by("due_date", "plan_id", "task__position", "pk")
    )


@transaction.atomic
def issue_notice(
    region: Region,
    unit: Unit,
    user: Any,
    reply_days: int = DEFAULT_REPLY_DAYS,
    today: datetime.date | None = None,
) -> SupervisionNotice:
    """Issue a 督办单 to `unit` about its overdue reports in `region`'s plans, numbered per region and year.

    Only the region's office (coordinators, administrators) may; refused when the unit owes nothing late.
    The unit's liaison officers and head are told.
    """
    if not can_manage_region(user, region):
        raise PermissionDenied
    if not 1 <= reply_days <= 30:
        raise ValidationError(_("Give the unit between 1 and 30 working days to reply."))
    today = today or timezone.localdate()
    # Numbers are per region and year: the region's row is locked (PostgreSQL) so two coordinators issuing at
    # once get consecutive numbers; on SQLite the IMMEDIATE write transaction serialises them anyway. The
    # unique constraint on (region, year, number) is the backstop.
    Region.objects.select_for_update().filter(pk=region.pk).first()
    reports = list(overdue_reports(region, unit, today))
    if not reports:
        raise ValidationError(
            _("%(unit)s has no overdue reports in %(region)s's plans: there is nothing to chase.")
            % {"unit": unit.name, "region": region.name}
        )
    # A second click (or a second coordinator) would issue the same notice again: refused while an earlier
    # notice that already covers every one of these reports is waiting for the unit's reply.
    wanted = {report.pk for report in reports}
    for earlier in SupervisionNotice.objects.filter(region=region, unit=unit, reply_by__gte=today).order_by(
        "pk"
    ):
        if wanted <= set(earlier.reports.values_list("pk", flat=True)):
            raise ValidationError(
                _("%(notice)s already covers these reports; %(unit)s has until %(date)s to reply.")
                % {"notice": str(earlier), "unit": unit.name, "date": _day(earlier.reply_by)}
            )
    last = SupervisionNotice.objects.filter(region=region, year=today.year).aggregate(Max("number"))
    reply_by = calendar_for(region).add_workdays(today, reply_days)
    notice = SupervisionNotice.objects.create(
        region=region, unit=unit, year=today.year, number=(last["number__max"] or 0) + 1, reply_by=reply_by,
        issued_by=user if getattr(user, "is_authenticated", False) else None,
    )  # fmt: skip
    notice.reports.set(reports)
    with override(settings.LANGUAGE_CODE):
        title = ngettext(
            "%(notice)s: %(count)d overdue report", "%(notice)s: %(count)d overdue reports", len(reports)
        )
        lines = [_("Reply by %(date)s with the progress and its evidence.") % {"date": _day(reply_by)}]
        lines += [
            "· "
            + _("%(task)s (%(round)s), was due %(due)s")
            % {"task": _task(r), "round": r.round.name, "due": _day(r.due_date)}
            for r in reports
        ]
    people = People.of([unit.pk])
    notify(
        people.everyone_of(unit.pk), NOTICE_KIND, title % {"notice": str(notice), "count": len(reports)},
        "\n".join(lines), _url("notice_list"), f"notice:{notice.pk}",
    )  # fmt: skip
    return notice


def notice_rows(notice: SupervisionNotice) -> list[tuple[Report, int]]:
    """The notice's reports with the working days each was late on the day the notice was issued."""
    issued = timezone.localdate(notice.issued_at)
    workdays = calendar_for(notice.region)
    reports = notice.reports.select_related("task", "round").order_by("due_date", "plan_id", "task__position")
    return [(report, workdays.workdays_between(report.due_date, issued)) for report in reports]


# --- monthly circular (通报) -----------------------------------------------------------------------------


@dataclass
class CircularRow:
    unit: Unit
    overdue: int  # reports that became overdue in the month
    red: int  # reports that got a red card in the month


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(
        year, month, month_calendar.monthrange(year, month)[1]
    )


def circular_rows(
    region: Region, year: int, month: int, today: datetime.date | None = None
) -> list[CircularRow]:
    """Per unit, the reports of `region`'s published plans that became overdue, or red, in the month.

    A report becomes overdue the day after its due date, and red the day after its red-card date, if it had
    not been submitted (for the first time) by then; a report submitted late still counts for the month it
    became late in. Days after `today` have not happened yet.
    """
    today = today or timezone.localdate()
    first, last = month_bounds(year, month)
    last = min(last, today)
    one = datetime.timedelta(days=1)
    became_overdue = Q(due_date__gte=first - one, due_date__lte=last - one) & (
        Q(first_submitted_at__isnull=True) | Q(first_submitted_at__date__gt=F("due_date"))
    )
    became_red = Q(red_date__gte=first - one, red_date__lte=last - one) & (
        Q(first_submitted_at__isnull=True) | Q(first_submitted_at__date__gt=F("red_date"))
    )
    counts = (
        Report.objects.filter(plan__region=region, plan__status=PlanStatus.PUBLISHED)
        .filter(became_overdue | became_red)
        .values("unit_id")
        .annotate(overdue=Count("pk", filter=became_overdue), red=Count("pk", filter=became_red))
    )
    by_unit = {row["unit_id"]: row for row in counts}
    units = Unit.objects.in_bulk(list(by_unit))
    rows = [CircularRow(units[pk], row["overdue"], row["red"]) for pk, row in by_unit.items()]
    return sorted(rows, key=lambda r: (-r.red, -r.overdue, r.unit.sort_order, r.unit.name))


def red_card_days(region: Region, day: datetime.date) -> int:
    return SupervisionRules.for_region(region, day).red_card_days
