"""The public side of 公示: decisions masked on the portal, withdrawn ones without their text, the search,
and the bodies' powers and officers — all without an account."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import actions
from fazhi.enforcement.models import PowerKind
from fazhi.orgs.models import Unit
from fazhi.portal import enforcement_views

from .casefile import Body
from .publishing import ADDRESS, ID_NUMBER, NAME, PHONE, decided_case, publish, small_body, withdraw

RAW = (NAME, ID_NUMBER, PHONE, ADDRESS, "幸福小区", "13812345678", "501室")


def test_published_decision_is_masked_everywhere_on_the_portal(body: Body, client: Client) -> None:
    case = decided_case(body)
    done = publish(case)
    for url in (
        reverse("portal:enforcement_decisions"),
        reverse("portal:enforcement_decision", args=[done.pk]),
    ):
        html = client.get(url).content.decode()
        assert "张*" in html
        assert case.number in html
        for raw in RAW:
            assert raw not in html, (url, raw)
    page = client.get(reverse("portal:enforcement_decision", args=[done.pk])).content.decode()
    assert "150102********1234" in page
    assert "新城区海东路街道***" in page
    assert "2000" in page


def test_pending_decisions_are_not_on_the_portal(body: Body, client: Client) -> None:
    case = decided_case(body)
    assert case.number not in client.get(reverse("portal:enforcement_decisions")).content.decode()
    assert client.get(reverse("portal:enforcement_decision", args=[case.publication.pk])).status_code == 404


def test_withdrawn_decision_shows_the_note_not_the_text(body: Body, client: Client) -> None:
    case = decided_case(body)
    done = publish(case)
    withdraw(case, "经新城区人民政府行政复议决定撤销。")
    html = client.get(reverse("portal:enforcement_decision", args=[done.pk])).content.decode()
    assert "经新城区人民政府行政复议决定撤销。" in html
    assert "对张*处以罚款" not in html
    assert "擅自从事有偿法律服务" not in html
    listing = client.get(reverse("portal:enforcement_decisions")).content.decode()
    assert case.number in listing
    assert "擅自从事有偿法律服务" not in listing
    # The withdrawn text is not searchable either.
    found = client.get(reverse("portal:enforcement_decisions"), {"q": "有偿法律服务"}).content.decode()
    assert case.number not in found


def test_search_by_keyword_kind_body_and_date(body: Body, client: Client) -> None:
    lawyer = decided_case(body, cause="擅自从事有偿法律服务。")
    notary = decided_case(body, cause="公证机构违规出具公证书。")
    publish(lawyer)
    publish(notary)
    url = reverse("portal:enforcement_decisions")

    def numbers(**query: Any) -> set[str]:
        html = client.get(url, query).content.decode()
        return {n for n in (lawyer.number, notary.number) if n in html}

    assert numbers(q="公证书") == {notary.number}
    assert numbers(q="法律服务") == {lawyer.number}
    assert numbers(kind="penalty_simple", body=body.unit.pk) == {lawyer.number, notary.number}
    assert numbers(kind="penalty_ordinary") == set()
    assert numbers(date_from="2025-10-01") == set()
    assert numbers(date_to="2025-09-30", q="罚款2000元") == {lawyer.number, notary.number}
    assert numbers(q="张三丰") == set()  # the raw name is nowhere in the published text
    assert numbers(q="张*") == {lawyer.number, notary.number}


def test_list_pages_do_not_grow_queries_with_rows(
    body: Body, client: Client, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        publish(decided_case(body))
    with django_assert_max_num_queries(8):
        client.get(reverse("portal:enforcement_decisions"))
    for _ in range(3):
        publish(decided_case(body))
    with django_assert_max_num_queries(8):
        client.get(reverse("portal:enforcement_decisions"))


def body_menu(html: str) -> set[str]:
    menu = re.search(r'<select name="body".*?</select>', html, re.DOTALL)
    assert menu is not None
    return set(re.findall(r'<option value="(\d+)"', menu.group()))


def test_search_by_region_offers_only_that_region_s_bodies(body: Body, client: Client, personas: Any) -> None:
    here = publish(decided_case(body))
    there = publish(decided_case(small_body(personas.justice_b, "region-b")))
    url = reverse("portal:enforcement_decisions")
    html = client.get(url, {"region": personas.region_a.pk}).content.decode()
    assert here.case_number in html
    assert there.case_number not in html
    region_a = Unit.objects.filter(is_enforcement_body=True).filter(
        Q(region=personas.region_a) | Q(region__parent=personas.region_a)
    )
    assert str(body.unit.pk) in body_menu(html)
    assert body_menu(html) == {str(pk) for pk in region_a.values_list("pk", flat=True)}
    assert str(personas.justice_b.pk) not in body_menu(html)
    # Without a region the menu does not list every body of the province (thousands of options).
    assert body_menu(client.get(url).content.decode()) == set()
    # A body asked for by itself (a link from its page) is found and shown as chosen.
    html = client.get(url, {"body": personas.justice_b.pk}).content.decode()
    assert (there.case_number in html, here.case_number in html) == (True, False)
    assert body_menu(html) == {str(personas.justice_b.pk)}


def test_a_broad_search_counts_up_to_the_bound_and_says_there_are_more(
    body: Body, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(enforcement_views, "RESULTS_BOUND", 2)
    published = [publish(decided_case(body)) for _ in range(3)]
    page = client.get(reverse("portal:enforcement_decisions")).context["page"]
    assert (page.paginator.count, page.paginator.num_pages, page.paginator.truncated) == (2, 1, True)
    assert len(page.object_list) == 2
    page = client.get(reverse("portal:enforcement_decisions"), {"q": published[0].case_number}).context[
        "page"
    ]
    assert (page.paginator.count, page.paginator.truncated) == (1, False)


def test_a_search_with_less_than_a_page_reads_the_decisions_once(body: Body, client: Client) -> None:
    """No count for a first page that is not full: a rare keyword no index serves is scanned once."""
    publish(decided_case(body))
    url = reverse("portal:enforcement_decisions")
    for query, found in (({"q": "熊猫"}, 0), ({}, 1)):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url, query).context["page"]
        reads = [q["sql"] for q in queries if 'FROM "enforcement_publication"' in q["sql"]]
        assert len(reads) == 1, reads
        assert "COUNT(" not in reads[0]
        assert (page.paginator.count, len(page.object_list)) == (found, found)


@pytest.mark.parametrize("name", ["enforcement_decisions", "enforcement_bodies"])
def test_anonymous_reaches_the_lists(db: Any, client: Client, name: str) -> None:
    assert client.get(reverse(f"portal:{name}")).status_code == 200


def test_body_page_lists_powers_by_kind_and_valid_officers_without_personal_data(
    body: Body, client: Client
) -> None:
    with acting_as(None, "test"), transaction.atomic():
        actions.save_power(
            None, unit=body.unit, code="330217999", name="律师执业许可", kind=PowerKind.LICENSING,
            legal_basis="《律师法》第六条",
        )  # fmt: skip
    html = client.get(reverse("portal:enforcement_body", args=[body.unit.pk])).content.decode()
    assert "对律师事务所违规行为的处罚" in html
    assert "律师执业许可" in html
    assert "《律师法》第五十条" in html
    assert html.index("许可") < html.index("处罚")  # kinds in the order of the 权责清单
    assert "张执法" in html
    assert "15010001" in html
    assert "王过期" not in html
    assert "赵离岗" not in html
    assert "外区执法" not in html  # another body's officer
    listing = client.get(reverse("portal:enforcement_bodies"), {"q": "新城"}).content.decode()
    assert "新城区司法局" in listing
    assert "莲湖区司法局" not in listing


def test_unknown_body_or_decision_is_404(body: Body, client: Client, personas: Any) -> None:
    assert client.get(reverse("portal:enforcement_body", args=[personas.reform_a.pk])).status_code == 404
    assert client.get(reverse("portal:enforcement_decision", args=[999999])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_search_past_its_time_budget_asks_for_a_narrower_one(client: Client, settings: Any) -> None:
    """The budget is PostgreSQL's statement_timeout; here another connection's lock keeps the search waiting
    (a lock wait counts against it) where on a province a rare two-character keyword reads every decision."""
    if connection.vendor != "postgresql":
        pytest.skip("the time budget is PostgreSQL's statement_timeout; SQLite searches run unbounded")
    settings.FAZHI_PORTAL_SEARCH_TIMEOUT_MS = 300
    url = reverse("portal:enforcement_decisions") + "?q=熊猫"
    message = 'id="search-too-slow"'
    holder = connections.create_connection("default")
    try:
        with holder.cursor() as cursor:
            # Should the budget be gone, the search waits out the lock rather than hang the suite: the server
            # ends the holder's session after 3 s, and the search then answers without the warning.
            cursor.execute("SET idle_in_transaction_session_timeout = 3000")
            cursor.execute("BEGIN")
            cursor.execute("LOCK TABLE enforcement_publication IN ACCESS EXCLUSIVE MODE")
            slow = client.get(url)
    finally:
        holder.close()  # ends its transaction and the lock
    assert slow.status_code == 200
    assert message in slow.content.decode()
    # Released, the same search answers (nothing matches) without the warning.
    fast = client.get(url)
    assert fast.status_code == 200
    assert message not in fast.content.decode()
    assert 'class="list-group' not in fast.content.decode()
