"""Report pages: a unit's tasks, one report with its thread and evidence, the review queue, rounds."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fazhi.docparse import DocumentError, read_bytes
from fazhi.orgs import access as org_access
from fazhi.orgs.access import DIRECTORY_ROLES, role_required
from fazhi.orgs.models import Role
from fazhi.plans import access as plan_access
from fazhi.plans.models import Assignment, TaskKind

from . import access, actions, files
from .forms import EvidenceForm, ReportForm, RoundForm, StepForm
from .models import OPEN_STATUSES, Evidence, Report, ReportStatus, Round
from .workflow import Step

PAGE_SIZE = 50
UNIT_ROLES = (Role.UNIT_HEAD, Role.LIAISON)

FILTERS = {
    "todo": Q(status__in=OPEN_STATUSES),
    "returned": Q(status=ReportStatus.RETURNED),
    "approval": Q(status=ReportStatus.AWAITING_APPROVAL),
    "submitted": Q(status=ReportStatus.SUBMITTED),
    "accepted": Q(status=ReportStatus.ACCEPTED),
    "all": Q(),
}


def _rows_with_cards(reports: Any) -> list[Report]:
    today = timezone.localdate()
    rows = list(reports)
    for row in rows:
        row.current_card = row.card(today)
    return rows


@role_required(*UNIT_ROLES)
def my_tasks(request: HttpRequest) -> HttpResponse:
    """What a unit owes: its reports, those to act on first; filtered by state."""
    scope = org_access.scope_for(request.user)
    today = timezone.localdate()
    mine = Report.objects.filter(unit_id__in=scope.unit_ids)
    shown = request.GET.get("show", "todo")
    if shown not in FILTERS:
        shown = "todo"
    reports = (
        mine.filter(FILTERS[shown])
        .select_related("unit", "task", "round", "plan")
        .order_by("due_date", "plan_id", "task__position")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = mine.aggregate(
        todo=Count("pk", filter=FILTERS["todo"]),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
        soon=Count("pk", filter=Q(status__in=OPEN_STATUSES, remind_date__lte=today, due_date__gte=today)),
        returned=Count("pk", filter=FILTERS["returned"]),
        approval=Count("pk", filter=FILTERS["approval"]),
        submitted=Count("pk", filter=FILTERS["submitted"]),
        accepted=Count("pk", filter=FILTERS["accepted"]),
        all=Count("pk"),
    )
    page.object_list = _rows_with_cards(page.object_list)
    context = {"page": page, "shown": shown, "counts": counts, "today": today, "querystring": f"show={shown}"}
    return render(request, "supervision/my_tasks.html", context)


def _excerpt(evidence: Evidence) -> str:
    """The first lines of a Word or Excel file, so reviewers see what it holds without downloading it."""
    if evidence.kind not in ("docx", "xlsx"):
        return ""
    try:
        with evidence.file.open("rb") as handle:
            text = read_bytes(handle.read(), evidence.name, max_bytes=evidence.size + 1).text
    except (DocumentError, OSError):
        return ""
    return " ".join(text.split())[:300]


@role_required()
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    task = report.task
    user = request.user
    can_edit = access.can_edit(user, report)
    targets = list(task.targets.all())
    values = {v.target_id: v.value for v in report.values.all()}
    form = ReportForm(
        initial={
            "progress": report.progress,
            "text": report.text,
            **{f"target_{t.pk}": values.get(t.pk, "") for t in targets},
        },
        targets=targets,
    )
    evidence = list(report.evidence.all())
    for item in evidence:
        item.excerpt = _excerpt(item)  # type: ignore[attr-defined]
    steps = []
    if can_edit:
        steps.append(actions.submit_step(report, user))
    if report.status == ReportStatus.AWAITING_APPROVAL and access.is_head(user, report):
        steps += [Step.APPROVE, Step.SEND_BACK]
    if report.status == ReportStatus.SUBMITTED and access.can_review(user, report):
        steps += [Step.ACCEPT, Step.RETURN]
    context = {
        "report": report,
        "task": task,
        "card": report.card(timezone.localdate()),
        "form": form,
        "can_edit": can_edit,
        "steps": steps,
        "evidence": evidence,
        "evidence_form": EvidenceForm(),
        "targets": [(t, values.get(t.pk)) for t in targets],
        "events": report.events.select_related("actor"),
        "assignments": Assignment.objects.filter(task=task).select_related("unit").order_by("role"),
    }
    return render(request, "supervision/report_detail.html", context)


@require_POST
@role_required(*UNIT_ROLES)
def report_save(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    if not access.is_member(request.user, report):
        raise PermissionDenied
    form = ReportForm(request.POST, targets=list(report.task.targets.all()))
    if not form.is_valid():
        messages.error(request, _("Check the form: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("supervision:report_detail", pk=report.pk)
    try:
        report = actions.save_report(
            report,
            request.user,
            form.cleaned_data["text"],
            form.cleaned_data["progress"],
            form.target_values(),
        )
        if request.POST.get("then") == "submit":
            actions.transition(report, actions.submit_step(report, request.user), request.user, report.status)
            messages.success(request, _("Report submitted."))
        else:
            messages.success(request, _("Draft saved. Only your unit sees it until you submit it."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("supervision:report_detail", pk=report.pk)


STEP_MESSAGES = {
    Step.SUBMIT: _("Report submitted."),
    Step.SUBMIT_FOR_APPROVAL: _("Report sent to the unit head for approval."),
    Step.APPROVE: _("Approved: the report has been submitted."),
    Step.SEND_BACK: _("Sent back to the liaison officer."),
    Step.ACCEPT: _("Report accepted."),
    Step.RETURN: _("Report returned to the unit with your comment."),
}


@require_POST
@role_required()
def report_step(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request was incomplete; reload the page and try again."))
        return redirect("supervision:report_detail", pk=report.pk)
    data = form.cleaned_data
    try:
        actions.transition(
            report,
            data["step"],
            request.user,
            data["seen_status"],
            comment=data["comment"],
            quality=data["quality"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, str(STEP_MESSAGES.get(data["step"], _("Done."))))
    if data["step"] in (Step.ACCEPT, Step.RETURN) and request.POST.get("next") == "review":
        return redirect("supervision:review_queue")
    return redirect("supervision:report_detail", pk=report.pk)


@require_POST
@role_required(*UNIT_ROLES)
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    if not access.is_member(request.user, report):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("supervision:report_detail", pk=report.pk)
    upload = form.cleaned_data["file"]
    try:
        evidence = actions.add_evidence(report, request.user, upload.name, upload.read())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("“%(name)s” attached.") % {"name": evidence.name})
    return redirect("supervision:report_detail", pk=report.pk)


@role_required()
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is served through this view only (never from a public folder), to those who may read the
    report."""
    evidence = access.get_evidence_for_user(request.user, pk)
    inline = evidence.kind in ("pdf", "jpg", "png") and request.GET.get("download") != "1"
    return files.file_response(evidence, inline)


