"""The office's draft of a region's annual report: started from the records, edited in the browser (each save
a revision), regenerated after new data with the edits kept, compared, restored, and published on the portal.

Leaders read the draft; only the region's office (coordinators, an administrator) writes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fazhi.orgs.access import can_manage_region, role_required
from fazhi.orgs.models import Region

from . import access, actions, drafts, pdf
from .generate import AnnualReport
from .indicators import Scope
from .models import ReportDraft, ReportRevision
from .views import checked_year, docx_response, paper, pdf_response, sources_response


def _draft(
    request: HttpRequest, region_pk: int, year: int, write: bool = False
) -> tuple[Region, ReportDraft | None]:
    region = access.get_draft_region_for_user(request.user, region_pk, write=write)
    draft = ReportDraft.objects.filter(region=region, unit=None, year=checked_year(year)).first()
    return region, draft


def _existing(
    request: HttpRequest, region_pk: int, year: int, write: bool = False
) -> tuple[Region, ReportDraft]:
    region, draft = _draft(request, region_pk, year, write)
    if draft is None:
        raise Http404
    return region, draft


def _latest(draft: ReportDraft) -> ReportRevision:
    revision = draft.revisions.select_related("author").order_by("-number").first()
    assert revision is not None, "a draft is created with its first revision"
    return revision


def _as_report(revision: ReportRevision, region: Region) -> AnnualReport:
    return drafts.to_report(revision.content, Scope(region, revision.draft.year))


def _edited_flags(content: drafts.Content) -> list[bool]:
    return [bool(sentence.get("edited")) for sentence in drafts.sentences(content)]


def _base(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("base", ""))
    except ValueError:
        raise ValidationError(_("The form is out of date: reload the page and try again.")) from None


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(*access.REPORT_ROLES)
def draft(request: HttpRequest, region_pk: int, year: int) -> HttpResponse:
    """The draft as it stands (GET), or start it from the records (POST, the office)."""
    region, found = _draft(request, region_pk, year, write=request.method == "POST")
    if request.method == "POST":
        if found is None:
            actions.start_draft(Scope(region, year), request.user)
            messages.success(
                request, _("The draft was generated from the records. Edit it, then publish it.")
            )
        return redirect("reports:draft", region.pk, year)
    context: dict[str, Any] = {
        "region": region,
        "year": year,
        "draft": found,
        "can_write": can_manage_region(request.user, region),
        "has_plans": year in access.report_years(region),
    }
    if found is not None:
        latest = _latest(found)
        report = _as_report(latest, region)
        context |= paper(
            report,
            lambda number: reverse("reports:draft_sources", args=[region.pk, year, number]),
            _edited_flags(latest.content),
        )
        context |= {
            "revision": latest,
            "untraced": drafts.untraced_claims(latest.content),
            "edited": drafts.edited_count(latest.content),
            "published_is_latest": found.published_revision_id == latest.pk,
            "pdf_available": pdf.available(),
        }
    return render(request, "reports/draft.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(*access.REPORT_ROLES)
def edit(request: HttpRequest, region_pk: int, year: int) -> HttpResponse:
    """The text of the draft in a form: one box per part, one paragraph a line."""
    region, found = _existing(request, region_pk, year, write=True)
    latest = _latest(found)
    initial = drafts.edit_of(latest.content)
    error = ""
    if request.method == "POST":
        sections = {
            section["key"]: (
                request.POST.get(f"title-{section['key']}", section["title"]),
                request.POST.get(f"text-{section['key']}", ""),
            )
            for section in latest.content["sections"]
        }
        submitted = drafts.Edit(
            request.POST.get("title", ""),
            request.POST.get("opening", ""),
            sections,
            request.POST.get("closing", ""),
        )
        try:
            revision = actions.save_edit(
                found, request.user, submitted, _base(request), request.POST.get("note", "")
            )
        except ValidationError as problem:
            error, initial = " ".join(problem.messages), submitted
        else:
            if revision.pk == latest.pk:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(request, _("Saved as revision %(number)s.") % {"number": revision.number})
            return redirect("reports:draft", region.pk, year)
    titles = {section["key"]: section["title"] for section in latest.content["sections"]}
    parts = [(key, titles.get(key, title), title, text) for key, (title, text) in initial.sections.items()]
    context = {
        "region": region,
        "year": year,
        "revision": latest,
        "edit": initial,
        "parts": parts,
        "error": error,
    }
    return render(request, "reports/draft_edit.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(*access.REPORT_ROLES)
def regenerate(request: HttpRequest, region_pk: int, year: int) -> HttpResponse:
    """What the records would change now (GET); bringing the draft up to them, edits kept (POST)."""
    region, found = _existing(request, region_pk, year, write=True)
    scope = Scope(region, year)
    if request.method == "POST":
        try:
            revision, merged = actions.regenerate(found, request.user, scope, _base(request))
        except ValidationError as problem:
            messages.error(request, " ".join(problem.messages))
            return redirect("reports:draft_regenerate", region.pk, year)
        if merged.conflicts:
            messages.warning(
                request,
                _("Your text was kept in %(parts)s, although the new records change them: read the changes.")
                % {"parts": "、".join(merged.conflicts)},
            )
        messages.success(request, _("The draft is now revision %(number)s.") % {"number": revision.number})
        return redirect("reports:draft", region.pk, year)
    latest, fresh, merged = actions.regeneration(found, scope)
    context = {
        "region": region,
        "year": year,
        "revision": latest,
        "merge": merged,
        "changes": drafts.diff(latest.content, merged.content),
        "data_changes": drafts.diff(latest.generated, fresh),
        "unchanged": merged.content == latest.content and fresh == latest.generated,
    }
    return render(request, "reports/draft_regenerate.html", context)


@require_safe
@role_required(*access.REPORT_ROLES)
def revisions(request: HttpRequest, region_pk: int, year: int) -> HttpResponse:
    region, found = _existing(request, region_pk, year)
    rows = found.revisions.select_related("author").order_by("-number")
    context = {"region": region, "year": year, "draft": found, "revisions": rows}
    return render(request, "reports/draft_revisions.html", context)


@require_safe
@role_required(*access.REPORT_ROLES)
def revision(request: HttpRequest, region_pk: int, year: int, number: int) -> HttpResponse:
    """One revision: what it changed from the one before."""
    region, found = _existing(request, region_pk, year)
    shown = found.revisions.select_related("author").filter(number=number).first()
    if shown is None:
        raise Http404
    before = found.revisions.filter(number__lt=number).order_by("-number").first()
    context = {
        "region": region,
        "year": year,
        "draft": found,
        "shown": shown,
        "before": before,
        "changes": drafts.diff(before.content, shown.content) if before else [],
        "latest": _latest(found),
        "can_write": can_manage_region(request.user, region),
    }
    return render(request, "reports/draft_revision.html", context)


@require_POST
@role_required(*access.REPORT_ROLES)
def restore(request: HttpRequest, region_pk: int, year: int, number: int) -> HttpResponse:
    region, found = _existing(request, region_pk, year, write=True)
    try:
        revision = actions.restore(found, request.user, number, _base(request))
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, _("The draft is now revision %(number)s.") % {"number": revision.number})
    return redirect("reports:draft", region.pk, year)


@require_POST
@role_required(*access.REPORT_ROLES)
def publish(request: HttpRequest, region_pk: int, year: int) -> HttpResponse:
    """Put the latest revision on the public portal; numbers typed by the office must be confirmed first."""
    region, found = _existing(request, region_pk, year, write=True)
    latest = _latest(found)
    if drafts.untraced_claims(latest.content) and not request.POST.get("numbers_checked"):
        messages.error(
            request,
            _("The draft states numbers not from the records. Check them and tick the box to publish."),
        )
        return redirect("reports:draft", region.pk, year)
    try:
        actions.publish(found, request.user, _base(request))
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, _("Published on the public portal."))
    return redirect("reports:draft", region.pk, year)


@require_POST
@role_required(*access.REPORT_ROLES)
def withdraw(request: HttpRequest, region_pk: int, year: int) -> HttpResponse:
    region, found = _existing(request, region_pk, year, write=True)
    try:
        actions.withdraw(found, request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, _("The report was taken off the portal; its revisions are kept."))
    return redirect("reports:draft", region.pk, year)


@require_safe
@role_required(*access.REPORT_ROLES)
def sources(request: HttpRequest, region_pk: int, year: int, number: int) -> HttpResponse:
    """The records behind one sentence of the draft, as recorded when that text was generated."""
    region, found = _existing(request, region_pk, year)
    back = reverse("reports:draft", args=[region.pk, year])
    return sources_response(request, _as_report(_latest(found), region), number, back)


@require_safe
@role_required(*access.REPORT_ROLES)
def download(request: HttpRequest, region_pk: int, year: int) -> HttpResponse:
    region, found = _existing(request, region_pk, year)
    return docx_response(_as_report(_latest(found), region))


@require_safe
@role_required(*access.REPORT_ROLES)
def download_pdf(request: HttpRequest, region_pk: int, year: int) -> HttpResponse:
    region, found = _existing(request, region_pk, year)
    return pdf_response(
        request, _as_report(_latest(found), region), reverse("reports:draft", args=[region.pk, year])
    )
