"""Assessment (考核): a score and a rank per unit, with the parts that explain it.

    score = completion rate × completion weight
          + on-time rate × timeliness weight
          + (average quality rating ÷ 5) × quality weight
          − red cards × points per red card
          + min(bonus points entered, maximum bonus)
          + deductions entered (negative points)

- The weights are the region's (`SupervisionRules.weights()`), as in force at the end of the plan year, or
  today if the year has not ended.
- Rates and red cards follow `fazhi.supervision.dashboards`: completion over the unit's assignments, on time
  over its reports due or submitted, quality over its accepted reports that were rated. A red card is a report
  first submitted after its red-card date, or still owed past it.
- A part with nothing to measure yet (no reports due, no ratings) scores 0.
- Each part is rounded to two decimals and the score is the sum of the rounded parts, so the breakdown a unit
  sees adds up to its score. Ranks go by score, highest first; equal scores share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet

from fazhi.plans.models import Assignment, Plan

from .dashboards import Ratio, UnitRow, add_report_stats, assignment_grid, sorted_units
from .models import Report, ScoreAdjustment, SupervisionRules

CENT = Decimal("0.01")
FIVE = Decimal(5)


def _points(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _ratio(done: int | Decimal, total: int | Decimal) -> Decimal:
    return Decimal(done) / Decimal(total) if total else Decimal(0)


@dataclass(frozen=True)
class Weights:
    completion: Decimal
    timeliness: Decimal
    quality: Decimal
    red_card: Decimal
    max_bonus: Decimal

    @classmethod
    def from_rules(cls, weights: Mapping[str, Any]) -> Weights:
        return cls(*(Decimal(str(weights[name])) for name in cls.__dataclass_fields__))

    @property
    def full_marks(self) -> Decimal:
        return self.completion + self.timeliness + self.quality


@dataclass(frozen=True)
class ScoreInput:
    """What a unit's score is computed from: counts from its reports and the office's entries."""

    unit_id: int
    name: str
    completed: int = 0
    assignments: int = 0
    on_time: int = 0
    timed: int = 0  # reports due by now or submitted: the on-time rate's denominator
    rated: int = 0
    quality_sum: int = 0
    red_cards: int = 0
    bonus: Decimal = Decimal(0)  # positive entries, before the cap
    deductions: Decimal = Decimal(0)  # negative entries


@dataclass
class UnitScore:
    input: ScoreInput
    completion: Decimal
    timeliness: Decimal
    quality: Decimal
    red_cards: Decimal  # negative points
    bonus: Decimal  # after the cap
    deductions: Decimal
    score: Decimal
    rank: int = 0
    adjustments: list[ScoreAdjustment] = field(default_factory=list)

    @property
    def unit_id(self) -> int:
        return self.input.unit_id

    @property
    def name(self) -> str:
        return self.input.name

    @property
    def completion_ratio(self) -> Ratio:
        return Ratio(self.input.completed, self.input.assignments)

    @property
    def on_time_ratio(self) -> Ratio:
        return Ratio(self.input.on_time, self.input.timed)

    @property
    def completion_rate(self) -> Decimal:
        return _ratio(self.input.completed, self.input.assignments)

    @property
    def on_time_rate(self) -> Decimal:
        return _ratio(self.input.on_time, self.input.timed)

    @property
    def average_quality(self) -> Decimal | None:
        return _ratio(self.input.quality_sum, self.input.rated) if self.input.rated else None

    @property
    def bonus_capped(self) -> bool:
        return self.input.bonus > self.bonus


def score(unit: ScoreInput, weights: Weights) -> UnitScore:
    completion = _points(_ratio(unit.completed, unit.assignments) * weights.completion)
    timeliness = _points(_ratio(unit.on_time, unit.timed) * weights.timeliness)
    quality = _points(_ratio(unit.quality_sum, unit.rated) / FIVE * weights.quality)
    red_cards = _points(-unit.red_cards * weights.red_card)
    bonus = _points(min(unit.bonus, weights.max_bonus))
    deductions = _points(unit.deductions)
    total = completion + timeliness + quality + red_cards + bonus + deductions
    return UnitScore(unit, completion, timeliness, quality, red_cards, bonus, deductions, total)


def rank(scores: Iterable[UnitScore]) -> list[UnitScore]:
    """Highest score first; equal scores share a rank and the next rank skips (1, 2, 2, 4)."""
    ordered = sorted(scores, key=lambda s: (-s.score, s.name, s.unit_id))
    for position, row in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        row.rank = previous.rank if previous is not None and previous.score == row.score else position
    return ordered


def score_units(inputs: Iterable[ScoreInput], weights: Weights) -> list[UnitScore]:
    return rank(score(unit, weights) for unit in inputs)


# --- from the database ------------------------------------------------------------------------------------


def rules_day(plan: Plan, today: datetime.date) -> datetime.date:
    return min(today, datetime.date(plan.year, 12, 31))


def plan_weights(plan: Plan, today: datetime.date) -> Weights:
    return Weights.from_rules(SupervisionRules.for_region(plan.region, rules_day(plan, today)).weights())


@dataclass
class Assessment:
    plan: Plan
    weights: Weights
    rows: list[UnitScore]

    def for_unit(self, unit_id: int) -> UnitScore | None:
        return next((row for row in self.rows if row.unit_id == unit_id), None)


def inputs_from(units: Iterable[UnitRow], adjustments: Iterable[ScoreAdjustment]) -> list[ScoreInput]:
    bonus: dict[int, Decimal] = defaultdict(Decimal)
    deductions: dict[int, Decimal] = defaultdict(Decimal)
    for adjustment in adjustments:
        if adjustment.points > 0:
            bonus[adjustment.unit_id] += adjustment.points
        else:
            deductions[adjustment.unit_id] += adjustment.points
    return [
        ScoreInput(
            unit_id=unit.unit_id,
            name=unit.name,
            completed=unit.assignments.done,
            assignments=unit.assignments.total,
            on_time=unit.on_time.done,
            timed=unit.on_time.total,
            rated=unit.rated,
            quality_sum=unit.quality_sum,
            red_cards=unit.red_cards,
            bonus=bonus[unit.unit_id],
            deductions=deductions[unit.unit_id],
        )
        for unit in units
    ]


def assess(
    plan: Plan,
    assignments: QuerySet[Assignment],
    reports: QuerySet[Report],
    adjustments: QuerySet[ScoreAdjustment],
    today: datetime.date,
) -> Assessment:
    """Four queries: the rules, assignments per unit, report counts per unit, the office's entries."""
    weights = plan_weights(plan, today)
    units = assignment_grid(assignments, None)
    add_report_stats(units, reports, today)
    # The office's entries for the region and year are few; those of units without tasks here are left out.
    entries = [
        entry
        for entry in adjustments.select_related("created_by").order_by("created_at", "pk")
        if entry.unit_id in units
    ]
    rows = score_units(inputs_from(sorted_units(units), entries), weights)
    by_unit: dict[int, list[ScoreAdjustment]] = defaultdict(list)
    for entry in entries:
        by_unit[entry.unit_id].append(entry)
    for row in rows:
        row.adjustments = by_unit[row.unit_id]
    return Assessment(plan, weights, rows)
