"""案卷评查 (case file review): every write to a review round, and who reaches which round.

The round's life: draft → sampled → scoring → published (`TRANSITIONS`); each change goes through
`_transition`, which works on the locked round row and writes a FileReviewEvent (the audit trail records every
save through fazhi.audit's signal handlers).

- The draw is reproducible. The files drawn from are the round region's cases (its whole subtree) closed in
  the period and now closed or archived, as a list of ids in pk order; the sample is
  `random.Random(seed).sample(ids, n)`. The round keeps both the seed and that list, so `verify_draw` (or
  anybody with the two) repeats the draw: the same seed and files give the same sample, another seed another.
  The office may redraw while nothing is scored; once the first file is scored the draw is fixed.
- A reviewer scores every item of the checklist for a file, none above its maximum; the file's total is the
  sum and its grade follows the checklist's lines (share of the full marks).
- Publishing needs every file scored. It freezes the round (no score changes afterwards) and stores each
  body's result: its files, average total and grade. The body's grade earns the points the checklist sets for
  it (rules as data, e.g. +1 for 优秀, −1 for 不合格); points other than 0 become a supervision
  ScoreAdjustment of the round's region and year, the same audited bonus/deduction entry the office makes by
  hand, so the plan's assessment (fazhi.supervision.scoring) counts it with no change there, under the same
  cap on bonus points. The result row links to the entry; the entry's reason names the round.
"""

from __future__ import annotations

import math
import random
import secrets
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.orgs.access import can_manage_region, get_or_404, path_q, scope_for
from fazhi.orgs.actions import apply_fields
from fazhi.orgs.models import Region
from fazhi.supervision.models import ScoreAdjustment

from .models import (
    Case,
    CaseStatus,
    FileReviewBodyResult,
    FileReviewChecklist,
    FileReviewEvent,
    FileReviewGrade,
    FileReviewItem,
    FileReviewRound,
    FileReviewSample,
    FileReviewScore,
    FileReviewStatus,
)
from .transfers import staff_unit_ids

S = FileReviewStatus
CENT = Decimal("0.01")
# The seed the office is shown and may read out: twelve digits are easy to copy, and plenty for a draw.
SEED_LIMIT = 10**12
MAX_SEED = 2**63 - 1  # the column is a signed 64-bit integer

# status before → the statuses it may move to.
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SAMPLED},
    S.SAMPLED: {S.SAMPLED, S.SCORING},  # sampled → sampled: redrawn before any file was scored
    S.SCORING: {S.PUBLISHED},
    S.PUBLISHED: set(),
}

# A common 行政处罚案卷评查 checklist (100 points) for a region that has none yet; each region edits its own.
STANDARD_CHECKLIST: list[tuple[str, str, int]] = [
    ("主体合法", "执法主体适格，执法人员具有执法资格并出示证件", 10),
    ("事实证据", "违法事实清楚，证据确凿充分，证据形式合法", 25),
    ("适用法律", "适用法律、法规、规章正确，引用条款准确", 15),
    ("程序合法", "立案、调查、告知、陈述申辩、听证、法制审核、决定、送达程序合法", 25),
    ("裁量适当", "处罚适当，符合裁量基准，偏离基准说明理由", 10),
    ("文书规范", "文书制作规范，内容完整，卷宗装订、归档符合要求", 15),
]


