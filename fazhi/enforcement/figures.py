"""The enforcement figures a report states for a region (its whole subtree) and a year, each with the ids of
the records behind it so a reader can check the count: officers, training, reviewers, powers, and cases (by
kind, body and month, and the 法制审核 rate of major decisions).

Rules (training hours, legal-reviewer ratio) are those in force on 31 December of the year
(EnforcementRules.in_force); a body is judged by the rules of its own region.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, Sum

from fazhi.orgs.models import Region, Unit

from .models import Case, CaseKind, EnforcementRules, LegalReview, Officer, Power, PowerKind, ReviewResult


@dataclass(frozen=True)
class Share:
    """`ids` of the records counted out of `base_ids`."""

    ids: list[int]
    base_ids: list[int]

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def total(self) -> int:
        return len(self.base_ids)

    @property
    def ratio(self) -> Decimal | None:
        return Decimal(self.count) / Decimal(self.total) if self.total else None


@dataclass(frozen=True)
class BodyReviewers:
    unit: Unit
    reviewer_ids: list[int]
    officer_ids: list[int]
    required_ratio: Decimal

    @property
    def ratio(self) -> Decimal | None:
        return Decimal(len(self.reviewer_ids)) / Decimal(len(self.officer_ids)) if self.officer_ids else None

    @property
    def required(self) -> int:
        """The fewest legal reviewers that meet the ratio (5% of 21 officers is 1.05, so 2)."""
        return math.ceil(self.required_ratio * len(self.officer_ids))

    @property
    def meets(self) -> bool:
        return len(self.reviewer_ids) >= self.required


@dataclass(frozen=True)
class EnforcementFigures:
    region: Region
    year: int
    certified: Share
    trained: Share
    training_hours: Decimal
    reviewers: list[BodyReviewers]
    powers_by_kind: dict[str, list[int]] = field(default_factory=dict)


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def _active_officers(region: Region) -> list[Officer]:
    return list(
        Officer.objects.filter(unit__region__path__startswith=region.path, is_active=True)
        .select_related("unit__region")
        .order_by("pk")
    )


def certified_officers(region: Region, year: int) -> Share:
    """Active officers whose certificate is valid on 31 December, out of all active officers (持证率)."""
    day = year_end(year)
    officers = _active_officers(region)
    return Share([o.pk for o in officers if o.certified_on(day)], [o.pk for o in officers])


def trained_officers(region: Region, year: int) -> tuple[Share, Decimal]:
    """Active officers with at least the yearly training hours in force (default 60), and that minimum."""
    minimum = EnforcementRules.in_force(region, year_end(year)).training_hours
    officers = _active_officers(region)
    hours = dict(
        Officer.objects.filter(pk__in=[o.pk for o in officers])
        .annotate(
            year_hours=Sum(
                "training__hours",
                filter=Q(training__date__gte=datetime.date(year, 1, 1), training__date__lte=year_end(year)),
            )
        )
        .values_list("pk", "year_hours")
    )
    reached = [o.pk for o in officers if (hours.get(o.pk) or Decimal(0)) >= minimum]
    return Share(reached, [o.pk for o in officers]), minimum


def legal_reviewers_by_body(region: Region, year: int) -> list[BodyReviewers]:
    """Per enforcement body with active officers: its legal reviewers against the ratio of its region."""
    day = year_end(year)
    by_unit: dict[int, list[Officer]] = {}
    for officer in _active_officers(region):
        by_unit.setdefault(officer.unit_id, []).append(officer)
    ratios: dict[int, Decimal] = {}
    bodies = []
    for officers in by_unit.values():
        unit = officers[0].unit
        if unit.region_id not in ratios:
            ratios[unit.region_id] = EnforcementRules.in_force(unit.region, day).legal_reviewer_ratio
        bodies.append(
            BodyReviewers(
                unit,
                [o.pk for o in officers if o.is_legal_reviewer],
                [o.pk for o in officers],
                ratios[unit.region_id],
            )
        )
    return sorted(bodies, key=lambda body: (body.unit.sort_order, body.unit.name))


def powers_by_kind(region: Region) -> dict[str, list[int]]:
    """The ids of the powers held by bodies in the region, by kind (every kind present, empty or not)."""
    found: dict[str, list[int]] = {kind.value: [] for kind in PowerKind}
    rows = Power.objects.filter(unit__region__path__startswith=region.path).order_by("pk")
    for pk, kind in rows.values_list("pk", "kind"):
        found.setdefault(kind, []).append(pk)
    return found


def enforcement_figures(region: Region, year: int) -> EnforcementFigures:
    trained, minimum = trained_officers(region, year)
    return EnforcementFigures(
        region=region,
        year=year,
        certified=certified_officers(region, year),
        trained=trained,
        training_hours=minimum,
        reviewers=legal_reviewers_by_body(region, year),
        powers_by_kind=powers_by_kind(region),
    )


# --- cases --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFigures:
    """Cases registered in the year, and the 法制审核 of the major decisions taken in it (target: 100%)."""

    by_kind: dict[str, list[int]]
    by_body: dict[int, list[int]]  # unit id → case ids
    by_month: dict[int, list[int]]  # 1–12 → case ids
    major_reviewed: Share  # major decisions of the year with a passed legal review, out of all of them


def case_figures(region: Region, year: int) -> CaseFigures:
    """Counted by 立案 date for the registers, by decision date for the review rate."""
    start, end = datetime.date(year, 1, 1), year_end(year)
    cases = Case.objects.in_region(region)
    registered = cases.filter(registered_on__gte=start, registered_on__lte=end).order_by("pk")
    by_kind: dict[str, list[int]] = {kind.value: [] for kind in CaseKind}
    by_body: dict[int, list[int]] = {}
    by_month: dict[int, list[int]] = {month: [] for month in range(1, 13)}
    for pk, kind, unit_id, day in registered.values_list("pk", "kind", "unit_id", "registered_on"):
        by_kind.setdefault(kind, []).append(pk)
        by_body.setdefault(unit_id, []).append(pk)
        by_month[day.month].append(pk)
    major = list(
        cases.filter(is_major=True, decided_on__gte=start, decided_on__lte=end)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    reviewed = set(
        LegalReview.objects.filter(
            case_id__in=major, result=ReviewResult.PASSED, on__lte=F("case__decided_on")
        ).values_list("case_id", flat=True)
    )
    return CaseFigures(by_kind, by_body, by_month, Share([pk for pk in major if pk in reviewed], major))


# --- 案卷评查 and 两法衔接 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BodyFileReview:
    """A body's case files scored in the published review rounds of a year, and their average total."""

    unit_id: int
    sample_ids: list[int]  # FileReviewSample ids
    average: Decimal
    excellent_or_good_ids: list[int]  # 优良: the files graded excellent or good

    @property
    def count(self) -> int:
        return len(self.sample_ids)


