"""`fazhi worker --once`, as cron runs it: a due reminder reaches the inbox and the mailbox once, leftover
evidence files are swept, and one broken part does not stop the others."""

from __future__ import annotations

import datetime
import logging
import os
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from fazhi.enforcement.tests.casefile import make_body, open_case, reseed
from fazhi.notifications.models import Delivery, DeliveryStatus, Notification
from fazhi.ops.management.commands.worker import PassState, run_pass
from fazhi.orgs.models import User
from fazhi.testing import Personas, make_plan

# transaction=True: the job runner closes connections it finds inside a transaction (as a test's would be).
pytestmark = pytest.mark.django_db(transaction=True)

# The first quarter's reports of the sample plan are due on 2025-03-31; their reminder date is 03-26. At
# 07:30 in Beijing it is still 03-25 in UTC: the worker must go by the local date.
REMINDER_MORNING = datetime.datetime(2025, 3, 26, 7, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def liaison(personas: Personas) -> User:
    make_plan(personas.region_a, publish=True)
    User.objects.filter(pk=personas.liaison.pk).update(email="qian@example.org")
    return personas.liaison


def test_one_pass_puts_a_due_reminder_in_the_inbox_and_the_outbox(liaison: User) -> None:
    with time_machine.travel(REMINDER_MORNING, tick=False):
        call_command("worker", "--once")

        [reminder] = Notification.objects.filter(recipient=liaison)
        assert reminder.kind == "reminder"
        [email] = mail.outbox
        assert (email.to, email.subject) == (["qian@example.org"], reminder.title)
        assert Delivery.objects.get().status == DeliveryStatus.SENT

        call_command("worker", "--once")  # cron again, the same morning: nothing twice

    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_day_before_the_reminder_date_the_worker_tells_nobody(liaison: User) -> None:
    with time_machine.travel(REMINDER_MORNING - datetime.timedelta(days=1), tick=False):
        call_command("worker", "--once")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_one_pass_removes_evidence_files_that_no_report_refers_to(liaison: User, settings: Any) -> None:
    orphan = Path(settings.MEDIA_ROOT) / "evidence" / "2025" / "03" / "0123456789abcdef.pdf"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"%PDF-1.7 left behind by a rolled-back upload")
    two_hours_before = (REMINDER_MORNING - datetime.timedelta(hours=2)).timestamp()
    os.utime(orphan, (two_hours_before, two_hours_before))

    with time_machine.travel(REMINDER_MORNING, tick=False):
        call_command("worker", "--once")

    assert not orphan.exists()


def test_a_part_that_fails_is_logged_and_tried_again_on_the_next_pass(
    liaison: User, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # A file where the evidence folder should be: the sweep cannot list it.
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    (media / "evidence").write_bytes(b"not a folder")
    state = PassState()

    with time_machine.travel(REMINDER_MORNING, tick=False), caplog.at_level(logging.ERROR):
        run_pass(state)
        assert "worker: evidence sweep failed" in caplog.text
        # The other parts ran: the reminder is in the inbox and was sent.
        assert Notification.objects.filter(recipient=liaison).count() == 1
        assert len(mail.outbox) == 1
        assert state.swept_on is None

        (media / "evidence").unlink()
        run_pass(state)

    assert state.swept_on == REMINDER_MORNING.date()
    assert Notification.objects.count() == 1


def test_case_time_limits_are_told_once_a_day_and_a_failure_waits_for_the_next_pass(
    liaison: User, personas: Personas, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    reseed()  # the statutory periods, which a transactional test's flush removed
    state = PassState()
    with time_machine.travel(REMINDER_MORNING, tick=False):
        # Registered 2 January: to be decided by 2 April, 7 days after this morning. Nobody investigated it
        # yet, so the body's liaison officer hears.
        case = open_case(make_body(personas), on=datetime.date(2025, 1, 2))
        settings.FAZHI_CASE_REMINDER_DAYS = None  # a broken setting: the case reminders fail
        with caplog.at_level(logging.ERROR):
            run_pass(state)
        assert "worker: case time limit reminders failed" in caplog.text
        # The rest of the pass ran: the report reminder is in the inbox and was sent.
        assert Notification.objects.filter(recipient=liaison, kind="reminder").count() == 1
        assert len(mail.outbox) == 1
        assert state.enforcement_on is None

        settings.FAZHI_CASE_REMINDER_DAYS = [10, 3]
        run_pass(state)
        assert state.enforcement_on == REMINDER_MORNING.date()
        [told] = Notification.objects.filter(recipient=liaison, kind="case_deadline")
        assert case.number in told.body
        assert len(mail.outbox) == 2

        run_pass(state)
        call_command("worker", "--once")  # cron too, with a fresh state: nothing twice

    assert Notification.objects.filter(kind="case_deadline").count() == 1
    assert len(mail.outbox) == 2