def _points(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- who reaches what ---------------------------------------------------------------------------------------


def office_paths(user: Any) -> tuple[str, ...]:
    """The regions whose rounds the user reads: as their coordinator or their leader."""
    scope = scope_for(user)
    return (*scope.managed_paths, *scope.leader_paths)


def rounds_for(user: Any) -> QuerySet[FileReviewRound]:
    """Every round of the regions the user coordinates or leads (drafts included)."""
    if scope_for(user).is_admin:
        return FileReviewRound.objects.all()
    return FileReviewRound.objects.filter(path_q(office_paths(user), "region__path"))


def can_manage(user: Any, round: FileReviewRound) -> bool:
    """The office of the round's region (or of a region above it) and the administrator (None: the system)."""
    return user is None or can_manage_region(user, round.region)


def get_round_for_user(user: Any, pk: Any, write: bool = False) -> FileReviewRound:
    round: FileReviewRound = get_or_404(rounds_for(user).select_related("region", "checklist"), pk)
    if write and not can_manage(user, round):
        raise PermissionDenied
    return round


def result_unit_ids(user: Any) -> set[int] | None:
    """The bodies whose published results the user sees: those where they work (head, liaison or officer);
    None for the administrator, who sees every body's."""
    return None if scope_for(user).is_admin else staff_unit_ids(user)


def results_for(user: Any) -> QuerySet[FileReviewBodyResult]:
    """The published results of the bodies where the user works."""
    results = FileReviewBodyResult.objects.filter(round__status=S.PUBLISHED).select_related("round", "unit")
    unit_ids = result_unit_ids(user)
    return results if unit_ids is None else results.filter(unit_id__in=unit_ids)


def get_published_round_for_staff(user: Any, pk: Any) -> FileReviewRound:
    """A published round in which one of the user's bodies has files (else 404)."""
    rounds = FileReviewRound.objects.published()
    unit_ids = result_unit_ids(user)
    if unit_ids is not None:
        rounds = rounds.filter(body_results__unit_id__in=unit_ids).distinct()
    round: FileReviewRound = get_or_404(rounds.select_related("region", "checklist"), pk)
    return round


def checklists_for_region(region: Region) -> QuerySet[FileReviewChecklist]:
    """The checklists a round of `region` may use: its own and those of the regions above it."""
    return FileReviewChecklist.objects.filter(region_id__in=region.ancestor_ids).select_related("region")


# --- checklists ---------------------------------------------------------------------------------------------


def _check_checklist_open(checklist: FileReviewChecklist) -> None:
    if checklist.pk and checklist.rounds.exclude(status=S.DRAFT).exists():
        raise ValidationError(
            _("This checklist has been used in a round: add a new checklist with a later start date instead.")
        )


@transaction.atomic
def save_checklist(user: Any, checklist: FileReviewChecklist | None, **fields: Any) -> FileReviewChecklist:
    checklist = checklist or FileReviewChecklist()
    region = fields.get("region", checklist.region if checklist.region_id else None)
    if region is None or not (user is None or can_manage_region(user, region)):
        raise PermissionDenied
    _check_checklist_open(checklist)
    return apply_fields(checklist, fields)


@transaction.atomic
def save_item(user: Any, item: FileReviewItem | None, **fields: Any) -> FileReviewItem:
    item = item or FileReviewItem()
    checklist = fields.get("checklist", item.checklist if item.checklist_id else None)
    if checklist is None or not (user is None or can_manage_region(user, checklist.region)):
        raise PermissionDenied
    _check_checklist_open(checklist)
    return apply_fields(item, fields)


@transaction.atomic
def make_standard_checklist(user: Any, region: Region, effective_from: Any) -> FileReviewChecklist:
    """A region's first checklist, from STANDARD_CHECKLIST (the office edits it before using it)."""
    checklist = save_checklist(
        user, None, region=region, name=_("Case file review checklist"), effective_from=effective_from
    )
    for order, (group, text, points) in enumerate(STANDARD_CHECKLIST, start=1):
        save_item(
            user, None, checklist=checklist, group=group, text=text, max_points=Decimal(points), order=order
        )
    return checklist


def full_marks(checklist: FileReviewChecklist) -> Decimal:
    return sum((item.max_points for item in checklist.items.all()), Decimal(0))


def grade_for(total: Decimal, marks: Decimal, checklist: FileReviewChecklist) -> str:
    share = total / marks if marks else Decimal(0)
    if share >= checklist.excellent_from:
        return FileReviewGrade.EXCELLENT
    if share >= checklist.good_from:
        return FileReviewGrade.GOOD
    if share >= checklist.pass_from:
        return FileReviewGrade.PASS
    return FileReviewGrade.FAIL


def assessment_points(checklist: FileReviewChecklist, grade: str) -> Decimal:
    points: Decimal = getattr(checklist, f"{grade}_points")
    return points


# --- rounds -------------------------------------------------------------------------------------------------


@transaction.atomic
def create_round(user: Any, **fields: Any) -> FileReviewRound:
    """A draft round: region, title, period, sample size or rate, and the checklist."""
    region = fields.get("region")
    if region is None or not (user is None or can_manage_region(user, region)):
        raise PermissionDenied
    checklist = fields.get("checklist")
    if checklist is None or checklist.region_id not in region.ancestor_ids:
        raise ValidationError({"checklist": _("Choose a checklist of this region or of a region above it.")})
    if not checklist.items.exists():
        raise ValidationError({"checklist": _("This checklist has no items yet: add its items first.")})
    return apply_fields(FileReviewRound(status=S.DRAFT), fields)


def _lock(round: FileReviewRound) -> FileReviewRound:
    """The round row, locked until the transaction ends: two people drawing or publishing at once queue."""
    locked: FileReviewRound = (
        FileReviewRound.objects.select_for_update().select_related("region", "checklist").get(pk=round.pk)
    )
    return locked


def _transition(round: FileReviewRound, to: str, user: Any, note: str = "", **fields: Any) -> FileReviewRound:
    """Move a locked round to `to`, with the fields that go with it, and write the status-change row."""
    if to not in TRANSITIONS[round.status]:
        raise ValidationError(
            _("A round that is “%(status)s” cannot become “%(to)s”.")
            % {"status": round.get_status_display(), "to": S(to).label}
        )
    before = round.status
    for name, value in fields.items():
        setattr(round, name, value)
    round.status = to
    round.save()
    FileReviewEvent.objects.create(
        round=round,
        from_status=before,
        to_status=to,
        by=user if getattr(user, "is_authenticated", False) else None,
        note=note[:200],
    )
    return round


def population(round: FileReviewRound) -> list[int]:
    """The ids, in pk order, of the region's cases closed in the period and now closed or archived."""
    cases = Case.objects.in_region(round.region).filter(
        status__in=[CaseStatus.CLOSED, CaseStatus.ARCHIVED],
        closed_on__gte=round.period_start,
        closed_on__lte=round.period_end,
    )
    return list(cases.order_by("pk").values_list("pk", flat=True))


def sample_count(round: FileReviewRound, available: int) -> int:
    """How many files to draw: the number asked, or the share rounded up; never more than there are."""
    if round.sample_size is not None:
        wanted = round.sample_size
    else:
        wanted = math.ceil(Decimal(round.sample_rate or 0) * available)
    return min(wanted, available)


def draw_sample(ids: Sequence[int], seed: int, count: int) -> list[int]:
    """The reproducible draw: `count` ids out of `ids` (sorted first), in the order drawn."""
    # Not for secrecy: a seeded generator is the point, so that anybody can repeat the draw.
    return random.Random(seed).sample(sorted(ids), count)  # noqa: S311


def new_seed() -> int:
    return secrets.randbelow(SEED_LIMIT)


@transaction.atomic
def draw(user: Any, round: FileReviewRound, seed: int | None = None) -> FileReviewRound:
    """Draw the sample (or draw it again while nothing is scored), recording the seed and the files."""
    round = _lock(round)
    if not can_manage(user, round):
        raise PermissionDenied
    if round.status in (S.SCORING, S.PUBLISHED):
        raise ValidationError(_("Scoring has started: the sample is fixed and cannot be drawn again."))
    if seed is None:
        seed = new_seed()
    if not 0 <= seed <= MAX_SEED:
        raise ValidationError(_("The seed must be a whole number from 0 to 9223372036854775807."))
    ids = population(round)
    if not ids:
        raise ValidationError(_("No case of the region was closed in this period: there is nothing to draw."))
    drawn = draw_sample(ids, seed, sample_count(round, len(ids)))
    redraw = round.status == S.SAMPLED
    round.samples.all().delete()  # only before scoring (checked above): nothing scored is lost
    units = dict(Case.objects.filter(pk__in=drawn).values_list("pk", "unit_id"))
    # One create per file (not bulk_create), so the audit trail records each drawn file.
    for position, pk in enumerate(drawn, start=1):
        FileReviewSample.objects.create(round=round, case_id=pk, unit_id=units[pk], position=position)
    note = (_("Drawn again with seed %(seed)s") if redraw else _("Drawn with seed %(seed)s")) % {"seed": seed}
    return _transition(
        round,
        S.SAMPLED,
        user,
        note,
        seed=seed,
        population=ids,
        drawn_at=timezone.now(),
        drawn_by=user if getattr(user, "is_authenticated", False) else None,
    )


def verify_draw(round: FileReviewRound) -> bool:
    """Whether the recorded seed and files give exactly the files drawn, in the same order."""
    if round.seed is None:
        return False
    drawn = list(round.samples.order_by("position").values_list("case_id", flat=True))
    return draw_sample(round.population, round.seed, len(drawn)) == drawn


@dataclass(frozen=True)
class ItemScore:
    points: Decimal
    comment: str = ""


@transaction.atomic
def score_file(
    user: Any, sample: FileReviewSample, scores: Mapping[int, ItemScore], comment: str = ""
) -> FileReviewSample:
    """Score one drawn file on every item of the round's checklist (scoring again replaces the scores)."""
    round = _lock(sample.round)
    if not can_manage(user, round):
        raise PermissionDenied
    if round.status == S.PUBLISHED:
        raise ValidationError(_("The round is published: its scores are frozen."))
    if round.status not in (S.SAMPLED, S.SCORING):
        raise ValidationError(_("Draw the sample before scoring."))
    sample = FileReviewSample.objects.select_for_update().get(pk=sample.pk, round=round)
    items = list(round.checklist.items.all())
    errors: dict[str, list[str]] = {}
    for item in items:
        given = scores.get(item.pk)
        if given is None:
            errors.setdefault("__all__", []).append(
                _("Score every item: “%(item)s” has no points.") % {"item": item.text}
            )
        elif given.points < 0 or given.points > item.max_points or given.points != _points(given.points):
            errors.setdefault(f"item_{item.pk}", []).append(
                _("Give “%(item)s” between 0 and %(max)s points, with at most two decimals.")
                % {"item": item.text, "max": item.max_points}
            )
    if set(scores) - {item.pk for item in items}:
        errors.setdefault("__all__", []).append(_("A score was given for an item of another checklist."))
    if errors:
        raise ValidationError(errors)
    for item in items:
        given = scores[item.pk]
        FileReviewScore.objects.update_or_create(
            sample=sample, item=item, defaults={"points": given.points, "comment": given.comment.strip()}
        )
    sample.total = sum((scores[item.pk].points for item in items), Decimal(0))
    sample.grade = grade_for(sample.total, sum((i.max_points for i in items), Decimal(0)), round.checklist)
    sample.comment = comment.strip()
    sample.reviewer = user if getattr(user, "is_authenticated", False) else None
    sample.scored_at = timezone.now()
    sample.save()
    if round.status == S.SAMPLED:
        _transition(round, S.SCORING, user, _("First file scored"))
    return sample


@dataclass(frozen=True)
class BodyTotals:
    unit_id: int
    files: int
    average: Decimal
    grade: str


def body_totals(round: FileReviewRound) -> list[BodyTotals]:
    """Each body's scored files, average total and grade (by the checklist's lines)."""
    marks = full_marks(round.checklist)
    totals: dict[int, list[Decimal]] = defaultdict(list)
    for unit_id, total in round.samples.filter(total__isnull=False).values_list("unit_id", "total"):
        totals[unit_id].append(total or Decimal(0))
    rows = []
    for unit_id, values in totals.items():
        average = _points(sum(values, Decimal(0)) / len(values))
        rows.append(BodyTotals(unit_id, len(values), average, grade_for(average, marks, round.checklist)))
    return sorted(rows, key=lambda row: (-row.average, row.unit_id))


@transaction.atomic
def publish(user: Any, round: FileReviewRound) -> FileReviewRound:
    """Publish a fully scored round: freeze it, store each body's result and enter its assessment points."""
    round = _lock(round)
    if not can_manage(user, round):
        raise PermissionDenied
    if round.status == S.PUBLISHED:
        raise ValidationError(_("The round is already published."))
    unscored = round.samples.filter(total__isnull=True).count()
    if round.status != S.SCORING or unscored:
        raise ValidationError(
            _("Score every drawn file before publishing: %(count)s not scored yet.") % {"count": unscored}
        )
    by = user if getattr(user, "is_authenticated", False) else None
    for row in body_totals(round):
        points = assessment_points(round.checklist, row.grade)
        adjustment = None
        if points:
            adjustment = ScoreAdjustment.objects.create(
                region=round.region,
                unit_id=row.unit_id,
                year=round.period_end.year,
                points=points,
                reason=(
                    _("Case file review “%(title)s”: average %(average)s, %(grade)s")
                    % {
                        "title": round.title,
                        "average": row.average,
                        "grade": FileReviewGrade(row.grade).label,
                    }
                )[:200],
                created_by=by,
            )
        FileReviewBodyResult.objects.create(
            round=round,
            unit_id=row.unit_id,
            files=row.files,
            average=row.average,
            grade=row.grade,
            adjustment=adjustment,
        )
    return _transition(round, S.PUBLISHED, user, published_at=timezone.now(), published_by=by)


def readable_samples(round: FileReviewRound, unit_ids: set[int] | None = None) -> QuerySet[FileReviewSample]:
    """A round's files with their case and body (only those of `unit_ids`, if given), in draw order."""
    samples = round.samples.select_related("case", "unit", "reviewer").order_by("position")
    return samples.filter(unit_id__in=unit_ids) if unit_ids is not None else samples


def scores_by_sample(samples: Sequence[FileReviewSample]) -> dict[int, dict[int, FileReviewScore]]:
    """sample id → item id → score, in one query."""
    found: dict[int, dict[int, FileReviewScore]] = defaultdict(dict)
    for score in FileReviewScore.objects.filter(sample__in=[s.pk for s in samples]):
        found[score.sample_id][score.item_id] = score
    return found


def office_region_choices(user: Any) -> QuerySet[Region]:
    """The regions where the user may open a round."""
    if scope_for(user).is_admin:
        return Region.objects.all()
    return Region.objects.filter(path_q(scope_for(user).managed_paths, "path"))
