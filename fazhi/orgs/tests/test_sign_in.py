"""Signing in: throttled after repeated failures, a password policy, sessions that expire when idle."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client

from fazhi.orgs import actions
from fazhi.testing import PASSWORD, Personas

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str, ip: str = "192.0.2.1") -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_a_right_password_signs_in_and_lands_on_home(personas: Personas, client: Client) -> None:
    response = sign_in(client, "liaison", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/home/"


def test_a_wrong_password_is_refused_with_a_message(personas: Personas, client: Client) -> None:
    response = sign_in(client, "liaison", "not-the-password")
    assert response.status_code == 200
    assert "/home/" not in response.get("Location", "")
    assert not response.wsgi_request.user.is_authenticated


def test_repeated_failures_lock_the_account_from_that_address(personas: Personas, settings: object) -> None:
    client = Client()
    for _ in range(5):
        sign_in(client, "liaison", "wrong-password")
    locked = sign_in(client, "liaison", PASSWORD)
    assert locked.status_code == 429
    assert not locked.wsgi_request.user.is_authenticated
    # Another address is not locked out, so an attacker cannot lock a colleague out of the office.
    elsewhere = sign_in(Client(), "liaison", PASSWORD, ip="198.51.100.7")
    assert elsewhere.status_code == 302


def test_the_lock_lifts_after_the_cool_off(personas: Personas) -> None:
    client = Client()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        for _ in range(5):
            sign_in(client, "liaison", "wrong-password")
        assert sign_in(client, "liaison", PASSWORD).status_code == 429
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 16, tzinfo=datetime.UTC), tick=False):
        assert sign_in(client, "liaison", PASSWORD).status_code == 302


def test_a_disabled_account_cannot_sign_in(personas: Personas, client: Client) -> None:
    with transaction.atomic():
        actions.set_active(personas.liaison, False)
    response = sign_in(client, "liaison", PASSWORD)
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize("weak", ["short1!", "alllowercaseletters", "1234567890123", "fazhi-liaison"])
def test_weak_passwords_are_refused(personas: Personas, weak: str) -> None:
    with pytest.raises(ValidationError), transaction.atomic():
        actions.set_password(personas.liaison, weak)


def test_the_password_policy_speaks_chinese(personas: Personas) -> None:
    with pytest.raises(ValidationError) as error, transaction.atomic():
        actions.set_password(personas.liaison, "alllowercaseletters")
    assert "至少" in " ".join(error.value.messages)


def test_a_session_ends_after_an_hour_without_activity(personas: Personas) -> None:
    client = Client()
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        sign_in(client, "liaison", PASSWORD)
        assert client.get("/home/").status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=50), tick=False):
        assert client.get("/home/").status_code == 200  # activity pushes the expiry forward
    with time_machine.travel(start + datetime.timedelta(minutes=105), tick=False):
        assert client.get("/home/").status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=180), tick=False):
        response = client.get("/home/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_signing_out_needs_a_post(personas: Personas, client: Client) -> None:
    client.force_login(personas.liaison)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/home/").status_code == 302
