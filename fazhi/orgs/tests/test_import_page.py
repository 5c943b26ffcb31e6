"""The import page: who may use it, what an upload shows, and the template it offers."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fazhi.orgs.models import Unit
from fazhi.orgs.tests.test_import_units import (
    UNIT_HEADER,
    directory_state,
    good_workbook,
    run_import,
    write_xlsx,
)

BACKEND = "django.contrib.auth.backends.ModelBackend"


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend=BACKEND)
    return client


def upload(client: Client, path: Path, check_only: bool = False) -> Any:
    data: dict[str, Any] = {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    if check_only:
        data["check_only"] = "on"
    return client.post(reverse("orgs:import"), data)


@pytest.mark.parametrize("who", ["liaison", "leader", "unit_head", "no_role", "liaison_b"])
def test_people_who_do_not_coordinate_cannot_open_the_page_or_the_template(who: str, personas: Any) -> None:
    client = client_for(personas.by_name()[who])
    assert client.get(reverse("orgs:import")).status_code == 403
    assert client.get(reverse("orgs:import_template")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(personas: Any) -> None:
    response = Client().get(reverse("orgs:import"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_coordinator_sees_the_form_and_can_export_only_regions_they_read(personas: Any) -> None:
    response = client_for(personas.coordinator).get(reverse("orgs:import"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("orgs:import_template") in page
    assert reverse("orgs:export") in page
    assert "新城区" in page
    assert "莲湖区" not in page
    assert 'style="' not in page
    assert "<script>" not in page


def test_uploading_shows_the_summary_and_check_only_writes_nothing(personas: Any, tmp_path: Path) -> None:
    client = client_for(personas.coordinator)
    before = directory_state()
    checked = upload(client, good_workbook(tmp_path), check_only=True)
    assert checked.status_code == 200
    assert checked.context["result"].ok
    assert not checked.context["result"].applied
    assert directory_state() == before
    imported = upload(client, good_workbook(tmp_path))
    assert imported.context["result"].applied
    assert "名录.xlsx" in imported.content.decode()
    assert Unit.objects.filter(name="新城区市场监督管理局").exists()


def test_a_bad_upload_shows_the_error_table_and_writes_nothing(personas: Any, tmp_path: Path) -> None:
    bad = write_xlsx(tmp_path / "bad.xlsx", {"单位": [UNIT_HEADER, ["新城区审计局", "火星区", "局"]]})
    client = client_for(personas.coordinator)  # signing in is audited too: look after it
    before = directory_state()
    response = upload(client, bad)
    page = response.content.decode()
    assert "<td>2</td>" in page
    assert "所属区域" in page
    assert "火星区" in page
    assert directory_state() == before


def test_a_coordinator_of_another_region_cannot_import_into_this_one(personas: Any, tmp_path: Path) -> None:
    client = client_for(personas.coordinator_b)
    before = directory_state()
    response = upload(client, good_workbook(tmp_path))
    result = response.context["result"]
    assert result.errors
    assert {e.column for e in result.errors} == {"所属区域"}
    assert directory_state() == before


def test_an_oversized_upload_is_refused_before_it_is_read(
    personas: Any, tmp_path: Path, settings: Any
) -> None:
    settings.FAZHI_UPLOAD_MAX_BYTES = 2048
    client = client_for(personas.coordinator)
    before = directory_state()
    result = upload(client, good_workbook(tmp_path)).context["result"]
    assert len(result.errors) == 1
    assert "MB" in result.errors[0].message
    assert directory_state() == before


def test_the_template_explains_the_columns_offers_dropdowns_and_its_example_rows_do_not_import(
    personas: Any, tmp_path: Path
) -> None:
    response = client_for(personas.coordinator).get(reverse("orgs:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:4] == ["说明", "单位", "单位组", "别名"]
    units = workbook["单位"]
    assert [c.value for c in units[1]] == UNIT_HEADER
    assert units["B2"].value == "内蒙古自治区/呼和浩特市/新城区"
    rules = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in units.data_validations.dataValidation}
    assert "政府部门" in rules["C2"]
    assert rules["D2"] == '"是,否"'
    assert rules["I2"] == '"在用,撤销"'
    assert set(UNIT_HEADER) <= {c.value for c in workbook["说明"]["B"]}
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    before = directory_state()
    result = run_import(path, personas.coordinator)
    assert [(e.sheet, e.row) for e in result.errors] == [("单位", 2), ("单位组", 2), ("别名", 2)]
    assert directory_state() == before
