"""Collective names resolve to the right units, and aliases to the unit they meant on a given day."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.orgs import actions
from fazhi.orgs.models import Unit, UnitGroup
from fazhi.orgs.names import resolve
from fazhi.testing import Personas

pytestmark = pytest.mark.django_db


def names(units: object) -> set[str]:
    return {unit.name for unit in units}  # type: ignore[attr-defined]


def test_enforcement_group_takes_flagged_units_of_the_region_and_its_towns(personas: Personas) -> None:
    assert names(personas.enforcement_group_a.resolve()) == {"新城区司法局", "保合少镇人民政府"}


def test_a_kind_rule_without_lower_regions_leaves_towns_out(personas: Personas) -> None:
    with transaction.atomic():
        group = actions.save_group(
            None, region=personas.region_a, name="区直各部门", kinds=["department", "town"]
        )
    assert names(group.resolve()) == {"新城区司法局", "新城区发展和改革委员会"}


def test_listed_members_join_the_rule_and_inactive_units_drop_out(personas: Personas) -> None:
    with transaction.atomic():
        actions.save_group(personas.enforcement_group_a, members=[personas.reform_a])
        actions.save_unit(personas.town_unit_a, is_active=False)
    assert names(personas.enforcement_group_a.resolve()) == {"新城区司法局", "新城区发展和改革委员会"}


def test_a_group_cannot_list_another_regions_unit(personas: Personas) -> None:
    with pytest.raises(ValidationError), transaction.atomic():
        actions.save_group(personas.enforcement_group_a, members=[personas.justice_b])
    assert list(personas.enforcement_group_a.members.all()) == []


def test_the_python_membership_test_agrees_with_the_database(personas: Personas) -> None:
    with transaction.atomic():
        actions.save_group(None, region=personas.region_a, name="各镇街", kinds=["town", "street_office"],
                           include_subregions=True)  # fmt: skip
        actions.save_group(None, region=personas.region_a, name="决策", flags=["is_decision_body"],
                           members=[personas.justice_a])  # fmt: skip
    units = list(Unit.objects.select_related("region"))
    for group in UnitGroup.objects.select_related("region").prefetch_related("members"):
        listed = {m.pk for m in group.members.all()}
        by_python = {u.name for u in units if group.matches(u, listed, u.region.path)}
        assert by_python == names(group.resolve()), group.name


def test_an_abbreviation_resolves_within_its_own_region(personas: Personas) -> None:
    assert resolve(personas.region_a, "区司法局").unit == personas.justice_a
    assert resolve(personas.region_b, "区司法局").unit == personas.justice_b


def test_a_former_name_resolves_only_from_the_day_it_took_effect(personas: Personas) -> None:
    with transaction.atomic():
        actions.save_alias(None, region=personas.region_a, name="区法制办", unit=personas.justice_a,
                           valid_from=datetime.date(2019, 1, 1))  # fmt: skip
    assert resolve(personas.region_a, "区法制办", on=datetime.date(2024, 3, 1)).unit == personas.justice_a
    assert resolve(personas.region_a, "区法制办").unit == personas.justice_a
    assert not resolve(personas.region_a, "区法制办", on=datetime.date(2017, 3, 1)).known


def test_one_name_may_mean_different_units_in_different_periods_but_never_two_at_once(
    personas: Personas,
) -> None:
    with transaction.atomic():
        actions.save_alias(None, region=personas.region_a, name="区法制办", unit=personas.reform_a,
                           valid_to=datetime.date(2018, 12, 31))  # fmt: skip
        actions.save_alias(None, region=personas.region_a, name="区法制办", unit=personas.justice_a,
                           valid_from=datetime.date(2019, 1, 1))  # fmt: skip
    assert resolve(personas.region_a, "区法制办", on=datetime.date(2018, 6, 1)).unit == personas.reform_a
    assert resolve(personas.region_a, "区法制办", on=datetime.date(2019, 6, 1)).unit == personas.justice_a
    with pytest.raises(ValidationError, match="区法制办"), transaction.atomic():
        actions.save_alias(None, region=personas.region_a, name="区法制办", unit=personas.town_unit_a,
                           valid_from=datetime.date(2020, 1, 1))  # fmt: skip


def test_a_collective_name_resolves_to_its_members(personas: Personas) -> None:
    result = resolve(personas.region_a, "各行政执法单位")
    assert (result.kind, result.via) == ("group", "group")
    assert names(result.units) == {"新城区司法局", "保合少镇人民政府"}
    with transaction.atomic():
        actions.save_alias(
            None, region=personas.region_a, name="各行政执法部门", group=personas.enforcement_group_a
        )
    assert names(resolve(personas.region_a, "各行政执法部门").units) == {"新城区司法局", "保合少镇人民政府"}


def test_full_names_match_through_spaces_and_full_width_brackets(personas: Personas) -> None:
    with transaction.atomic():
        unit = actions.save_unit(None, region=personas.region_a, name="新城区人民政府(办公室)", kind="other")
    assert resolve(personas.region_a, " 新城区人民政府（办公室） ").unit == unit
    assert resolve(personas.town_a, "新城区司法局").unit == personas.justice_a


def test_an_unknown_name_is_reported_as_unknown(personas: Personas) -> None:
    result = resolve(personas.region_a, "区海洋局")
    assert not result.known
    assert result.units == []
    assert not resolve(personas.region_a, "莲湖区司法局").known
