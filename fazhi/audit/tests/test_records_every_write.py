"""Every write records who, when, what, and the old and new values."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client

from fazhi.audit import chain
from fazhi.audit.models import AuditEntry
from fazhi.audit.recorder import acting_as, batched, is_audited
from fazhi.orgs import actions
from fazhi.orgs.models import Unit
from fazhi.testing import PASSWORD, Personas

pytestmark = pytest.mark.django_db


def last_entry() -> AuditEntry:
    return AuditEntry.objects.order_by("-seq").first()  # type: ignore[return-value]


def test_every_model_of_our_apps_is_audited() -> None:
    ours = [m for m in apps.get_models() if m.__module__.startswith("fazhi.")]
    assert ours, "no models found"
    unaudited = [m._meta.label for m in ours if not is_audited(m) and m._meta.app_label != "audit"]
    assert unaudited == []


def test_creating_a_unit_records_its_values_and_actor(personas: Personas) -> None:
    with acting_as(personas.coordinator, "web", "10.0.0.8"), transaction.atomic():
        unit = actions.save_unit(None, region=personas.region_a, name="新城区教育局", kind="department")
    entry = last_entry()
    assert (entry.action, entry.target_type, entry.target_id) == ("create", "orgs.unit", str(unit.pk))
    assert entry.actor_id == personas.coordinator.pk
    assert entry.actor_name == "coordinator"
    assert entry.ip == "10.0.0.8"
    assert entry.region_id == personas.region_a.pk
    assert entry.changes_dict()["name"] == [None, "新城区教育局"]


def test_changing_a_unit_records_only_the_changed_fields(personas: Personas) -> None:
    with acting_as(personas.coordinator, "web"), transaction.atomic():
        actions.save_unit(personas.justice_a, phone="0471-6600000", is_decision_body=True)
    assert last_entry().changes_dict() == {"is_decision_body": [False, True], "phone": ["", "0471-6600000"]}


def test_a_save_that_changes_nothing_records_nothing(personas: Personas) -> None:
    before = AuditEntry.objects.count()
    with transaction.atomic():
        actions.save_unit(personas.justice_a)
    assert AuditEntry.objects.count() == before


def test_deleting_records_the_old_values(personas: Personas) -> None:
    alias = personas.justice_a.aliases.get()
    with acting_as(personas.coordinator, "web"), transaction.atomic():
        actions.delete_alias(alias)
    entry = last_entry()
    assert entry.action == "delete"
    assert entry.changes_dict()["name"] == ["区司法局", None]


def test_group_membership_changes_are_recorded(personas: Personas) -> None:
    with transaction.atomic():
        actions.save_group(personas.enforcement_group_a, members=[personas.reform_a])
    entry = last_entry()
    assert entry.action == "m2m_add"
    assert entry.changes_dict() == {"members": {"add": [personas.reform_a.pk]}}


def test_passwords_never_reach_the_audit_trail(personas: Personas) -> None:
    with transaction.atomic():
        actions.set_password(personas.liaison, "Another-pass-2025!")
    entry = last_entry()
    assert entry.changes_dict()["password"][1] == "******"
    assert personas.liaison.password not in entry.changes
    assert all("Another-pass" not in e.changes for e in AuditEntry.objects.all())


def test_a_write_outside_a_transaction_is_refused_in_strict_mode(personas: Personas) -> None:
    unit = Unit.objects.get(pk=personas.justice_a.pk)
    unit.phone = "123"
    with pytest.raises(RuntimeError, match="outside a transaction"):
        unit.save()


def test_a_web_edit_is_attributed_to_the_signed_in_user_and_address(
    personas: Personas, client: Client
) -> None:
    client.force_login(personas.coordinator)
    response = client.post(
        f"/orgs/units/{personas.justice_a.pk}/edit/",
        {"region": personas.region_a.pk, "name": "新城区司法局", "kind": "department",
         "is_enforcement_body": "on", "is_active": "on", "phone": "0471-1111111", "note": ""},
        REMOTE_ADDR="192.0.2.10",
    )  # fmt: skip
    assert response.status_code == 302
    entry = last_entry()
    assert (entry.actor_name, entry.source, entry.ip) == ("coordinator", "web", "192.0.2.10")
    assert json.loads(entry.changes) == {"phone": ["", "0471-1111111"]}


def test_sign_in_sign_out_and_failed_sign_in_are_recorded(personas: Personas, client: Client) -> None:
    client.post("/accounts/login/", {"username": "liaison", "password": "wrong"}, REMOTE_ADDR="192.0.2.20")
    failed = last_entry()
    assert (failed.action, failed.target_repr, failed.ip) == ("login_failed", "liaison", "192.0.2.20")
    client.post("/accounts/login/", {"username": "liaison", "password": PASSWORD})
    assert last_entry().action == "login"
    assert last_entry().actor_name == "liaison"
    client.post("/accounts/logout/")
    assert last_entry().action == "logout"


def test_a_batch_links_its_entries_in_order_when_it_ends(personas: Personas) -> None:
    before = AuditEntry.objects.count()
    with transaction.atomic(), batched():
        actions.save_unit(personas.justice_a, phone="1")
        actions.save_unit(personas.reform_a, phone="2")
        assert AuditEntry.objects.count() == before  # not yet: appended when the block ends
    added = list(AuditEntry.objects.order_by("seq")[before:])
    assert [(e.target_repr, e.changes_dict()["phone"][1]) for e in added] == [
        ("新城区司法局", "1"),
        ("新城区发展和改革委员会", "2"),
    ]
    assert chain.verify().ok


def test_a_failed_batch_appends_nothing(personas: Personas) -> None:
    before = AuditEntry.objects.count()

    def change_then_fail() -> None:
        with transaction.atomic(), batched():
            actions.save_unit(personas.justice_a, phone="1")
            raise ValueError("stop")

    with pytest.raises(ValueError, match="stop"):
        change_then_fail()
    assert AuditEntry.objects.count() == before
    assert chain.verify().ok


def test_a_batch_outside_a_transaction_is_refused(personas: Personas) -> None:
    with pytest.raises(RuntimeError, match="atomic"), batched():
        pass
