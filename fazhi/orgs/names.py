"""Resolving the names plans use (区发改委, 区法制办, 各行政执法单位) to directory units.

Lookup order, inside the region and the regions above it (a district plan may name a city body): an active
unit's exact name, then an alias valid on the given day, then a unit group's name. Names are compared after
normalising spaces and full-width/half-width brackets.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Q

from .models import Alias, Region, Unit, UnitGroup

_SPACES = re.compile(r"\s+")
_FULL_WIDTH = str.maketrans({"（": "(", "）": ")", "〔": "(", "〕": ")", "【": "(", "】": ")"})


def normalise(name: str) -> str:
    return _SPACES.sub("", name).translate(_FULL_WIDTH)


@dataclass
class Resolution:
    name: str
    kind: str  # "unit", "group" or "unknown"
    via: str = ""  # "name", "alias" or "group"
    unit: Unit | None = None
    group: UnitGroup | None = None
    alias: Alias | None = None
    units: list[Unit] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return self.kind != "unknown"


def _ancestry_q(region: Region, field_name: str = "region") -> Q:
    return Q(**{f"{field_name}_id__in": region.ancestor_ids})


def resolve(region: Region, name: str, on: datetime.date | None = None) -> Resolution:
    wanted = normalise(name)
    unit = (
        Unit.objects.active()
        .filter(Q(region__path__startswith=region.path) | _ancestry_q(region), name=wanted)
        .order_by("-region__path")
        .first()
    )
    if unit is not None:
        return Resolution(name, "unit", "name", unit=unit, units=[unit])
    aliases = Alias.objects.filter(_ancestry_q(region), name=wanted).select_related("unit", "group__region")
    if on is not None:
        aliases = aliases.valid_on(on)
    alias = aliases.order_by("-region__path", "-valid_from").first()
    if alias is not None and alias.unit is not None:
        return Resolution(name, "unit", "alias", unit=alias.unit, alias=alias, units=[alias.unit])
    group = alias.group if alias is not None else None
    if group is None:
        group = (
            UnitGroup.objects.filter(_ancestry_q(region), name=wanted)
            .select_related("region")
            .order_by("-region__path")
            .first()
        )
    if group is not None:
        members = list(group.resolve().order_by("sort_order", "name"))
        return Resolution(
            name, "group", "alias" if alias else "group", group=group, alias=alias, units=members
        )
    return Resolution(name, "unknown")
