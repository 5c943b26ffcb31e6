"""Sending messages outside the app: e-mail through the configured mailer, SMS through the gateway interface,
retried with a pause, given up after three attempts, and never sent twice."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from fazhi.notifications import actions
from fazhi.notifications.delivery import LEASE, deliver_pending
from fazhi.notifications.models import Channel, Delivery, DeliveryStatus
from fazhi.notifications.sms import MemorySmsBackend, SmsBackend
from fazhi.orgs.models import User
from fazhi.testing import Personas

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 26, 9, 0, tzinfo=datetime.UTC)


class DyingSmsBackend(SmsBackend):
    """The worker process is killed while the gateway call is under way."""

    def send(self, phone: str, text: str) -> None:
        raise SystemExit(1)


@pytest.fixture(autouse=True)
def sms(settings: Any) -> Any:
    settings.FAZHI_SMS_BACKEND = "fazhi.notifications.sms.MemorySmsBackend"
    MemorySmsBackend.reset()
    yield MemorySmsBackend
    MemorySmsBackend.reset()


def with_address(user: User, email: str = "", phone: str = "") -> User:
    User.objects.filter(pk=user.pk).update(email=email, phone=phone)
    return User.objects.get(pk=user.pk)


def tell(user: User, key: str = "test:1") -> None:
    with transaction.atomic():
        actions.notify([user], "reminder", "提醒：1项报送即将到期", "请按时报送。", "/supervision/my/", key)


def test_a_message_goes_out_by_email_and_sms(personas: Personas) -> None:
    tell(with_address(personas.liaison, "qian@example.org", "13800000001"))

    result = deliver_pending()

    assert result.sent == 2
    [email] = mail.outbox
    assert email.to == ["qian@example.org"]
    assert email.subject == "提醒：1项报送即将到期"
    assert "请按时报送。" in email.body
    assert "/supervision/my/" in email.body
    assert MemorySmsBackend.outbox == [("13800000001", "提醒：1项报送即将到期")]
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert deliver_pending().total == 0  # nothing is sent again


def test_a_person_without_an_address_is_skipped_but_keeps_the_inbox_message(personas: Personas) -> None:
    liaison = with_address(personas.liaison, email="", phone="")
    tell(liaison)

    assert deliver_pending().total == 0
    assert mail.outbox == []
    assert MemorySmsBackend.outbox == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SKIPPED}
    assert liaison.notifications.count() == 1


def test_without_a_mailer_or_gateway_only_the_inbox_is_used(personas: Personas, settings: Any) -> None:
    settings.MAILERS = {}
    settings.FAZHI_SMS_BACKEND = ""
    tell(with_address(personas.liaison, "qian@example.org", "13800000001"))
    assert not Delivery.objects.exists()
    assert personas.liaison.notifications.count() == 1


def test_a_failed_send_is_retried_after_a_pause_then_given_up_after_three_attempts(
    personas: Personas,
) -> None:
    MemorySmsBackend.failing.add("13800000001")
    with time_machine.travel(NOW, tick=False) as clock:
        tell(with_address(personas.liaison, phone="13800000001"))
        delivery = Delivery.objects.get(channel=Channel.SMS)
        assert deliver_pending().retrying == 1
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
        assert delivery.next_attempt_at == timezone.now() + datetime.timedelta(minutes=5)
        assert "gateway refused" in delivery.error

        assert deliver_pending().total == 0  # not before the pause is over
        clock.shift(datetime.timedelta(minutes=5))
        assert deliver_pending().retrying == 1
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == timezone.now() + datetime.timedelta(minutes=30)

        clock.shift(datetime.timedelta(minutes=30))
        assert deliver_pending().failed == 1
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)

        clock.shift(datetime.timedelta(days=1))
        assert deliver_pending().total == 0
    assert MemorySmsBackend.outbox == []


def test_a_gateway_that_works_again_sends_on_the_retry(personas: Personas) -> None:
    MemorySmsBackend.failing.add("13800000001")
    with time_machine.travel(NOW, tick=False) as clock:
        tell(with_address(personas.liaison, phone="13800000001"))
        deliver_pending()
        MemorySmsBackend.failing.clear()
        clock.shift(datetime.timedelta(minutes=6))
        assert deliver_pending().sent == 1
    assert len(MemorySmsBackend.outbox) == 1


def test_a_worker_killed_while_sending_does_not_send_it_again(personas: Personas, settings: Any) -> None:
    settings.FAZHI_SMS_BACKEND = "fazhi.notifications.tests.test_deliveries.DyingSmsBackend"
    with time_machine.travel(NOW, tick=False) as clock:
        tell(with_address(personas.liaison, phone="13800000001"))
        with pytest.raises(SystemExit):
            deliver_pending()
        delivery = Delivery.objects.get(channel=Channel.SMS)
        assert delivery.status == DeliveryStatus.SENDING

        # Another worker, with a gateway that works, neither sends it while the claim lasts nor after.
        settings.FAZHI_SMS_BACKEND = "fazhi.notifications.sms.MemorySmsBackend"
        assert deliver_pending().total == 0
        clock.shift(LEASE + datetime.timedelta(minutes=1))
        result = deliver_pending()

    assert (result.interrupted, result.total) == (1, 0)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert MemorySmsBackend.outbox == []


def test_telling_the_same_person_the_same_thing_twice_makes_one_message(personas: Personas) -> None:
    liaison = with_address(personas.liaison, "qian@example.org")
    tell(liaison, key="same")
    tell(liaison, key="same")
    assert liaison.notifications.count() == 1
    assert Delivery.objects.filter(channel=Channel.EMAIL).count() == 1


def test_an_email_links_to_the_page_by_its_whole_address_when_the_site_is_known(
    personas: Personas, settings: Any
) -> None:
    settings.FAZHI_SITE_URL = "https://fazhi.example.gov.cn/"
    tell(with_address(personas.liaison, "qian@example.org"))
    deliver_pending()
    [email] = mail.outbox
    assert "https://fazhi.example.gov.cn/supervision/my/" in email.body