def file_review_by_body(region: Region, year: int) -> dict[int, BodyFileReview]:
    """Per body (unit id), the scored files of the region's published rounds whose period ends in the year
    (案卷评查卷数, the average score and the 优良 files)."""
    from .models import FileReviewGrade, FileReviewSample, FileReviewStatus

    rows = (
        FileReviewSample.objects.filter(
            round__region__path__startswith=region.path,
            round__status=FileReviewStatus.PUBLISHED,
            round__period_end__year=year,
            total__isnull=False,
        )
        .order_by("pk")
        .values_list("pk", "unit_id", "total", "grade")
    )
    found: dict[int, list[tuple[int, Decimal, str]]] = {}
    for pk, unit_id, total, grade in rows:
        found.setdefault(unit_id, []).append((pk, total or Decimal(0), grade))
    good = {FileReviewGrade.EXCELLENT, FileReviewGrade.GOOD}
    return {
        unit_id: BodyFileReview(
            unit_id,
            [pk for pk, _total, _grade in files],
            (sum((total for _pk, total, _grade in files), Decimal(0)) / len(files)).quantize(Decimal("0.01")),
            [pk for pk, _total, grade in files if grade in good],
        )
        for unit_id, files in found.items()
    }


def transfers_by_year(region: Region) -> dict[int, list[int]]:
    """The ids of the region's transfers to the police (两法衔接), by the year they were sent."""
    from .models import CaseTransfer

    found: dict[int, list[int]] = {}
    rows = CaseTransfer.objects.in_region(region).order_by("pk").values_list("pk", "transferred_on")
    for pk, day in rows:
        found.setdefault(day.year, []).append(pk)
    return found
