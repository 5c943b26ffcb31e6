"""Case pages: the list with its countdowns, opening a case, one case with its steps, and its evidence files.

Thin: every case is reached through fazhi.enforcement.access, every write goes through actions.open_case and
actions.advance (whose guards answer with the message shown on the form).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fazhi.orgs.access import MANAGER_ROLES, role_required, scope_for

from . import access, actions, case_evidence
from .deadlines import countdowns, open_case_countdowns
from .forms import LEGAL_REVIEW, CaseFilterForm, CaseOpenForm, StepForm
from .models import Case, CaseEvent, CaseStep, LegalReview, Officer
from .workflow import next_steps

PAGE_SIZE = 50
MASK = "******"

# What each step's button says (the review's two outcomes share one form).
STEP_BUTTONS: dict[str, Any] = {
    CaseStep.INVESTIGATE: gettext_lazy("Record the investigation"),
    CaseStep.NOTIFY: gettext_lazy("Record the notice to the party"),
    CaseStep.STATEMENT: gettext_lazy("Record the party's statement"),
    CaseStep.REQUEST_HEARING: gettext_lazy("Record the hearing request"),
    CaseStep.HOLD_HEARING: gettext_lazy("Record the hearing"),
    CaseStep.WAIVE: gettext_lazy("Record the party's waiver"),
    LEGAL_REVIEW: gettext_lazy("Record the legal review"),
    CaseStep.DISCUSS: gettext_lazy("Record the collective discussion"),
    CaseStep.DECIDE: gettext_lazy("Record the decision"),
    CaseStep.SERVE: gettext_lazy("Record the service of the decision"),
    CaseStep.EXECUTE: gettext_lazy("Record the execution"),
    CaseStep.CLOSE: gettext_lazy("Close the case"),
    CaseStep.ARCHIVE: gettext_lazy("Archive the case"),
}


@dataclass
class Clock:
    label: str
    due: Any
    days: int  # days left, or days overdue
    overdue: bool
    soon: bool
    working_days: bool
    legal_basis: str


def _clocks(found: list[Any]) -> list[Clock]:
    """The running statutory periods as the pages show them (days overdue counted up, not negative)."""
    return [
        Clock(
            label=str(c.period.get_code_display()),
            due=c.due,
            days=abs(c.days_left),
            overdue=c.overdue,
            soon=0 <= c.days_left <= 3,
            working_days=c.working_days,
            legal_basis=c.period.legal_basis,
        )
        for c in found
    ]


def _add_errors(form: Form, error: ValidationError) -> None:
    """Put an action's refusal on the form: on a field the form has, else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            messages_ = [m for e in errors for m in e.messages]
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


# --- the list ---------------------------------------------------------------------------------------------


@role_required()
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.has_case_reach(user):
        raise PermissionDenied
    readable = access.cases_for(user)
    bodies = access.case_bodies(readable)
    form = CaseFilterForm(request.GET or None, bodies=bodies)
    cases = readable
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            cases = cases.filter(kind=data["kind"])
        if data["status"]:
            cases = cases.filter(status=data["status"])
        if data["body"] is not None:
            cases = cases.filter(unit=data["body"])
    cases = cases.select_related("unit__region", "power").order_by("-registered_on", "-pk")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    today = timezone.localdate()
    clocks = open_case_countdowns(rows, today)
    for case in rows:
        case.clocks = _clocks(clocks.get(case.pk, []))  # type: ignore[attr-defined]
    page.object_list = rows
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "form": form,
        "querystring": query.urlencode(),
        "can_open": access.workable_bodies(user).exists(),
        "can_import": scope_for(user).has(*MANAGER_ROLES),
    }
    template = (
        "enforcement/_case_rows.html" if request.headers.get("HX-Request") else "enforcement/case_list.html"
    )
    return render(request, template, context)


# --- opening a case ---------------------------------------------------------------------------------------


