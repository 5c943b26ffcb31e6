"""Indicators entered by hand: units and the office type in a value with evidence files, in the browser."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fazhi.audit.models import AuditEntry
from fazhi.audit.recorder import acting_as
from fazhi.reports import actions, files, generate, indicators
from fazhi.reports.access import EntryTarget
from fazhi.reports.models import Indicator, IndicatorEvidence, IndicatorValue
from fazhi.testing import Personas, make_plan

pytestmark = pytest.mark.django_db

YEAR = 2025
STUDY = "executive_meeting_law_study"  # 政府常务会议学法次数, 次
TRIALS = "leaders_attending_trials"  # 领导干部旁听庭审人数, 人
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def plan(personas: Personas) -> Any:
    return make_plan(personas.region_a, publish=True, year=YEAR)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def entry_url(code: str, query: str) -> str:
    return reverse("reports:entry", args=[YEAR, code]) + query


def post_value(
    client: Client, code: str, query: str, value: str, file: tuple[str, bytes] | None = None
) -> Any:
    data: dict[str, Any] = {"value": value, "note": "会议纪要为证"}
    if file is not None:
        data["file"] = SimpleUploadedFile(file[0], file[1])
    return client.post(entry_url(code, query), data)


def enter(
    user: Any, target: EntryTarget, code: str, value: str, files: Iterable[tuple[str, bytes]] = ()
) -> IndicatorValue:
    with acting_as(user, "test"), transaction.atomic():
        indicator = Indicator.objects.get(code=code)
        return actions.enter_value(user, target, indicator, YEAR, Decimal(value), "", list(files))


def stored_files(settings: Any) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "indicator-evidence"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_a_liaison_enters_a_value_with_a_pdf_and_its_sources_name_the_evidence(
    personas: Personas, plan: Any, settings: Any
) -> None:
    response = post_value(client_for(personas.liaison), STUDY, f"?unit={personas.justice_a.pk}", "12",
                          ("学法记录.pdf", PDF))  # fmt: skip
    assert response.status_code == 302
    value = IndicatorValue.objects.get()
    evidence = IndicatorEvidence.objects.get()
    assert (value.region, value.unit, value.year, value.value) == (
        personas.region_a,
        personas.justice_a,
        YEAR,
        12,
    )
    assert value.entered_by == personas.liaison
    assert value.note == "会议纪要为证"
    assert value.sources == {"reports.indicatorevidence": [evidence.pk]}
    assert (evidence.name, evidence.kind, evidence.size, evidence.uploaded_by) == (
        "学法记录.pdf", "pdf", len(PDF), personas.liaison,
    )  # fmt: skip
    [path] = stored_files(settings)
    assert path.read_bytes() == PDF
    assert AuditEntry.objects.filter(target_type="reports.indicatorevidence", action="create").exists()
    page = client_for(personas.liaison).get(reverse("reports:entries", args=[YEAR])).content.decode()
    assert "政府常务会议学法次数" in page
    assert "text-bg-warning" not in page  # the "no evidence yet" badge


def test_a_text_file_named_pdf_is_refused_in_chinese_and_nothing_is_saved(
    personas: Personas, plan: Any, settings: Any
) -> None:
    response = post_value(client_for(personas.liaison), STUDY, f"?unit={personas.justice_a.pk}", "12",
                          ("学法记录.pdf", "这不是PDF，只是一段文字。".encode()))  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "请上传 PDF" in page
    assert not IndicatorValue.objects.exists()
    assert not IndicatorEvidence.objects.exists()
    assert stored_files(settings) == []


def test_a_value_without_evidence_is_kept_but_not_reportable(personas: Personas, plan: Any) -> None:
    response = post_value(client_for(personas.liaison), STUDY, f"?unit={personas.justice_a.pk}", "3")
    assert response.status_code == 302
    value = IndicatorValue.objects.get()
    assert not IndicatorValue.objects.reportable().filter(pk=value.pk).exists()
    page = client_for(personas.liaison).get(response["Location"]).content.decode()
    assert "text-bg-warning" in page


def test_another_units_liaison_cannot_see_or_edit_the_value(personas: Personas, plan: Any) -> None:
    value = enter(personas.liaison, EntryTarget(personas.region_a, personas.justice_a), STUDY, "12",
                  [("学法记录.pdf", PDF)])  # fmt: skip
    evidence = value.evidence.get()
    url = entry_url(STUDY, f"?unit={personas.justice_a.pk}")
    for outsider in (personas.liaison_other_unit, personas.liaison_b, personas.coordinator_b):
        client = client_for(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"value": "99"}).status_code == 404
        assert client.get(reverse("reports:entry_evidence", args=[evidence.pk])).status_code == 404
        delete = reverse("reports:entry_evidence_delete", args=[evidence.pk])
        assert client.post(delete).status_code == 404
        page = client.get(reverse("reports:entries", args=[YEAR])).content.decode()
        assert personas.justice_a.name not in page
    assert (
        client_for(personas.liaison).get(entry_url(STUDY, f"?region={personas.region_a.pk}")).status_code
        == 404
    )
    value.refresh_from_db()
    assert value.value == 12
    assert IndicatorEvidence.objects.count() == 1


def test_the_coordinator_sees_the_unit_values_and_enters_the_region_value(
    personas: Personas, plan: Any
) -> None:
    enter(
        personas.liaison,
        EntryTarget(personas.region_a, personas.justice_a),
        TRIALS,
        "12",
        [("名单.pdf", PDF)],
    )
    enter(personas.liaison_other_unit, EntryTarget(personas.region_a, personas.reform_a), TRIALS, "30")
    client = client_for(personas.coordinator)
    page = client.get(reverse("reports:entries", args=[YEAR])).content.decode()
    assert personas.justice_a.name in page
    assert personas.reform_a.name in page
    assert "<strong>42人</strong>" in page  # the sum of the units' values, as a hint
    response = post_value(client, STUDY, f"?region={personas.region_a.pk}", "4", ("纪要.pdf", PDF))
    assert response.status_code == 302
    region_value = IndicatorValue.objects.get(indicator__code=STUDY)
    assert (region_value.region, region_value.unit, region_value.value) == (personas.region_a, None, 4)
    assert region_value.entered_by == personas.coordinator
    # The office reads the units' values but does not write them.
    assert post_value(client, TRIALS, f"?unit={personas.justice_a.pk}", "99").status_code == 403
    assert IndicatorValue.objects.get(unit=personas.justice_a).value == 12


def test_the_leader_reads_but_cannot_write(personas: Personas, plan: Any) -> None:
    value = enter(personas.liaison, EntryTarget(personas.region_a, personas.justice_a), STUDY, "12",
                  [("学法记录.pdf", PDF)])  # fmt: skip
    client = client_for(personas.leader)
    url = entry_url(STUDY, f"?unit={personas.justice_a.pk}")
    page = client.get(url)
    assert page.status_code == 200
    assert "<strong>12次</strong>" in page.content.decode()
    assert 'enctype="multipart/form-data"' not in page.content.decode()
    assert post_value(client, STUDY, f"?unit={personas.justice_a.pk}", "1").status_code == 403
    assert post_value(client, STUDY, f"?region={personas.region_a.pk}", "1").status_code == 403
    evidence = value.evidence.get()
    assert client.post(reverse("reports:entry_evidence_delete", args=[evidence.pk])).status_code == 403
    assert IndicatorValue.objects.get().value == 12
    assert IndicatorEvidence.objects.count() == 1


def test_evidence_is_downloaded_only_by_those_who_read_the_value(personas: Personas, plan: Any) -> None:
    value = enter(personas.liaison, EntryTarget(personas.region_a, personas.justice_a), STUDY, "12",
                  [("学法记录.pdf", PDF)])  # fmt: skip
    url = reverse("reports:entry_evidence", args=[value.evidence.get().pk])
    expected = {"liaison": 200, "unit_head": 200, "coordinator": 200, "leader": 200, "admin": 200}
    expected |= {"liaison_other_unit": 404, "coordinator_b": 404, "liaison_b": 404, "no_role": 403}
    for name, status in expected.items():
        response = client_for(getattr(personas, name)).get(url)
        assert response.status_code == status, name
        if status == 200:
            assert response["Content-Disposition"].startswith("attachment;")
            assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert Client().get(url).status_code == 302
    # Never served from MEDIA_URL: only through the view above.
    media = client_for(personas.liaison).get(value.evidence.get().file.url)
    assert media.status_code == 404


def test_removing_the_last_file_takes_the_value_out_of_the_report(
    personas: Personas, plan: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    value = enter(personas.liaison, EntryTarget(personas.region_a, personas.justice_a), STUDY, "12",
                  [("学法记录.pdf", PDF)])  # fmt: skip
    delete = reverse("reports:entry_evidence_delete", args=[value.evidence.get().pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(personas.liaison).post(delete).status_code == 302
    value.refresh_from_db()
    assert value.sources == {}
    assert not IndicatorValue.objects.reportable().filter(pk=value.pk).exists()
    assert stored_files(settings) == []


def test_a_year_without_a_published_plan_is_refused(personas: Personas, plan: Any) -> None:
    response = client_for(personas.liaison).post(
        reverse("reports:entry", args=[2019, STUDY]) + f"?unit={personas.justice_a.pk}", {"value": "1"}
    )
    assert response.status_code == 200
    assert not IndicatorValue.objects.exists()


def test_an_entered_region_value_with_evidence_appears_in_the_annual_report(
    personas: Personas, plan: Any
) -> None:
    value = enter(personas.coordinator, EntryTarget(personas.region_a), STUDY, "12", [("纪要.pdf", PDF)])
    report = generate.generate(indicators.Scope(personas.region_a, YEAR))
    [other] = [section for section in report.sections if section.key == "other"]
    sentence = next(s for p in other.paragraphs for s in p.sentences if "政府常务会议学法次数" in s.text)
    assert sentence.text == "政府常务会议学法次数：12次。"
    assert sentence.sources["reports.indicatorevidence"] == (value.evidence.get().pk,)
    assert "其他需要报告的情况" in other.title
    # Without its evidence the figure leaves the report.
    with acting_as(personas.coordinator, "test"), transaction.atomic():
        actions.remove_value_evidence(value.evidence.get(), personas.coordinator)
    report = generate.generate(indicators.Scope(personas.region_a, YEAR))
    assert "政府常务会议学法次数" not in "".join(s.text for s in report.sentences())


def test_a_second_file_is_added_to_the_sources_and_orphans_are_swept(personas: Personas, plan: Any) -> None:
    value = enter(personas.coordinator, EntryTarget(personas.region_a), STUDY, "12", [("纪要.pdf", PDF)])
    with acting_as(personas.coordinator, "test"), transaction.atomic():
        second = actions.add_value_evidence(value, personas.coordinator, "签到表.pdf", PDF + b"%")
    value.refresh_from_db()
    ids = sorted(value.evidence.values_list("pk", flat=True))
    assert len(ids) == 2
    assert second.pk in ids
    assert value.sources == {"reports.indicatorevidence": ids}
    assert files.sweep_orphans(timezone.now() + datetime.timedelta(hours=2)) == 0
    IndicatorEvidence.objects.filter(pk=second.pk).delete()  # as if its transaction had rolled back
    assert files.sweep_orphans(timezone.now() + datetime.timedelta(hours=2)) == 1


def test_the_list_page_queries_do_not_grow_with_the_values(personas: Personas, plan: Any) -> None:
    client = client_for(personas.coordinator)
    url = reverse("reports:entries", args=[YEAR])
    enter(personas.liaison, EntryTarget(personas.region_a, personas.justice_a), STUDY, "1", [("a.pdf", PDF)])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    enter(personas.liaison, EntryTarget(personas.region_a, personas.justice_a), TRIALS, "2", [("b.pdf", PDF)])
    enter(personas.liaison_other_unit, EntryTarget(personas.region_a, personas.reform_a), STUDY, "3")
    enter(personas.coordinator, EntryTarget(personas.region_a), TRIALS, "4", [("c.pdf", PDF)])
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)
