"""Writes of the reports app: storing the indicator values computed for a region or unit and year."""

from __future__ import annotations

from django.db import transaction

from .indicators import Scope, Value
from .models import IndicatorValue


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
