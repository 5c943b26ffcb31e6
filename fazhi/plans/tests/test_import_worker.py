"""With the database queue, an upload waits for `fazhi worker`, which reads it once however often it runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from fazhi.plans.models import ImportStatus, Plan, PlanImport
from fazhi.testing import SAMPLE_PLAN, Personas


@pytest.fixture
def database_queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_an_upload_waits_in_the_queue_until_the_worker_reads_it(
    personas: Personas, database_queue: None, tmp_path: Path
) -> None:
    client = Client()
    client.force_login(personas.coordinator)
    client.post(
        "/plans/import/",
        {"region": personas.region_a.pk, "file": SimpleUploadedFile("plan.txt", SAMPLE_PLAN.encode("utf-8"))},
    )
    job = PlanImport.objects.get()
    assert job.status == ImportStatus.QUEUED
    waiting = client.get(f"/plans/imports/{job.pk}/", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in waiting.content.decode()

    call_command("worker", "--once")
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.error
    done = client.get(f"/plans/imports/{job.pk}/", HTTP_HX_REQUEST="true")
    assert done["HX-Redirect"] == f"/plans/{job.plan_id}/"

    call_command("worker", "--once")  # nothing left: the plan is not read twice
    assert Plan.objects.count() == 1
