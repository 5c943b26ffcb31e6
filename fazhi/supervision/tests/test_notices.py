"""Supervision notices (督办单) issued in one click, numbered per region and year, as Word files; and the
monthly circular (通报) of late units."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import ERROR, get_messages
from django.test import Client
from docx import Document

from fazhi.notifications.models import Notification
from fazhi.orgs.models import Unit, User
from fazhi.supervision.models import SupervisionNotice
from fazhi.testing import Personas, make_plan

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Ten days after the first quarter's reports were due (2025-03-31); their red cards came after 04-08.
APRIL_10 = datetime.datetime(2025, 4, 10, 10, 0, tzinfo=SHANGHAI)
ISSUE = "/supervision/notices/issue/"


@pytest.fixture
def today(personas: Personas) -> Iterator[time_machine.Traveller]:
    make_plan(personas.region_a, publish=True)
    with time_machine.travel(APRIL_10, tick=False) as clock:
        yield clock


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def issue(client: Client, unit: Unit, **extra: object) -> list[tuple[int, str]]:
    response = client.post(ISSUE, {"unit": unit.pk, "next": "/supervision/overdue/", **extra})
    assert response.status_code == 302, response.status_code
    assert response["Location"] == "/supervision/overdue/"
    return [(m.level, m.message) for m in get_messages(response.wsgi_request)]


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_office_issues_a_notice_in_one_click_and_the_unit_is_told(
    personas: Personas, today: time_machine.Traveller
) -> None:
    issue(signed_in(personas.coordinator), personas.justice_a)

    notice = SupervisionNotice.objects.get()
    assert (notice.region, notice.unit, notice.year, notice.number) == (
        personas.region_a, personas.justice_a, 2025, 1
    )  # fmt: skip
    assert notice.reply_by == datetime.date(2025, 4, 17)  # five working days
    assert [r.round.name for r in notice.reports.all()] == ["2025年第一季度"]
    for person in (personas.liaison, personas.unit_head):
        [message] = Notification.objects.filter(recipient=person, kind="notice")
        assert "督办单〔2025〕第1号" in message.title
        assert "2025年4月17日" in message.body
    assert not Notification.objects.filter(recipient=personas.liaison_other_unit).exists()


def test_notices_are_numbered_per_region_and_year(personas: Personas, today: time_machine.Traveller) -> None:
    make_plan(personas.region_b, publish=True)
    office = signed_in(personas.coordinator)
    issue(office, personas.justice_a)
    issue(office, personas.town_unit_a)  # a town's unit carries out its county's plans
    issue(signed_in(personas.coordinator_b), personas.justice_b)
    today.move_to(datetime.datetime(2026, 1, 12, 10, 0, tzinfo=SHANGHAI))
    issue(signed_in(personas.coordinator), personas.justice_a)  # a new session: the old one has expired

    numbers = SupervisionNotice.objects.order_by("pk").values_list("region__name", "year", "number")
    assert list(numbers) == [
        ("新城区", 2025, 1),
        ("新城区", 2025, 2),
        ("莲湖区", 2025, 1),
        ("新城区", 2026, 1),
    ]


def test_a_unit_with_nothing_overdue_gets_no_notice_and_the_office_is_told_why(
    personas: Personas, today: time_machine.Traveller
) -> None:
    shown = issue(signed_in(personas.coordinator), personas.reform_a)

    assert not SupervisionNotice.objects.exists()
    [(level, text)] = shown
    assert level == ERROR
    assert "新城区发展和改革委员会" in text


def test_a_second_click_does_not_issue_the_same_notice_again(
    personas: Personas, today: time_machine.Traveller
) -> None:
    office = signed_in(personas.coordinator)
    issue(office, personas.justice_a)
    [text] = [text for level, text in issue(office, personas.justice_a) if level == ERROR]
    assert "督办单〔2025〕第1号" in text
    assert SupervisionNotice.objects.count() == 1
    # Once the reply date has passed, the office may chase again.
    today.move_to(datetime.datetime(2025, 4, 18, 10, 0, tzinfo=SHANGHAI))
    issue(signed_in(personas.coordinator), personas.justice_a)
    assert list(SupervisionNotice.objects.order_by("pk").values_list("number", flat=True)) == [1, 2]


def test_only_the_office_may_issue_a_notice(personas: Personas, today: time_machine.Traveller) -> None:
    for user in (personas.liaison, personas.unit_head, personas.leader):
        assert signed_in(user).post(ISSUE, {"unit": personas.justice_a.pk}).status_code == 403
    # Another region's office cannot reach the unit, nor name this region.
    other = signed_in(personas.coordinator_b)
    assert other.post(ISSUE, {"unit": personas.justice_a.pk}).status_code in (403, 404)
    response = other.post(ISSUE, {"unit": personas.justice_b.pk, "region": personas.region_a.pk})
    assert response.status_code in (403, 404)
    assert not SupervisionNotice.objects.exists()


def test_the_notice_opens_in_word_with_the_unit_the_tasks_and_the_reply_date(
    personas: Personas, today: time_machine.Traveller
) -> None:
    issue(signed_in(personas.coordinator), personas.justice_a)
    notice = SupervisionNotice.objects.get()

    response = signed_in(personas.liaison).get(f"/supervision/notices/{notice.pk}/docx/")

    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    text = docx_text(response.content)
    assert "〔2025〕第1号" in text
    assert "新城区司法局：" in text
    assert "坚持党的集中统一领导" in text
    assert "2025年第一季度" in text
    assert "2025年4月17日" in text
    assert "新城区依法治区办" in text
    # Another unit cannot download it.
    other_unit = signed_in(personas.liaison_other_unit)
    assert other_unit.get(f"/supervision/notices/{notice.pk}/docx/").status_code in (403, 404)


def test_the_monthly_circular_lists_the_late_units_with_their_counts(
    personas: Personas, today: time_machine.Traveller
) -> None:
    today.move_to(datetime.datetime(2025, 5, 6, 10, 0, tzinfo=SHANGHAI))
    url = f"/supervision/circulars/docx/?region={personas.region_a.pk}&month=2025-04"

    response = signed_in(personas.coordinator).get(url)

    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    [table] = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert [row[0] for row in rows] == ["1", "2"]
    assert sorted(row[1:] for row in rows) == [["保合少镇人民政府", "1", "1"], ["新城区司法局", "1", "1"]]
    assert "2025年4月" in docx_text(response.content)
    assert signed_in(personas.liaison).get(url).status_code == 403
    assert signed_in(personas.coordinator_b).get(url).status_code in (403, 404)


def test_a_month_without_late_reports_says_so(personas: Personas, today: time_machine.Traveller) -> None:
    url = f"/supervision/circulars/docx/?region={personas.region_a.pk}&month=2025-02"
    document = Document(io.BytesIO(signed_in(personas.coordinator).get(url).content))
    assert document.tables == []
