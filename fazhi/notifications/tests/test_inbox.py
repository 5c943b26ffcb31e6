"""The inbox: each person reads only their own messages, marks one or all read (htmx or plain forms), and
the navigation bar shows how many are unread."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from fazhi.notifications import actions
from fazhi.notifications.models import Notification
from fazhi.orgs.models import User
from fazhi.testing import Personas

pytestmark = pytest.mark.django_db


def tell(user: User, title: str, key: str) -> Notification:
    with transaction.atomic():
        [notification] = actions.notify([user], "reminder", title, "正文", "/supervision/my/", key)
    return notification


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def inbox_url() -> str:
    return reverse("notifications:inbox")


def test_a_person_sees_only_their_own_messages(personas: Personas) -> None:
    tell(personas.liaison, "给钱联络的提醒", "a")
    tell(personas.liaison_other_unit, "给孙联络的提醒", "b")

    page = signed_in(personas.liaison).get(inbox_url()).content.decode()

    assert "给钱联络的提醒" in page
    assert "给孙联络的提醒" not in page


def test_nobody_can_mark_someone_elses_message_read(personas: Personas) -> None:
    other = tell(personas.liaison_other_unit, "给孙联络的提醒", "b")
    for user in (personas.liaison, personas.admin):
        response = signed_in(user).post(f"{inbox_url()}{other.pk}/read/")
        assert response.status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_the_inbox_needs_a_signed_in_person(personas: Personas) -> None:
    response = Client().get(inbox_url())
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_marking_a_message_read_with_htmx_swaps_it_and_updates_the_badge(personas: Personas) -> None:
    first = tell(personas.liaison, "第一条", "a")
    tell(personas.liaison, "第二条", "b")
    client = signed_in(personas.liaison)

    response = client.post(f"{inbox_url()}{first.pk}/read/", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert f'id="notification-{first.pk}"' in html
    assert "Mark as read" not in html
    assert "标为已读" not in html
    assert 'id="inbox-badge" hx-swap-oob="true"' in html
    assert ">1<" in html  # one unread left
    first.refresh_from_db()
    assert first.read_at is not None


def test_marking_a_message_read_without_htmx_goes_back_to_the_inbox(personas: Personas) -> None:
    first = tell(personas.liaison, "第一条", "a")
    response = signed_in(personas.liaison).post(f"{inbox_url()}{first.pk}/read/")
    assert response.status_code == 302
    assert response["Location"] == inbox_url()
    assert Notification.objects.get(pk=first.pk).read_at is not None


def test_marking_all_read_touches_only_ones_own_messages(personas: Personas) -> None:
    tell(personas.liaison, "第一条", "a")
    tell(personas.liaison, "第二条", "b")
    others = tell(personas.liaison_other_unit, "给孙联络的提醒", "c")
    client = signed_in(personas.liaison)

    response = client.post(f"{inbox_url()}read-all/", HTTP_HX_REQUEST="true")
    assert (response.status_code, response["HX-Refresh"]) == (204, "true")
    assert not personas.liaison.notifications.filter(read_at__isnull=True).exists()
    others.refresh_from_db()
    assert others.read_at is None

    tell(personas.liaison, "第三条", "d")
    plain = client.post(f"{inbox_url()}read-all/")
    assert plain.status_code == 302
    assert not personas.liaison.notifications.filter(read_at__isnull=True).exists()


def test_reading_needs_a_post(personas: Personas) -> None:
    first = tell(personas.liaison, "第一条", "a")
    assert signed_in(personas.liaison).get(f"{inbox_url()}{first.pk}/read/").status_code == 405


def test_the_navigation_bar_counts_unread_messages(personas: Personas) -> None:
    client = signed_in(personas.liaison)
    assert "text-bg-danger" not in client.get("/home/").content.decode().split('id="inbox-badge"')[1][:80]
    tell(personas.liaison, "第一条", "a")
    tell(personas.liaison, "第二条", "b")
    tell(personas.liaison_other_unit, "给孙联络的提醒", "c")

    badge = client.get("/home/").content.decode().split('id="inbox-badge"')[1][:120]

    assert "text-bg-danger" in badge
    assert ">2<" in badge
