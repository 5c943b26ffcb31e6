"""The report-reading analysis as a page: who may use it, what it shows, its JSON, the files it refuses."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from fazhi.audit.recorder import acting_as
from fazhi.docparse.cli import analyze_main
from fazhi.docparse.tests.builders import write_docx
from fazhi.docparse.tests.test_hostile_files import replace_member
from fazhi.plans import actions as plan_actions
from fazhi.plans.models import Plan, PlanImport
from fazhi.reports.analysis_views import PART_NAMES
from fazhi.testing import Personas, make_plan

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "docparse" / "tests" / "fixtures" / "seeds"
PLAN_000 = SEEDS / "000_04f4bfefc4535b71.txt"
REPORT_001 = SEEDS / "001_414aed995e5eda95.txt"
REPORT_003 = SEEDS / "003_05bb39de674042e2.txt"
URL = reverse("reports:analysis")


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def cli(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert analyze_main([*args, "--json"], stdout=out, stderr=err) == 0, err.getvalue()
    return out.getvalue()


def post(client: Client, **data: Any) -> Any:
    return client.post(URL, data)


def published_seed_plan(personas: Personas) -> Plan:
    """Seed 000 imported into region A and published, its units all pointed at the region's justice bureau."""
    plan = make_plan(personas.region_a, PLAN_000.read_text(encoding="utf-8"), year=2024)
    with acting_as(None, "test"), transaction.atomic():
        for name in plan_actions.unknown_names(plan):
            plan_actions.map_name(plan, name, unit=personas.justice_a, remember=False)
        plan_actions.publish(plan)
    return plan


def test_the_office_and_the_leader_use_the_page_and_others_do_not(personas: Personas) -> None:
    expected = {"coordinator": 200, "leader": 200, "admin": 200, "liaison": 403, "unit_head": 403}
    expected |= {"liaison_b": 403, "no_role": 403, "coordinator_b": 200}
    seen = {who: client_for(getattr(personas, who)).get(URL).status_code for who in expected}
    assert seen == expected
    answer = Client().get(URL)
    assert answer.status_code == 302
    assert reverse("login") in answer["Location"]
    assert Client().post(URL, {"report": upload(REPORT_001)}).status_code == 302
    assert client_for(personas.liaison).post(URL, {"report": upload(REPORT_001)}).status_code == 403


def test_coordinator_reads_a_seed_report_sections_and_claims(personas: Personas, settings: Any) -> None:
    page = post(client_for(personas.coordinator), report=upload(REPORT_001))
    assert page.status_code == 200
    html = page.content.decode()
    expected = cli(str(REPORT_001))
    for title in ("党政主要负责人履行推进法治建设第一责任人职责情况", "推进法治政府建设存在的不足"):
        assert title in html
    for part in ("leaders", "measures", "shortcomings", "next_year"):
        assert escape(str(PART_NAMES[part])) in html
    assert html.count("data-section") == 4
    assert html.count("data-claim") == expected.count('"quantity"') == 43
    assert "本级行政机关负责人出庭应诉率" in html
    assert "14.59%" in html
    assert "羊山新区" in html
    assert "2024" in html
    assert "data-coverage" not in html
    # Nothing is kept: no plan, no import job, no file.
    assert not Plan.objects.exists()
    assert not PlanImport.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*"))


def test_with_the_seed_plan_the_page_shows_coverage_and_targets(personas: Personas) -> None:
    page = post(client_for(personas.leader), report=upload(REPORT_001), plan_file=upload(PLAN_000))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-coverage="reported"') + html.count('data-coverage="not_reported"') == 30
    assert html.count("data-target=") == 8
    assert html.count('data-target="met"') == 2
    assert "本级行政机关负责人出庭应诉率100%" in html
    assert "vendor/echarts/echarts.min.js" in html
    assert 'data-chart="chart-analysis"' in html


def test_json_download_equals_the_command_output(personas: Personas, tmp_path: Path) -> None:
    client = client_for(personas.coordinator)
    answer = post(client, report=upload(REPORT_001), plan_file=upload(PLAN_000), format="json")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/json")
    assert answer["Content-Disposition"].startswith("attachment")
    assert answer.content.decode() == cli(str(REPORT_001), "--plan", str(PLAN_000))
    alone = post(client, report=upload(REPORT_003), format="json")
    assert alone.content.decode() == cli(str(REPORT_003))
    # A .docx of the same report, read the same way by the page and by the command.
    lines = [line for line in REPORT_001.read_text(encoding="utf-8").splitlines() if line.strip()]
    docx = write_docx(tmp_path / "report.docx", lines)
    answer = post(client, report=upload(docx), plan_file=upload(PLAN_000), format="json")
    assert answer.content.decode() == cli(str(docx), "--plan", str(PLAN_000))


