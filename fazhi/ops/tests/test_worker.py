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
