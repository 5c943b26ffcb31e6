"""Chasing pages: supervision notices (list, issue, download) and the monthly circular. Thin."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fazhi.orgs import access as org_access
from fazhi.orgs.access import MANAGER_ROLES, role_required
from fazhi.orgs.models import RegionLevel, Role

from . import chasing, documents

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NOTICE_ROLES = (Role.COORDINATOR, Role.UNIT_HEAD, Role.LIAISON)
PAGE_SIZE = 30


class IssueForm(forms.Form):
    unit = forms.IntegerField()
    region = forms.IntegerField(required=False)
    reply_days = forms.IntegerField(required=False, min_value=1, max_value=30)
    next = forms.CharField(required=False)


def _month_choices(today: datetime.date) -> list[str]:
    """The twelve months up to this one, newest first, as YYYY-MM."""
    year, month, found = today.year, today.month, []
    for _i in range(12):
        found.append(f"{year}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found


@role_required(*NOTICE_ROLES)
def notice_list(request: HttpRequest) -> HttpResponse:
    """The office sees its regions' notices (and downloads circulars); a unit sees the notices it received."""
    notices = (
        chasing.readable_notices(request.user)
        .select_related("region", "unit", "issued_by")
        .annotate(report_count=Count("reports"))
        .order_by("-issued_at", "-pk")
    )
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    regions = org_access.managed_regions(request.user).exclude(level=RegionLevel.TOWN).order_by("path")
    today = timezone.localdate()
    context: dict[str, Any] = {
        "page": page,
        "regions": regions,
        "months": _month_choices(today),
        # Last month is the one a circular is usually about.
        "default_month": _month_choices(today)[1],
    }
    return render(request, "supervision/chasing/notice_list.html", context)


def _back(request: HttpRequest, wanted: str) -> str:
    for candidate in (wanted, request.headers.get("Referer", "")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return reverse("supervision:notice_list")


@require_POST
@role_required(*MANAGER_ROLES)
def notice_issue(request: HttpRequest) -> HttpResponse:
    """Issue a 督办单 to the posted `unit` (from the overdue list), then go back where the office was."""
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a unit, and between 1 and 30 working days for the reply."))
        return redirect(_back(request, ""))
    data = form.cleaned_data
    unit = org_access.get_unit_for_user(request.user, data["unit"])
    if data["region"]:
        region = org_access.get_region_for_user(request.user, data["region"], write=True)
    else:
        region = chasing.home_region(unit)
    try:
        notice = chasing.issue_notice(
            region, unit, request.user, reply_days=data["reply_days"] or chasing.DEFAULT_REPLY_DAYS
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(notice)s was issued to %(unit)s; its people have been told.")
            % {"notice": notice, "unit": unit.name},
        )
    return redirect(_back(request, data["next"]))


def _docx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@role_required(*NOTICE_ROLES)
def notice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    notice = chasing.get_notice_for_user(request.user, pk)
    return _docx_response(documents.notice_docx(notice), f"{notice}-{notice.unit.name}.docx")


@role_required(*MANAGER_ROLES)
def circular_docx(request: HttpRequest) -> HttpResponse:
    """The monthly circular of a region the user's office manages: ?region=<id>&month=YYYY-MM."""
    region = org_access.get_region_for_user(request.user, request.GET.get("region"), write=True)
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        datetime.date(year, month, 1)
    except ValueError:
        messages.error(request, _("Choose a month for the circular."))
        return redirect("supervision:notice_list")
    return _docx_response(
        documents.circular_docx(region, year, month), f"{region.name}{year}年{month}月逾期报送情况通报.docx"
    )
