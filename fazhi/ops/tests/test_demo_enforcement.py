"""The demo's enforcement year: registers that came through the import, cases worked through the actions with
every guard held, decisions published masked, a 案卷评查 round anybody can repeat, two transfers answered, an
honest audit trail, the demo's officer and legal reviewer at their desks, and nothing new on a second load.

Loading takes several seconds, so one test loads it once (without the plan year, which it does not need) and
checks everything; each check is a helper below. The annual report's paragraph is checked with the whole demo
in test_demo_year.py.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from fazhi.audit import chain
from fazhi.audit.models import AuditEntry
from fazhi.enforcement import actions, figures, file_review, importing, publication, registers
from fazhi.enforcement.models import (
    BodyNature,
    Case,
    CaseEvent,
    CaseKind,
    CaseStatus,
    CaseStep,
    CaseTransfer,
    DiscretionStandard,
    EnforcementBody,
    FileReviewRound,
    FileReviewStatus,
    Officer,
    Publication,
    PublicationStatus,
    ReviewResult,
    TrainingRecord,
    TransferStatus,
)
from fazhi.ops import demo, demo_enforcement, demo_progress
from fazhi.orgs.models import Region, Unit, User

pytestmark = pytest.mark.django_db(transaction=False)

YEAR = demo_enforcement.YEAR
LOCAL = timezone.get_default_timezone()


def in_year(day: datetime.date) -> bool:
    return datetime.date(YEAR, 1, 1) <= day <= datetime.date(YEAR, 12, 31)


def check_the_registers_came_through_the_import(district: Region) -> None:
    imports = AuditEntry.objects.filter(action="import", source="load-demo", actor_name="coordinator")
    assert sorted(imports.values_list("target_type", flat=True)) == sorted(
        f"enforcement.{register}" for register in importing.COLUMNS
    )
    bodies = EnforcementBody.objects.filter(unit__region__path__startswith=district.path)
    flagged = Unit.objects.filter(region__path__startswith=district.path, is_enforcement_body=True)
    assert set(bodies.values_list("unit_id", flat=True)) == set(flagged.values_list("pk", flat=True))
    entrusted = bodies.get(nature=BodyNature.ENTRUSTED)
    assert entrusted.entrusted_by is not None
    assert entrusted.entrusted_by.name == "新城区城市管理综合行政执法局"
    assert all(body.legal_basis for body in bodies)
    # Officers: a few certificates ran out in the year, a few end soon, one officer left.
    certified = figures.certified_officers(district, YEAR)
    assert 0 < certified.count < certified.total
    today = timezone.localdate()
    states = Counter(registers.certificate_state(o, today)[0] for o in Officer.objects.filter(is_active=True))
    assert states["expiring"] == 2
    assert states["expired"] >= 2
    assert Officer.objects.filter(is_active=False).count() == 1
    # Training: most officers reached the 60 hours in the year, some did not.
    trained, minimum = figures.trained_officers(district, YEAR)
    assert minimum == 60
    assert trained.total * 0.6 < trained.count < trained.total
    short = [
        hours
        for hours in Officer.objects.filter(is_active=True)
        .annotate(hours=Sum("training__hours"))
        .values_list("hours", flat=True)
        if (hours or 0) < minimum
    ]
    assert short
    assert TrainingRecord.objects.filter(date__year=YEAR).count() == TrainingRecord.objects.count()
    # One body has no legal reviewer: short of the 5% rule.
    bodies_reviewers = figures.legal_reviewers_by_body(district, YEAR)
    assert [b.unit.name for b in bodies_reviewers if not b.meets] == ["新城区住房和城乡建设局"]
    # Discretion standards with their filing: on time, late, and one never filed.
    lines = DiscretionStandard.objects.all()
    filed = [(s.filing_due(15), s.filed_with_justice_bureau) for s in lines.filed()]
    assert any(due and day and day > due for due, day in filed)  # filed late
    assert lines.not_filed().exists()
    assert lines.filed().count() > lines.not_filed().count()


def check_every_case_went_through_the_guards(district: Region) -> None:
    cases = Case.objects.in_region(district)
    assert 60 <= cases.count() <= 120
    assert set(cases.values_list("kind", flat=True)) == set(CaseKind.values)
    statuses = Counter(cases.values_list("status", flat=True))
    assert statuses[CaseStatus.ARCHIVED] > statuses[CaseStatus.CLOSED] > 0
    assert statuses[CaseStatus.SERVED] + statuses[CaseStatus.EXECUTED] > 0  # decided, not yet closed
    assert (
        statuses[CaseStatus.REGISTERED] + statuses[CaseStatus.INVESTIGATING] + statuses[CaseStatus.NOTIFIED]
        > 0
    )
    for case in cases.prefetch_related("events__officers", "investigators", "legal_reviews__reviewer__user"):
        events = sorted(case.events.all(), key=lambda e: e.pk)
        assert events[0].step == CaseStep.REGISTER
        assert [e.on for e in events] == sorted(e.on for e in events)
        assert all(in_year(e.on) for e in events)
        for event in events:
            if event.step == CaseStep.INVESTIGATE:
                crew = list(event.officers.all())
                assert len(crew) >= 2
                assert all(o.unit_id == case.unit_id and o.certified_on(event.on) for o in crew)
        if case.is_major and case.decided_on is not None:
            # 法制审核 passed before the decision, by a legal reviewer who did not investigate, under their
            # own account; then the collective discussion.
            reviews = [r for r in case.legal_reviews.all() if r.on <= case.decided_on]
            assert reviews[-1].result == ReviewResult.PASSED
            reviewer = reviews[-1].reviewer
            assert reviewer.is_legal_reviewer
            assert reviewer not in case.investigators.all()
            review_event = next(e for e in events if e.step == CaseStep.REVIEW_PASS)
            assert review_event.by == reviewer.user is not None
            assert case.discussed_on is not None
            assert case.discussed_on <= case.decided_on
        if case.decided_on is not None and case.penalty_amount is not None and case.discretion_standard:
            assert case.discretion_standard.allows(case.penalty_amount) or case.discretion_reason
        if case.kind == CaseKind.PENALTY_ORDINARY and case.decided_on is not None:
            heard = case.rights_waived_on or case.hearing_held_on
            window = actions.notice_window_end(case)
            assert heard or (window is not None and case.decided_on > window)
    # One review returned the case first; it was investigated again, notified again and then passed.
    returned = cases.get(legal_reviews__result=ReviewResult.RETURNED)
    results = list(returned.legal_reviews.order_by("on", "pk").values_list("result", flat=True))
    assert results == [ReviewResult.RETURNED, ReviewResult.PASSED]
    assert returned.events.filter(step=CaseStep.NOTIFY).count() == 2
    assert cases.exclude(hearing_held_on=None).count() >= 3
    assert cases.exclude(discretion_reason="").count() == 1
    major = figures.case_figures(district, YEAR).major_reviewed
    assert major.total >= 5
    assert major.ratio == 1


def check_decisions_are_published_masked(district: Region) -> None:
    decided = Case.objects.in_region(district).filter(
        kind__in=[CaseKind.PENALTY_SIMPLE, CaseKind.PENALTY_ORDINARY], decided_on__isnull=False
    )
    assert Publication.objects.filter(case__in=decided).count() == decided.count()
    public = Publication.objects.public().select_related("case")
    assert public.count() >= 30
    for item in public:
        assert item.published_at is not None
        assert item.decided_on <= item.published_at.astimezone(LOCAL).date() <= datetime.date(YEAR, 12, 31)
        shown = " ".join(
            (item.party_name, item.party_id_number, item.party_address, item.facts, item.decision)
        )
        if item.case.party_type == "natural":
            assert item.case.party_name not in shown
            assert item.case.party_id_number not in shown
            assert "********" in item.party_id_number
    withdrawn = Publication.objects.get(status=PublicationStatus.WITHDRAWN)
    assert "行政复议决定" in withdrawn.withdrawal_note
    assert withdrawn.published_at is not None
    assert withdrawn.withdrawn_at is not None
    assert withdrawn.withdrawn_at > withdrawn.published_at
    overdue = publication.overdue_publications(district, timezone.localdate())
    assert len(overdue) == 2
    assert all(in_year(o.publication.due_on) for o in overdue)


def check_the_review_round_can_be_repeated() -> None:
    round = FileReviewRound.objects.get()
    assert round.status == FileReviewStatus.PUBLISHED
    assert round.seed == demo_enforcement.REVIEW_SEED
    assert file_review.verify_draw(round)
    assert round.samples.count() == 8
    assert not round.samples.filter(total=None).exists()
    assert round.body_results.exists()
    assert round.drawn_at is not None
    assert round.published_at is not None
    assert round.drawn_at.astimezone(LOCAL).date() == datetime.date(YEAR, 10, 15)


def check_the_transfers_were_answered() -> None:
    transfers = {t.status: t for t in CaseTransfer.objects.all()}
    assert set(transfers) == {TransferStatus.ACCEPTED, TransferStatus.REJECTED}
    assert all(t.replied_on and t.outcome_on and in_year(t.outcome_on) for t in transfers.values())
    assert transfers[TransferStatus.REJECTED].reply_reason
    # Declined by the police, the case came back and was decided as a penalty.
    assert transfers[TransferStatus.REJECTED].case.decided_on is not None


def check_the_dates_are_the_years_and_the_correction_is_recorded(district: Region) -> None:
    events = CaseEvent.objects.filter(case__unit__region__path__startswith=district.path)
    assert all(event.at.astimezone(LOCAL).date() == event.on for event in events)
    corrections = AuditEntry.objects.filter(source=demo_progress.BACKDATE_SOURCE)
    for target in ("enforcement.caseevent", "enforcement.publication", "enforcement.casetransfer"):
        assert corrections.filter(target_type=target).exists(), target
    # The real writes are there too, under the names of the people who made them.
    assert AuditEntry.objects.filter(source="load-demo", actor_name="officer", target_type="enforcement.case")
    assert AuditEntry.objects.filter(
        source="load-demo", actor_name="reviewer", target_type="enforcement.legalreview"
    )
    assert chain.verify().ok
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)


def check_the_officer_and_the_reviewer_sign_in_to_their_cases() -> None:
    officer = Officer.objects.get(user__username="officer")
    reviewer = Officer.objects.get(user__username="reviewer")
    assert officer.unit == reviewer.unit
    assert reviewer.is_legal_reviewer
    assert not officer.is_legal_reviewer
    # The major case of December, notified and waived: the reviewer's to pass or return.
    waiting = Case.objects.filter(
        unit=reviewer.unit, is_major=True, status=CaseStatus.NOTIFIED, rights_waived_on__isnull=False
    ).first()
    assert waiting is not None
    for login in demo.OFFICER_LOGINS:
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": login.username, "password": demo.DEMO_PASSWORD}, follow=True
        )
        assert response.redirect_chain[-1][0] == "/enforcement/cases/"
        assert "enforcement/case_list.html" in [t.name for t in response.templates]
        assert User.objects.get(username=login.username).get_full_name() == login.full_name
    client = Client()
    assert reviewer.user is not None
    client.force_login(reviewer.user)
    page = client.get(f"/enforcement/cases/{waiting.pk}/")
    assert page.status_code == 200
    # The legal review is the reviewer's to record, with its form on the page.
    assert any(option.key == "legal_review" and option.form for option in page.context["options"])


def test_the_demo_enforcement_year_holds_together_and_a_second_load_changes_nothing() -> None:
    demo.load(with_year=False)
    district = Region.objects.get(name="新城区")
    coordinator = User.objects.get(username="coordinator")
    assert demo_enforcement.load(district, coordinator)
    check_the_registers_came_through_the_import(district)
    check_every_case_went_through_the_guards(district)
    check_decisions_are_published_masked(district)
    check_the_review_round_can_be_repeated()
    check_the_transfers_were_answered()
    check_the_dates_are_the_years_and_the_correction_is_recorded(district)
    check_the_officer_and_the_reviewer_sign_in_to_their_cases()
    entries = AuditEntry.objects.count()
    assert not demo_enforcement.load(district, coordinator)
    assert AuditEntry.objects.count() == entries
