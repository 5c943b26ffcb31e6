"""Writes of the reports app: storing the indicator values computed for a region or unit and year; the
annual report's drafts, revisions and publication; the values units and the office enter by hand, with their
evidence files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.docparse import DocumentError, safety
from fazhi.supervision.actions import EVIDENCE_KINDS, evidence_kind
from fazhi.supervision.files import store_with_file

from . import access, drafts
from .generate import generate
from .indicators import Scope, Value
from .models import (
    DraftStatus,
    Indicator,
    IndicatorEvidence,
    IndicatorSource,
    IndicatorValue,
    ReportDraft,
    ReportRevision,
    RevisionKind,
)


@transaction.atomic
def save_values(scope: Scope, values: dict[str, Value]) -> list[IndicatorValue]:
    """Store (or refresh) each computed value with its source record ids; call inside `acting_as`."""
    saved = []
    for code in sorted(values):
        value = values[code]
        row, _created = IndicatorValue.objects.update_or_create(
            indicator=value.indicator,
            region=scope.region,
            unit=scope.unit,
            year=scope.year,
            defaults={"value": value.value, "sources": {k: list(v) for k, v in value.sources.items()}},
        )
        saved.append(row)
    return saved


# --- the annual report's drafts ---------------------------------------------------------------------------


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _add_revision(
    draft: ReportDraft,
    user: Any,
    kind: str,
    content: drafts.Content,
    generated: drafts.Content,
    note: str = "",
) -> ReportRevision:
    latest = draft.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return ReportRevision.objects.create(
        draft=draft, number=latest + 1, kind=kind, content=content, generated=generated, note=note[:200],
        author=_user(user),
    )  # fmt: skip


def start_draft(scope: Scope, user: Any) -> ReportDraft:
    """The scope's draft, created with a first revision generated from the records if there is none yet."""
    existing = ReportDraft.objects.filter(region=scope.region, unit=scope.unit, year=scope.year).first()
    if existing is not None:
        return existing
    generated = drafts.snapshot(generate(scope))
    try:
        with transaction.atomic():
            draft = ReportDraft.objects.create(region=scope.region, unit=scope.unit, year=scope.year)
            _add_revision(draft, user, RevisionKind.GENERATED, generated, generated)
    except IntegrityError:
        # Someone started the same draft a moment ago: theirs stands.
        return ReportDraft.objects.get(region=scope.region, unit=scope.unit, year=scope.year)
    return draft


def _locked(draft: ReportDraft, base: int | None) -> tuple[ReportDraft, ReportRevision]:
    locked = ReportDraft.objects.select_for_update().get(pk=draft.pk)
    latest = locked.revisions.order_by("-number").first()
    assert latest is not None, "a draft is created with its first revision"
    if base is not None and latest.number != base:
        raise ValidationError(
            _(
                "Revision %(number)s was saved by %(author)s while you were editing revision %(base)s. "
                "Your text was not saved: copy your changes, reload and apply them to the newer text."
            )
            % {"number": latest.number, "author": latest.author or _("the system"), "base": base}
        )
    return locked, latest


@transaction.atomic
def save_edit(draft: ReportDraft, user: Any, edit: drafts.Edit, base: int, note: str = "") -> ReportRevision:
    """Save the office's text as a new revision (none if nothing changed). `base` is the revision the editor
    started from: if another revision was saved meanwhile, nothing is saved and the editor is told."""
    locked, latest = _locked(draft, base)
    content = drafts.apply_edit(latest.content, latest.generated, edit)
    if not any(text for _key, _label, text in drafts.parts(content)):
        raise ValidationError(_("The report cannot be empty."))
    if content == latest.content:
        return latest
    return _add_revision(locked, user, RevisionKind.EDITED, content, latest.generated, note)


def regeneration(draft: ReportDraft, scope: Scope) -> tuple[ReportRevision, drafts.Content, drafts.Merge]:
    """What regenerating would do, without saving: the latest revision, the fresh text and the merge."""
    latest = draft.revisions.order_by("-number").first()
    assert latest is not None
    fresh = drafts.snapshot(generate(scope))
    return latest, fresh, drafts.merge(latest.content, latest.generated, fresh)


@transaction.atomic
def regenerate(draft: ReportDraft, user: Any, scope: Scope, base: int) -> tuple[ReportRevision, drafts.Merge]:
    """Bring the draft up to the records as they are now, keeping the office's edits (see drafts.merge)."""
    locked, latest = _locked(draft, base)
    fresh = drafts.snapshot(generate(scope))
    merged = drafts.merge(latest.content, latest.generated, fresh)
    if merged.content == latest.content and fresh == latest.generated:
        return latest, merged
    note = ""
    if merged.conflicts:
        note = _("Edited parts kept although the records changed them: %(parts)s") % {
            "parts": "、".join(merged.conflicts)
        }
    return _add_revision(locked, user, RevisionKind.REGENERATED, merged.content, fresh, note), merged


@transaction.atomic
def restore(draft: ReportDraft, user: Any, number: int, base: int) -> ReportRevision:
    locked, _latest = _locked(draft, base)
    old = locked.revisions.filter(number=number).first()
    if old is None:
        raise ValidationError(_("There is no revision %(number)s.") % {"number": number})
    note = _("Restored revision %(number)s.") % {"number": number}
    return _add_revision(locked, user, RevisionKind.RESTORED, old.content, old.generated, note)


