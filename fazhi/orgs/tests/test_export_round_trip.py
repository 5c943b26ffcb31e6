"""Export → edit in Excel → import: an unedited export imports as a no-op, an edit changes just that row."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import openpyxl
from django.db import transaction
from django.test import Client
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.audit.recorder import acting_as
from fazhi.orgs import actions
from fazhi.orgs.models import Unit
from fazhi.orgs.tests.test_import_units import directory_state, run_import

BACKEND = "django.contrib.auth.backends.ModelBackend"


def richer_directory(personas: Any) -> None:
    """Every shape the format carries: twins in two regions, listed members, dated aliases, a retired unit."""
    a, town = personas.region_a, personas.town_a
    with acting_as(None, "test"), transaction.atomic():
        county_law = actions.save_unit(
            None, region=a, name="综合行政执法局", kind="department", phone="0471-5555555"
        )
        town_law = actions.save_unit(
            None, region=town, name="综合行政执法局", kind="other", is_enforcement_body=True
        )
        actions.save_unit(
            None, region=a, name="新城区老干部局", kind="party_organ", is_active=False, note="2019年撤并"
        )
        group = actions.save_group(
            None, members=[county_law, town_law, personas.justice_a], region=a, name="执法协作单位",
            kinds=["town", "street_office"], include_subregions=True, note="联席会议",
        )  # fmt: skip
        actions.save_alias(None, region=a, name="区执法局", unit=county_law)
        actions.save_alias(
            None, region=a, name="区法制办", unit=personas.justice_a, valid_to=datetime.date(2018, 12, 31)
        )
        actions.save_alias(
            None,
            region=a,
            name="区发改局",
            unit=personas.reform_a,
            valid_from=datetime.date(2019, 1, 1),
            note="改革后",
        )
        actions.save_alias(None, region=a, name="协作单位", group=group, valid_from=datetime.date(2020, 1, 1))
        actions.save_alias(None, region=town, name="镇执法队", unit=town_law)
        actions.save_alias(
            None, region=town, name="区司法局", unit=personas.justice_a
        )  # a target above the town


def export(user: Any, region: Any) -> Any:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client.get(reverse("orgs:export"), {"region": region.pk})


def test_an_unedited_export_imports_as_a_no_op(personas: Any, tmp_path: Path) -> None:
    richer_directory(personas)
    response = export(personas.coordinator, personas.region_a)
    assert response.status_code == 200
    path = tmp_path / "export.xlsx"
    path.write_bytes(response.content)
    counts, digest, (head_seq, _hash) = directory_state()

    result = run_import(path, personas.coordinator)
    assert result.ok, result.errors
    assert (
        result.counts["单位"].unchanged
        == Unit.objects.filter(region__path__startswith=personas.region_a.path).count()
    )
    assert all(c.created == c.updated == 0 for c in result.counts.values())
    assert result.counts["别名"].unchanged == 7
    assert result.counts["单位组"].unchanged == 2
    after_counts, after_digest, (after_seq, _after_hash) = directory_state()
    assert (after_counts, after_digest) == (counts, digest)
    assert list(AuditEntry.objects.filter(seq__gt=head_seq).values_list("action", flat=True)) == ["import"]
    assert after_seq == head_seq + 1


def test_the_export_is_in_the_import_format_and_an_edited_cell_updates_only_that_row(
    personas: Any, tmp_path: Path
) -> None:
    richer_directory(personas)
    workbook = openpyxl.load_workbook(io.BytesIO(export(personas.coordinator, personas.region_a).content))
    units = {
        (row[0], str(row[1]).rsplit("/", 1)[-1]): row
        for row in workbook["单位"].iter_rows(min_row=2, values_only=True)
    }
    assert units["新城区司法局", "新城区"][:6] == (
        "新城区司法局",
        "内蒙古自治区/呼和浩特市/新城区",
        "政府部门",
        "是",
        "否",
        "区司法局",
    )
    assert units["新城区老干部局", "新城区"][8] == "撤销"
    groups = {row[0]: row for row in workbook["单位组"].iter_rows(min_row=2, values_only=True)}
    # The town's twin is written with its region, the county's by its bare name.
    assert (
        groups["执法协作单位"][5]
        == "新城区司法局、综合行政执法局、内蒙古自治区/呼和浩特市/新城区/保合少镇/综合行政执法局"
    )
    aliases = {row[0]: row for row in workbook["别名"].iter_rows(min_row=2, values_only=True)}
    assert "区执法局" not in aliases  # an always-valid abbreviation travels in the 简称 column
    assert (units["综合行政执法局", "新城区"][5], units["综合行政执法局", "保合少镇"][5]) == (
        "区执法局",
        "镇执法队",
    )
    assert aliases["区法制办"][4] == datetime.datetime(2018, 12, 31)

    sheet = workbook["单位"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "新城区司法局")
    row[6].value = "0471-2222222"
    path = tmp_path / "edited.xlsx"
    workbook.save(path)
    result = run_import(path, personas.coordinator)
    assert result.ok, result.errors
    assert result.counts["单位"].updated == 1
    assert result.counts["别名"].updated == 0
    assert Unit.objects.get(pk=personas.justice_a.pk).phone == "0471-2222222"


def test_the_export_is_open_to_directory_readers_of_that_region_only(personas: Any) -> None:
    assert export(personas.liaison, personas.region_a).status_code == 200
    assert export(personas.liaison_b, personas.region_a).status_code == 404
    assert export(personas.coordinator_b, personas.region_a).status_code == 404
    assert Client().get(reverse("orgs:export"), {"region": personas.region_a.pk}).status_code == 302