def test_the_result_page_offers_the_same_json_without_uploading_again(personas: Personas) -> None:
    html = post(client_for(personas.coordinator), report=upload(REPORT_003)).content.decode()
    found = re.search(r'href="data:application/json;base64,([A-Za-z0-9+/=]+)"', html)
    assert found is not None
    assert base64.b64decode(found[1]).decode() == cli(str(REPORT_003))


def test_a_published_plan_of_the_region_is_checked_like_its_file(personas: Personas) -> None:
    plan = published_seed_plan(personas)
    client = client_for(personas.coordinator)
    assert f'value="{plan.pk}"' in client.get(URL).content.decode()
    answer = post(client, report=upload(REPORT_001), plan=plan.pk, format="json")
    assert answer.content.decode() == cli(str(REPORT_001), "--plan", str(PLAN_000))
    page = post(client, report=upload(REPORT_001), plan=plan.pk).content.decode()
    assert page.count("data-target=") == 8


def test_a_plan_of_another_region_is_neither_offered_nor_accepted(personas: Personas) -> None:
    other = make_plan(personas.region_b, publish=True)
    draft = make_plan(personas.region_a)
    client = client_for(personas.coordinator)
    form = client.get(URL).content.decode()
    assert f'value="{other.pk}"' not in form
    assert f'value="{draft.pk}"' not in form
    for pk in (other.pk, draft.pk):
        page = post(client, report=upload(REPORT_001), plan=pk)
        assert page.status_code == 200
        html = page.content.decode()
        assert "data-claim" not in html
        assert 'class="errorlist"' in html
        assert post(client, report=upload(REPORT_001), plan=pk, format="json")["Content-Type"].startswith(
            "text/html"
        )


def test_a_text_file_renamed_docx_gets_a_chinese_error_and_the_form(personas: Personas) -> None:
    page = post(client_for(personas.coordinator), report=upload(REPORT_001, "report.docx"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "文件扩展名是 .docx,但内容是文本文件" in html
    assert 'name="report"' in html
    assert "data-claim" not in html


def test_hostile_office_files_are_refused_with_docparses_message(personas: Personas, tmp_path: Path) -> None:
    docx = write_docx(tmp_path / "report.docx", ["羊山新区2024年法治政府建设情况报告"]).read_bytes()
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        b"<w:p><w:r><w:t>&lol;</w:t></w:r></w:p></w:body></w:document>"
    )
    bomb = replace_member(docx, "word/media/filler.bin", b"\x00" * (20 * 1024 * 1024))
    client = client_for(personas.coordinator)
    for data, word in ((replace_member(docx, "word/document.xml", laughs), "实体"), (bomb, "压缩")):
        page = post(client, report=SimpleUploadedFile("report.docx", data))
        assert page.status_code == 200
        assert word in page.content.decode()
    plan = post(client, report=upload(REPORT_001), plan_file=SimpleUploadedFile("plan.docx", bomb))
    assert plan.status_code == 200
    assert "压缩" in plan.content.decode()


def test_an_oversized_file_is_refused(personas: Personas, settings: Any) -> None:
    settings.FAZHI_UPLOAD_MAX_BYTES = 8 * 1024
    client = client_for(personas.coordinator)
    page = post(client, report=upload(REPORT_001))
    assert page.status_code == 200
    assert "文件过大" in page.content.decode()
    assert "data-claim" not in page.content.decode()
    plan = post(client, report=SimpleUploadedFile("r.txt", b"x" * 100), plan_file=upload(PLAN_000))
    assert "文件过大" in plan.content.decode()


def test_a_plan_file_with_no_tasks_and_a_plan_given_twice_are_refused(personas: Personas) -> None:
    plan = make_plan(personas.region_a, publish=True)
    client = client_for(personas.coordinator)
    page = post(client, report=upload(REPORT_001), plan_file=upload(REPORT_003))
    assert page.status_code == 200
    assert "data-claim" not in page.content.decode()
    assert REPORT_003.name in page.content.decode()
    both = post(client, report=upload(REPORT_001), plan=plan.pk, plan_file=upload(PLAN_000))
    assert both.status_code == 200
    assert "data-claim" not in both.content.decode()
