"""案卷评查 pages: the office creates a round, draws (the seed shown), scores file by file and publishes; the
bodies see their own published results; leaders read; other regions and units get 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.enforcement.models import FileReviewChecklist, FileReviewRound, FileReviewStatus

from .casefile import Body
from .reviewing import closed_cases, draw, make_checklist, make_round, publish, score

NS = "enforcement"


def url(name: str, *args: Any) -> str:
    return reverse(f"{NS}:{name}", args=args)


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_the_office_runs_a_round_from_the_pages(client: Client, personas: Any, body: Body) -> None:
    cases = closed_cases(body, 4)
    checklist = make_checklist(personas)
    signed_in(client, personas.coordinator)
    assert client.get(url("review_new")).status_code == 200
    response = client.post(
        url("review_new"),
        {"region": personas.region_a.pk, "title": "第二季度评查", "period_start": "2025-04-01",
         "period_end": "2025-06-30", "sample_size": "2", "checklist": checklist.pk},
    )  # fmt: skip
    round = FileReviewRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("review_detail", round.pk)

    client.post(url("review_draw", round.pk), {"seed": "20250701"})
    html = client.get(url("review_detail", round.pk)).content.decode()
    assert "20250701" in html
    round.refresh_from_db()
    assert round.samples.count() == 2
    assert set(round.population) == {case.pk for case in cases}

    items = list(checklist.items.all())
    for sample in round.samples.all():
        page = client.get(url("review_score", round.pk, sample.pk))
        assert page.status_code == 200
        assert sample.case.number in page.content.decode()
        too_many = {f"item_{item.pk}": str(item.max_points + 1) for item in items}
        response = client.post(url("review_score", round.pk, sample.pk), too_many)
        assert response.status_code == 400
        response = client.post(
            url("review_score", round.pk, sample.pk),
            {
                **{f"item_{item.pk}": str(item.max_points) for item in items},
                f"note_{items[0].pk}": "程序完整",
            },
        )
        assert response.status_code == 302
    client.post(url("review_publish", round.pk))
    round.refresh_from_db()
    assert round.status == FileReviewStatus.PUBLISHED
    assert "100.00" in client.get(url("review_detail", round.pk)).content.decode()


def test_the_standard_checklist_is_one_click_away(client: Client, personas: Any) -> None:
    signed_in(client, personas.coordinator)
    client.post(
        url("review_checklist_standard"), {"region": personas.region_a.pk, "effective_from": "2025-01-01"}
    )
    checklist = FileReviewChecklist.objects.get(region=personas.region_a)
    assert sum(item.max_points for item in checklist.items.all()) == 100
    assert (
        client.post(
            url("review_checklist_standard"), {"region": personas.region_b.pk, "effective_from": "2025-01-01"}
        ).status_code
        == 302
    )
    assert not FileReviewChecklist.objects.filter(region=personas.region_b).exists()


@pytest.fixture
def published(personas: Any, body: Body) -> FileReviewRound:
    closed_cases(body, 3)
    round = draw(make_round(personas, make_checklist(personas)), seed=9)
    for sample in round.samples.all():
        score(round, sample, ["45", "25", "15"])
    return publish(round)


@pytest.mark.parametrize("who", ["liaison", "unit_head"])
def test_the_body_sees_its_published_results(client: Client, personas: Any, published: Any, who: str) -> None:
    signed_in(client, getattr(personas, who))
    html = client.get(url("review_results")).content.decode()
    assert published.title in html
    assert "85.00" in html
    html = client.get(url("review_result", published.pk)).content.decode()
    assert published.samples.first().case.number in html
    assert client.get(url("review_detail", published.pk)).status_code == 403


def test_a_body_sees_no_result_before_publication(client: Client, personas: Any, body: Body) -> None:
    closed_cases(body, 3)
    round = draw(make_round(personas, make_checklist(personas)), seed=9)
    signed_in(client, personas.liaison)
    assert round.title not in client.get(url("review_results")).content.decode()
    assert client.get(url("review_result", round.pk)).status_code == 404


def test_another_unit_and_another_region_cannot_see_the_round(
    client: Client, personas: Any, published: Any
) -> None:
    signed_in(client, personas.liaison_other_unit)
    assert client.get(url("review_result", published.pk)).status_code == 404
    assert published.title not in client.get(url("review_results")).content.decode()
    signed_in(client, personas.coordinator_b)
    assert client.get(url("review_detail", published.pk)).status_code == 404
    assert published.title not in client.get(url("review_list")).content.decode()
    assert client.post(url("review_publish", published.pk)).status_code == 404
    signed_in(client, personas.liaison_b)
    assert client.get(url("review_result", published.pk)).status_code == 404


def test_the_leader_reads_but_does_not_draw(client: Client, personas: Any, body: Body) -> None:
    closed_cases(body, 3)
    round = make_round(personas, make_checklist(personas))
    signed_in(client, personas.leader)
    assert round.title in client.get(url("review_list")).content.decode()
    assert client.get(url("review_detail", round.pk)).status_code == 200
    assert client.post(url("review_draw", round.pk), {"seed": "1"}).status_code == 403
    assert client.get(url("review_new")).status_code == 403
    round.refresh_from_db()
    assert round.status == FileReviewStatus.DRAFT


def test_a_published_files_scores_are_shown_read_only(client: Client, personas: Any, published: Any) -> None:
    sample = published.samples.first()
    for who in ("coordinator", "leader"):
        html = signed_in(client, getattr(personas, who)).get(url("review_score", published.pk, sample.pk))
        text = html.content.decode()
        assert html.status_code == 200
        assert 'name="item_' not in text
        assert "45.00 / 50.00" in text
        assert "意见" in text


def test_the_round_page_does_not_grow_queries_with_its_files(
    client: Client, personas: Any, body: Body
) -> None:
    closed_cases(body, 12)
    checklist = make_checklist(personas)
    small = draw(make_round(personas, checklist, sample_size=2), seed=1)
    large = draw(make_round(personas, checklist, sample_size=12), seed=1)
    signed_in(client, personas.coordinator)
    client.get(url("review_detail", small.pk))
    with CaptureQueriesContext(connection) as few:
        client.get(url("review_detail", small.pk))
    with CaptureQueriesContext(connection) as many:
        client.get(url("review_detail", large.pk))
    assert len(many) == len(few)
