"""The import page: the office of a region uploads any register, sees every bad row and imports nothing on a
problem; nobody imports into a region they do not manage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.enforcement.models import EnforcementBody, Officer
from fazhi.testing import Personas

from .registering import write_xlsx

URL = reverse("enforcement:register_import")
OFFICERS = [
    ["执法主体", "姓名", "执法证号", "发证机关", "有效期起"],
    ["新城区司法局", "张三", "15010001", "内蒙古自治区人民政府", "2023-01-01"],
    ["区司法局", "李四", "15010002", "内蒙古自治区人民政府", "2024-03-01"],
]


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def upload(client: Client, register: str, region: Any, path: Path) -> Any:
    file = SimpleUploadedFile(path.name, path.read_bytes())
    return client.post(URL, {"register": register, "region": region.pk, "file": file})


def test_the_office_imports_a_register_and_sees_the_counts(personas: Personas, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "officers.xlsx", OFFICERS)
    response = upload(client_for(personas.coordinator), "officers", personas.region_a, path)
    assert response.status_code == 200
    result = response.context["result"]
    assert result.applied
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert set(Officer.objects.values_list("unit", flat=True)) == {personas.justice_a.pk}
    import_entry = AuditEntry.objects.get(action="import")
    assert import_entry.actor_name == personas.coordinator.username
    assert import_entry.target_repr == "officers.xlsx"
    again = upload(client_for(personas.coordinator), "officers", personas.region_a, path).context["result"]
    assert (again.created, again.unchanged) == (0, 2)


def test_a_bad_file_lists_every_bad_row_and_imports_nothing(personas: Personas, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "bodies.xlsx",
        [
            ["执法主体", "主体性质", "主体依据"],
            ["新城区司法局", "法定行政机关", "三定方案"],
            ["新城区不存在局", "法定行政机关", "三定方案"],
            ["新城区司法局", "派出机构", ""],
        ],
    )
    client = client_for(personas.coordinator)
    before = AuditEntry.objects.count()
    response = upload(client, "bodies", personas.region_a, path)
    result = response.context["result"]
    assert [(e.row, e.column) for e in result.errors] == [(3, "执法主体"), (4, "主体性质"), (4, "主体依据")]
    page = response.content.decode()
    assert "新城区不存在局" in page
    assert not EnforcementBody.objects.exists()
    assert AuditEntry.objects.count() == before


def test_a_csv_file_is_imported_too(personas: Personas, tmp_path: Path) -> None:
    path = tmp_path / "bodies.csv"
    path.write_text("执法主体,主体性质,主体依据\n区司法局,法定,三定方案\n", encoding="utf-8-sig")
    result = upload(client_for(personas.coordinator), "bodies", personas.region_a, path).context["result"]
    assert result.applied
    assert EnforcementBody.objects.get().unit == personas.justice_a


def test_another_regions_coordinator_cannot_import_into_this_region(
    personas: Personas, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "officers.xlsx", OFFICERS)
    response = upload(client_for(personas.coordinator_b), "officers", personas.region_a, path)
    assert response.status_code == 404
    assert not Officer.objects.exists()


def test_only_the_office_may_open_the_import_page(personas: Personas, tmp_path: Path) -> None:
    assert client_for(personas.coordinator).get(URL).status_code == 200
    for user in (personas.leader, personas.liaison, personas.unit_head, personas.no_role):
        assert client_for(user).get(URL).status_code == 403, user
    path = write_xlsx(tmp_path / "officers.xlsx", OFFICERS)
    assert upload(client_for(personas.leader), "officers", personas.region_a, path).status_code == 403
    anonymous = client_for(None).get(URL)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert not Officer.objects.exists()


def test_an_oversized_upload_is_refused_before_it_is_read(
    personas: Personas, tmp_path: Path, settings: Any
) -> None:
    settings.FAZHI_UPLOAD_MAX_BYTES = 1024
    path = tmp_path / "big.csv"
    path.write_text("执法主体,主体性质,主体依据\n" + "区司法局,法定,三定方案\n" * 200, encoding="utf-8")
    result = upload(client_for(personas.coordinator), "bodies", personas.region_a, path).context["result"]
    assert result.errors
    assert not result.applied
    assert not EnforcementBody.objects.exists()