@require_POST
@role_required(*UNIT_ROLES)
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = access.get_evidence_for_user(request.user, pk)
    try:
        actions.remove_evidence(evidence, request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("“%(name)s” removed.") % {"name": evidence.name})
    return redirect("supervision:report_detail", pk=evidence.report_id)


@role_required(Role.COORDINATOR, Role.UNIT_HEAD)
def review_queue(request: HttpRequest) -> HttpResponse:
    reports = (
        access.reviewable_reports(request.user)
        .select_related("unit", "task", "round", "plan")
        .order_by("submitted_at")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _rows_with_cards(page.object_list)
    return render(request, "supervision/review_queue.html", {"page": page, "querystring": ""})


@role_required(*DIRECTORY_ROLES)
def plan_rounds(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_access.get_plan_for_user(request.user, pk)
    can_open = plan.status == "published" and org_access.can_manage_region(request.user, plan.region)
    form = RoundForm(request.POST or None)
    if request.method == "POST":
        if not can_open:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                round_ = actions.open_manual_round(
                    plan, request.user, data["name"], data["due"], note=data["note"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Round “%(name)s” opened for every task.") % {"name": round_.name}
                )
                return redirect("supervision:plan_rounds", pk=plan.pk)
    visible = Q(reports__in=access.readable_reports(request.user))
    rounds = Round.objects.filter(plan=plan).annotate(
        total=Count("reports", filter=visible, distinct=True),
        accepted=Count("reports", filter=visible & Q(reports__status=ReportStatus.ACCEPTED), distinct=True),
        waiting=Count("reports", filter=visible & Q(reports__status=ReportStatus.SUBMITTED), distinct=True),
        owed=Count("reports", filter=visible & Q(reports__status__in=OPEN_STATUSES), distinct=True),
    )
    context = {
        "plan": plan,
        "rounds": rounds,
        "form": form,
        "can_open": can_open,
        "task_count": plan.tasks.filter(kind=TaskKind.TASK).count(),
    }
    return render(request, "supervision/plan_rounds.html", context)
