"""The annual report read in the browser: who may see it, the sentences, their sources, the .docx."""

from __future__ import annotations

import io
import re

import docx as python_docx
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from fazhi.reports import generate, indicators
from fazhi.reports.models import IndicatorValue
from fazhi.testing import Personas, make_plan

from .year import known_year

pytestmark = pytest.mark.django_db

YEAR = 2025
RECORD = re.compile(r'data-record="(\d+)"')


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def region_report(personas: Personas) -> generate.AnnualReport:
    return generate.generate(indicators.Scope(personas.region_a, YEAR))


def preview_url(personas: Personas) -> str:
    return reverse("reports:preview", args=[personas.region_a.pk, YEAR])


def test_the_office_the_admin_and_the_leader_read_the_report_and_others_do_not(personas: Personas) -> None:
    known_year(personas)
    expected = {"coordinator": 200, "admin": 200, "leader": 200, "liaison": 403, "unit_head": 403}
    expected |= {"liaison_other_unit": 403, "no_role": 403, "liaison_b": 403, "coordinator_b": 404}
    for name in ("preview", "docx", "years"):
        args = [personas.region_a.pk] if name == "years" else [personas.region_a.pk, YEAR]
        url = reverse(f"reports:{name}", args=args)
        seen = {who: client_for(getattr(personas, who)).get(url).status_code for who in expected}
        assert seen == expected, name
        assert Client().get(url).status_code == 302


def test_region_b_coordinator_gets_404_on_region_a_but_reads_their_own(personas: Personas) -> None:
    known_year(personas)
    make_plan(personas.region_b, publish=True)
    client = client_for(personas.coordinator_b)
    sources = reverse("reports:sources", args=[personas.region_a.pk, YEAR, 0])
    assert client.get(sources).status_code == 404
    own = client.get(reverse("reports:preview", args=[personas.region_b.pk, YEAR]))
    assert own.status_code == 200
    page = own.content.decode()
    assert personas.justice_b.name in page
    assert personas.justice_a.name not in page
    assert personas.town_unit_a.name not in page


def test_the_leader_reads_without_writing_anything(personas: Personas) -> None:
    known_year(personas)
    client = client_for(personas.leader)
    assert client.get(preview_url(personas)).status_code == 200
    assert client.post(preview_url(personas)).status_code == 405
    assert not IndicatorValue.objects.exists()


def test_the_page_shows_the_same_sentences_as_the_generated_report(personas: Personas) -> None:
    known_year(personas)
    page = client_for(personas.coordinator).get(preview_url(personas)).content.decode()
    report = region_report(personas)
    for sentence in report.sentences():
        assert escape(sentence.text) in page, sentence.text
    for section in report.sections:
        assert section.title in page
    traced = [s for s in report.sentences() if s.figures or s.quotes or s.sources]
    assert page.count('class="report-sentence"') == len(traced)
    assert "<script>" not in page.split("</nav>", 1)[1]  # the CSP forbids inline scripts


def test_the_years_offered_are_those_of_the_regions_published_plans(personas: Personas) -> None:
    known_year(personas)
    make_plan(personas.region_a, publish=True, year=2026)
    make_plan(personas.region_a, publish=False, year=2027)
    page = client_for(personas.coordinator).get(preview_url(personas)).content.decode()
    years = re.findall(rf"/reports/{personas.region_a.pk}/(\d{{4}})/\"", page)
    assert years == ["2026", "2025"]


def sentence_with(report: generate.AnnualReport, code: str) -> tuple[int, generate.Sentence]:
    return next((n, s) for n, s in enumerate(report.sentences()) if any(f.code == code for f in s.figures))


def test_a_sources_fragment_lists_the_records_behind_the_sentence(personas: Personas) -> None:
    known_year(personas)
    report = region_report(personas)
    number, sentence = sentence_with(report, "reports_accepted")
    url = reverse("reports:sources", args=[personas.region_a.pk, YEAR, number])
    fragment = client_for(personas.coordinator).get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<nav" not in fragment  # a fragment, not a page
    listed = sorted(int(pk) for pk in RECORD.findall(fragment))
    assert listed == sorted(pk for ids in sentence.sources.values() for pk in ids)
    assert "<code>reports_accepted</code>" in fragment
    for pk in sentence.sources[indicators.REPORT]:
        assert f'href="{reverse("supervision:report_detail", args=[pk])}"' in fragment


def test_a_task_in_the_sources_links_to_its_plan_page(personas: Personas) -> None:
    plan = known_year(personas)
    report = region_report(personas)
    number, sentence = sentence_with(report, "tasks")
    url = reverse("reports:sources", args=[personas.region_a.pk, YEAR, number])
    page = client_for(personas.leader).get(url).content.decode()
    task = sentence.sources[indicators.TASK][0]
    assert f'href="{reverse("plans:plan_detail", args=[plan.pk])}#task-{task}"' in page
    too_far = reverse("reports:sources", args=[personas.region_a.pk, YEAR, len(report.sentences())])
    assert client_for(personas.leader).get(too_far).status_code == 404


def test_the_docx_download_opens_with_python_docx(personas: Personas) -> None:
    known_year(personas)
    response = client_for(personas.coordinator).get(
        reverse("reports:docx", args=[personas.region_a.pk, YEAR])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    document = python_docx.Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == region_report(personas).title.text
    assert "数据来源" in texts


def page_queries(personas: Personas) -> int:
    client = client_for(personas.coordinator)
    client.get(preview_url(personas))  # the session and scope lookups settle first
    with CaptureQueriesContext(connection) as queries:
        assert client.get(preview_url(personas)).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_plans_tasks_and_reports(personas: Personas) -> None:
    known_year(personas)
    few = page_queries(personas)
    make_plan(personas.region_a, publish=True)
    make_plan(personas.region_a, publish=True)
    assert region_report(personas).values["tasks"].value == 9
    assert page_queries(personas) == few
