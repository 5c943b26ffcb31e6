"""An enforcement case in a real browser: an officer registers a major penalty case, investigates with a
colleague and notifies the party; the decision is refused until the legal reviewer (who did not investigate)
passes the 法制审核; once decided, the decision is due on the portal within its period, and once published the
public reads it with the party's personal data masked.

Runs Debian's Chromium through Playwright (fazhi.testing_browser).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import actions
from fazhi.enforcement.models import Case, CaseStatus, PowerKind, Publication, PublicationStatus
from fazhi.orgs import actions as org_actions
from fazhi.testing import PASSWORD, Personas
from fazhi.testing_browser import Person

from .casefile import reseed

pytestmark = pytest.mark.django_db(transaction=True)

PARTY = "张三丰"
ID_NUMBER = "150102198001011234"
PHONE = "13812345678"
NUMBER = "新司罚〔2026〕7号"


def officers(personas: Personas) -> dict[str, Any]:
    """新城区司法局's officers, two of them with accounts: the investigating officer and a legal reviewer."""
    today = timezone.localdate()
    reseed()  # a transactional test starts from a flushed database
    with acting_as(None, "test"), transaction.atomic():
        people = {
            "zhang": org_actions.create_person("officer_zhang", PASSWORD, full_name="张执法"),
            "qian": org_actions.create_person("reviewer_qian", PASSWORD, full_name="钱审核"),
        }
        found: dict[str, Any] = {}
        for key, name, number, extra in (
            ("zhang", "张执法", "15010001", {"user": people["zhang"]}),
            ("li", "李执法", "15010002", {}),
            ("qian", "钱审核", "15010005", {"user": people["qian"], "is_legal_reviewer": True}),
        ):
            found[key] = actions.save_officer(
                None, unit=personas.justice_a, name=name, certificate_number=number,
                issuing_authority="内蒙古自治区人民政府", valid_from=datetime.date(2020, 1, 1),
                valid_to=today + datetime.timedelta(days=700), **extra,
            )  # fmt: skip
        power = actions.save_power(
            None, unit=personas.justice_a, code="330217001", name="对律师事务所违规行为的处罚",
            kind=PowerKind.PENALTY, legal_basis="《律师法》第五十条",
        )  # fmt: skip
        actions.save_discretion_standard(
            None, power=power, circumstance="一般情节", min_amount=Decimal("1000"),
            max_amount=Decimal("5000"), effective_from=today - datetime.timedelta(days=365),
            filed_with_justice_bureau=today,
        )  # fmt: skip
    return found


def open_step(person: Person, key: str) -> Any:
    """The step's form, folded in a <details> on the case page: unfold it first."""
    form = person.page.locator(f"form#step-{key}")
    person.page.locator(f"details:has(form#step-{key}) > summary").click()
    return form


def day(offset: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=offset)).isoformat()


def test_a_major_decision_waits_for_the_legal_review_and_appears_masked_on_the_portal(
    personas: Personas, browser: Any, live_server: Any
) -> None:
    staff = officers(personas)
    base = live_server.url

    officer = Person(browser, base, "officer_zhang")
    officer.open("/enforcement/cases/new/")
    page = officer.page
    page.select_option("select[name=kind]", "penalty_ordinary")
    page.fill("input[name=number]", NUMBER)
    page.select_option("select[name=power]", index=1)
    page.fill("input[name=cause]", "律师事务所违规执业")
    page.fill("input[name=party_name]", PARTY)
    page.select_option("select[name=party_type]", "natural")
    page.fill("input[name=party_id_number]", ID_NUMBER)
    page.fill("input[name=party_phone]", PHONE)
    page.fill("input[name=party_address]", "内蒙古自治区呼和浩特市新城区海拉尔东街道建设小区3号楼2单元401室")
    page.check("input[name=is_major]")
    page.fill("input[name=on]", day(40))
    officer.click("main form button[type=submit]")
    case = Case.objects.get(number=NUMBER)
    assert case.is_major

    # Investigation by two officers with valid certificates, then the notice to the party.
    form = open_step(officer, "investigate")
    form.locator(f"input[name=investigate-officers][value='{staff['zhang'].pk}']").check()
    form.locator(f"input[name=investigate-officers][value='{staff['li'].pk}']").check()
    form.locator("input[name=investigate-on]").fill(day(35))
    form.locator("textarea[name=investigate-notes]").fill("现场检查，调取执业档案。")
    officer.click("form#step-investigate button[type=submit]")
    form = open_step(officer, "notify")
    form.locator("input[name=notify-on]").fill(day(30))
    form.locator("textarea[name=notify-notes]").fill("送达行政处罚事先告知书。")
    officer.click("form#step-notify button[type=submit]")

    # The decision is refused: a major decision needs the legal review first.
    form = open_step(officer, "decide")
    form.locator("input[name=decide-on]").fill(day(0))
    form.locator("input[name=decide-penalty_amount]").fill("2000")
    officer.click("form#step-decide button[type=submit]")
    refusal = officer.page.locator("form#step-decide .alert-danger").inner_text()
    assert refusal.strip()
    case.refresh_from_db()
    assert case.decided_on is None
    assert case.status == CaseStatus.NOTIFIED

    # The legal reviewer, who took no part in the investigation, passes the review.
    reviewer = Person(browser, base, "reviewer_qian")
    reviewer.open(f"/enforcement/cases/{case.pk}/")
    form = open_step(reviewer, "legal_review")
    form.locator("input[name=legal_review-result][value=passed]").check()
    form.locator("input[name=legal_review-on]").fill(day(5))
    form.locator("textarea[name=legal_review-notes]").fill("事实清楚，证据确凿，适用依据正确，同意。")
    reviewer.click("form#step-legal_review button[type=submit]")

    # Collective discussion, then the decision goes through.
    officer.open(f"/enforcement/cases/{case.pk}/")
    form = open_step(officer, "discuss")
    form.locator("input[name=discuss-on]").fill(day(3))
    form.locator("textarea[name=discuss-notes]").fill("局务会集体讨论同意。")
    officer.click("form#step-discuss button[type=submit]")
    form = open_step(officer, "decide")
    form.locator("input[name=decide-on]").fill(day(0))
    form.locator("input[name=decide-penalty_amount]").fill("2000")
    form.locator("textarea[name=decide-notes]").fill(f"对{PARTY}处以罚款二千元。")
    officer.click("form#step-decide button[type=submit]")
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED

    # The decision is due on the portal within its period (7 working days by default), and is published.
    publication = Publication.objects.get(case=case)
    assert publication.status == PublicationStatus.PENDING
    assert timezone.localdate() < publication.due_on <= timezone.localdate() + datetime.timedelta(days=14)
    officer.open(f"/enforcement/publications/{publication.pk}/")
    officer.click(f"form[action='/enforcement/publications/{publication.pk}/publish/'] button[type=submit]")
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED

    # The public finds it by the case number and reads it masked.
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{base}/enforcement/decisions/?q={NUMBER}")
    public.click(f"a[href='/enforcement/decisions/{publication.pk}/']")
    html = public.content()
    assert NUMBER in html
    assert "张*" in html
    for raw in (PARTY, ID_NUMBER, PHONE, "3号楼", "401室"):
        assert raw not in html, raw
    for person in (officer, reviewer):
        person.context.close()