@role_required()
def case_open(request: HttpRequest) -> HttpResponse:
    user = request.user
    bodies = access.workable_bodies(user).order_by("name")
    if not bodies.exists():
        raise PermissionDenied
    form = CaseOpenForm(request.POST or None, request.FILES or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        ok, checked = _checked_upload(form)
        if ok:
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    case = actions.open_case(
                        user, unit=data["body"], on=data["on"], notes=data["notes"],
                        evidence_sha256=[checked.sha256] if checked else [], **form.case_fields(),
                    )  # fmt: skip
                    if checked:
                        case_evidence.store(checked)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Case %(number)s registered.") % {"number": case.number})
                return redirect("enforcement:case_detail", pk=case.pk)
    return render(request, "enforcement/case_open.html", {"form": form})


def _checked_upload(form: Form) -> tuple[bool, case_evidence.CheckedFile | None]:
    """Whether the form's evidence file passed the checks (else the error is on the form), and the file."""
    upload = form.cleaned_data.get("evidence")
    if not upload:
        return True, None
    try:
        return True, case_evidence.check_file(upload.name, upload.read())
    except ValidationError as error:
        form.add_error("evidence", error.messages)
        return False, None


# --- one case ---------------------------------------------------------------------------------------------


@dataclass
class StepOption:
    key: str  # a CaseStep, or LEGAL_REVIEW for the review's two outcomes
    label: str
    button: str
    form: StepForm | None  # None: the user reads this step but may not take it


def _step_keys(case: Case) -> list[str]:
    keys: list[str] = []
    for step in next_steps(case.kind, case.status):
        key = LEGAL_REVIEW if step in access.REVIEW_STEPS else step
        if key not in keys:
            keys.append(key)
    return keys


def _step_options(request: HttpRequest, case: Case, bound: StepForm | None) -> list[StepOption]:
    user = request.user
    officer = access.officer_for(user)
    can_work = access.can_work(user, case)
    can_review = access.can_review(user, case)
    options = []
    for key in _step_keys(case):
        label = _("legal review") if key == LEGAL_REVIEW else str(CaseStep(key).label)
        allowed = can_review if key == LEGAL_REVIEW else can_work
        form: StepForm | None = None
        if allowed:
            form = (
                bound
                if bound is not None and bound.step == key
                else StepForm(case=case, step=key, officer=officer)
            )
        options.append(StepOption(key, label, str(STEP_BUTTONS.get(key, label)), form))
    return options


def _render_case(request: HttpRequest, case: Case, bound: StepForm | None = None) -> HttpResponse:
    user = request.user
    can_work = access.can_work(user, case)
    events = (
        CaseEvent.objects.filter(case=case)
        .select_related("by")
        .prefetch_related(Prefetch("officers", queryset=Officer.objects.order_by("name")))
        .order_by("on", "pk")
    )
    reviews = LegalReview.objects.filter(case=case).select_related("reviewer").order_by("on", "pk")
    party = [
        (_("party"), case.party_name),
        (_("party type"), case.get_party_type_display()),
        # Supervisors read the case file without the party's personal data (as in the audit trail).
        (_("party's ID number"), case.party_id_number if can_work else MASK if case.party_id_number else ""),
        (_("party's phone"), case.party_phone if can_work else MASK if case.party_phone else ""),
        (_("party's address"), case.party_address),
    ]
    context = {
        "case": case,
        "party": party,
        "events": events,
        "reviews": reviews,
        "investigators": case.investigators.order_by("name"),
        "clocks": _clocks(countdowns(case, timezone.localdate())),
        "options": _step_options(request, case, bound),
        "can_work": can_work,
        "can_export_record": access.can_export_record(user, case),
        "open_step": bound.step if bound is not None else "",
    }
    return render(request, "enforcement/case_detail.html", context)


@role_required()
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_case(request, access.get_case_for_user(request.user, pk))


@require_POST
@role_required()
def case_step(request: HttpRequest, pk: int) -> HttpResponse:
    """Take one step. A refusal (a guard, a stale page) shows on the step's form, keeping what was typed."""
    user = request.user
    case = access.get_case_for_user(user, pk, write=True)
    key = request.POST.get("step", "")
    if key not in _step_keys(case):
        messages.error(
            request,
            _("This step is not possible while the case is “%(status)s”: the page has been reloaded.")
            % {"status": case.get_status_display()},
        )
        return redirect("enforcement:case_detail", pk=case.pk)
    if key == LEGAL_REVIEW and not access.can_review(user, case):
        raise PermissionDenied
    form = StepForm(request.POST, request.FILES, case=case, step=key, officer=access.officer_for(user))
    if form.is_valid():
        ok, checked = _checked_upload(form)
        if ok:
            try:
                with transaction.atomic():
                    actions.advance(
                        case, form.action_step(), user, seen_status=request.POST.get("seen_status") or None,
                        evidence_sha256=[checked.sha256] if checked else [], **form.advance_kwargs(),
                    )  # fmt: skip
                    if checked:
                        case_evidence.store(checked)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request, _("Step recorded: %(step)s.") % {"step": CaseStep(form.action_step()).label}
                )
                return redirect("enforcement:case_detail", pk=case.pk)
    case.refresh_from_db()
    return _render_case(request, case, bound=form)


@role_required()
def case_evidence_file(request: HttpRequest, pk: int, sha256: str) -> FileResponse:
    """A step's evidence file, only for those who read the case whose step names its hash."""
    case = access.get_case_for_user(request.user, pk)
    sha256 = sha256.lower()
    named = CaseEvent.objects.filter(case=case).values_list("evidence_sha256", flat=True)
    if not any(sha256 in (hashes or ()) for hashes in named):
        raise Http404
    found = case_evidence.find(sha256)
    if found is None:
        raise Http404
    path, kind = found
    inline = kind in ("pdf", "jpg", "png") and request.GET.get("download") != "1"
    response = FileResponse(
        default_storage.open(path, "rb"),
        as_attachment=not inline,
        filename=f"{case.number}-{sha256[:12]}.{kind}",
        content_type=case_evidence.CONTENT_TYPES.get(kind, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