@transaction.atomic
def publish(draft: ReportDraft, user: Any, base: int) -> ReportDraft:
    """Put the latest revision on the public portal (replacing an earlier published one)."""
    locked, latest = _locked(draft, base)
    locked.status = DraftStatus.PUBLISHED
    locked.published_revision = latest
    locked.published_at = timezone.now()
    locked.save()
    return locked


@transaction.atomic
def withdraw(draft: ReportDraft, user: Any) -> ReportDraft:
    """Take the report off the portal; its revisions stay."""
    locked = ReportDraft.objects.select_for_update().get(pk=draft.pk)
    if locked.status != DraftStatus.PUBLISHED:
        raise ValidationError(_("The report is not published."))
    locked.status = DraftStatus.DRAFT
    locked.published_revision = None
    locked.published_at = None
    locked.save()
    return locked


# --- values entered by hand, with their evidence ------------------------------------------------------------

MAX_VALUE = Decimal(10) ** 10  # IndicatorValue.value: 14 digits, 4 after the point
EVIDENCE_KEY = "reports.indicatorevidence"  # the key of `sources` naming the evidence of an entered value


def _checked_value(value: Decimal) -> Decimal:
    if not value.is_finite() or value < 0:
        raise ValidationError({"value": _("Enter a number of zero or more.")})
    if value >= MAX_VALUE or value != value.quantize(Decimal("0.0001")):
        raise ValidationError({"value": _("Enter at most ten digits before the point and four after it.")})
    return value


def _checked_file(name: str, data: bytes) -> str:
    """The evidence file's kind, read from its content; refused as supervision refuses a report's evidence."""
    try:
        safety.check_size(data, settings.FAZHI_UPLOAD_MAX_BYTES)
        kind = evidence_kind(data)
    except DocumentError as error:
        raise ValidationError({"file": error.message}) from None
    if kind not in EVIDENCE_KINDS:
        message = _("“%(name)s” is a %(kind)s: attach PDF, Word (.docx), Excel (.xlsx), JPG or PNG files.")
        raise ValidationError({"file": message % {"name": name, "kind": safety.KIND_NAMES.get(kind, kind)}})
    return kind


def _refresh_sources(value: IndicatorValue) -> None:
    """Name the value's evidence in `sources`, so the report's 数据来源 appendix traces the figure to it."""
    ids = sorted(value.evidence.values_list("pk", flat=True))
    sources = {EVIDENCE_KEY: ids} if ids else {}
    if value.sources != sources:
        value.sources = sources
        value.save(update_fields=["sources", "computed_at"])


def _store_evidence(value: IndicatorValue, user: Any, name: str, data: bytes, kind: str) -> IndicatorEvidence:
    evidence = IndicatorEvidence(
        value=value, name=name[:255], kind=kind, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )  # fmt: skip
    store_with_file(evidence, data, kind, then=lambda: _refresh_sources(value))
    return evidence


@transaction.atomic
def enter_value(
    user: Any,
    target: access.EntryTarget,
    indicator: Indicator,
    year: int,
    value: Decimal,
    note: str = "",
    files: Iterable[tuple[str, bytes]] = (),
) -> IndicatorValue:
    """Enter (or correct) a unit's or a region's value of an entered indicator, with evidence files.

    Every file is checked before anything is written, so a refused file leaves no value and no file behind.
    """
    access.require_write(user, target)
    if indicator.source != IndicatorSource.ENTERED:
        raise ValidationError(_("“%(name)s” is computed from the records.") % {"name": indicator.name})
    if year not in access.entry_years(target.region):
        raise ValidationError(
            _("Values can be entered for the years of the region's published plans and the current year.")
        )
    value = _checked_value(value)
    uploads = [(name, data, _checked_file(name, data)) for name, data in files]
    row, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        region=target.region,
        unit=target.unit,
        year=year,
        defaults={
            "value": value,
            "note": note.strip()[:500],
            "entered_by": user if getattr(user, "is_authenticated", False) else None,
        },
    )
    for name, data, kind in uploads:
        _store_evidence(row, user, name, data, kind)
    return row


def _locked_value(pk: int) -> IndicatorValue:
    # `of`: PostgreSQL cannot lock the nullable side of the outer join to the unit, and need not.
    rows = IndicatorValue.objects.select_for_update(of=("self",)).select_related("region", "unit")
    return rows.get(pk=pk)


@transaction.atomic
def add_value_evidence(value: IndicatorValue, user: Any, name: str, data: bytes) -> IndicatorEvidence:
    locked = _locked_value(value.pk)
    access.require_write(user, access.EntryTarget(locked.region, locked.unit))
    return _store_evidence(locked, user, name, data, _checked_file(name, data))


@transaction.atomic
def remove_value_evidence(evidence: IndicatorEvidence, user: Any) -> IndicatorValue:
    """Remove a file; the value stays, and without evidence it no longer goes into the annual report."""
    value = _locked_value(evidence.value_id)
    access.require_write(user, access.EntryTarget(value.region, value.unit))
    storage, path = evidence.file.storage, str(evidence.file.name)
    evidence.delete()
    _refresh_sources(value)
    transaction.on_commit(lambda: storage.delete(path))
    return value
