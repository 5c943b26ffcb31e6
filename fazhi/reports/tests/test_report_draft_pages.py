"""The draft in the browser: who may read and write it, editing, publishing on the portal, revisions, the
update from new records, and a unit's own report."""

from __future__ import annotations

import io
import shutil

import docx as python_docx
import pytest
from django.test import Client
from django.urls import reverse

from fazhi.reports import drafts
from fazhi.reports.models import DraftStatus, ReportDraft
from fazhi.supervision.models import Progress, Report, ReportStatus
from fazhi.testing import Personas

from .year import known_year

pytestmark = pytest.mark.django_db
YEAR = 2025


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def url(personas: Personas, name: str, *more: int) -> str:
    return reverse(f"reports:{name}", args=[personas.region_a.pk, YEAR, *more])


def started(personas: Personas) -> ReportDraft:
    known_year(personas)
    assert client_for(personas.coordinator).post(url(personas, "draft")).status_code == 302
    return ReportDraft.objects.get(region=personas.region_a, year=YEAR)


def form_of(draft: ReportDraft) -> dict[str, str]:
    revision = draft.revisions.order_by("-number").first()
    assert revision is not None
    edit = drafts.edit_of(revision.content)
    data = {
        "base": str(revision.number),
        "title": edit.title,
        "opening": edit.opening,
        "closing": edit.closing,
    }
    for key, (title, text) in edit.sections.items():
        data[f"title-{key}"] = title
        data[f"text-{key}"] = text
    return data


def test_the_office_writes_the_draft_the_leader_reads_it_and_others_see_nothing(personas: Personas) -> None:
    draft = started(personas)
    readers = {"coordinator": 200, "admin": 200, "leader": 200, "liaison": 403, "unit_head": 403}
    readers |= {"no_role": 403, "coordinator_b": 404, "liaison_b": 403}
    for name in ("draft", "draft_revisions", "draft_docx"):
        seen = {
            who: client_for(getattr(personas, who)).get(url(personas, name)).status_code for who in readers
        }
        assert seen == readers, name
    writers = {"coordinator": 200, "admin": 200, "leader": 403, "liaison": 403, "coordinator_b": 404}
    for name in ("draft_edit", "draft_regenerate"):
        seen = {
            who: client_for(getattr(personas, who)).get(url(personas, name)).status_code for who in writers
        }
        assert seen == writers, name
    leader = client_for(personas.leader)
    assert leader.post(url(personas, "draft_edit"), form_of(draft)).status_code == 403
    assert leader.post(url(personas, "draft_publish"), {"base": "1"}).status_code == 403
    assert (
        client_for(personas.coordinator_b).post(url(personas, "draft_publish"), {"base": "1"}).status_code
        == 404
    )
    assert ReportDraft.objects.get().status == DraftStatus.DRAFT
    assert Client().get(url(personas, "draft")).status_code == 302


def test_an_edit_is_saved_as_a_revision_and_the_office_numbers_must_be_checked_before_publishing(
    personas: Personas,
) -> None:
    draft = started(personas)
    client = client_for(personas.coordinator)
    data = form_of(draft)
    data["opening"] += "全年召开政府常务会议学法8次。"
    data["note"] = "补充学法情况"
    assert client.post(url(personas, "draft_edit"), data).status_code == 302
    page = client.get(url(personas, "draft")).content.decode()
    assert '<span class="report-edited"' in page
    assert 'data-untraced="1"' in page
    assert "8次" in page
    refused = client.post(url(personas, "draft_publish"), {"base": "2"}, follow=True)
    assert ReportDraft.objects.get().status == DraftStatus.DRAFT
    assert refused.status_code == 200
    client.post(url(personas, "draft_publish"), {"base": "2", "numbers_checked": "1"})
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PUBLISHED
    assert draft.published_revision is not None
    assert draft.published_revision.number == 2
    history = client.get(url(personas, "draft_revisions")).content.decode()
    assert 'data-revision="2"' in history
    assert "补充学法情况" in history
    changes = client.get(url(personas, "draft_revision", 2)).content.decode()
    assert '<ins class="diff-added">全年召开政府常务会议学法8次。</ins>' in changes


def test_the_published_revision_is_on_the_portal_without_the_record_appendix(personas: Personas) -> None:
    draft = started(personas)
    client = client_for(personas.coordinator)
    client.post(url(personas, "draft_publish"), {"base": "1"})
    draft.refresh_from_db()
    public = Client()
    listing = public.get(reverse("portal:reports")).content.decode()
    title = f"{personas.region_a.name}{YEAR}年法治政府建设情况报告"
    assert title in listing
    assert title in public.get(reverse("portal:index")).content.decode()
    assert public.get(reverse("portal:reports"), {"q": "莲湖"}).content.decode().count(title) == 0
    page = public.get(reverse("portal:report", args=[draft.pk])).content.decode()
    assert title in page
    assert "hx-get" not in page  # no links into the platform's records
    document = python_docx.Document(
        io.BytesIO(public.get(reverse("portal:report_docx", args=[draft.pk])).content)
    )
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == title
    assert "数据来源" not in texts
    # The office's later edits stay private until published again.
    data = form_of(draft)
    data["closing"] = "特此报告。请审阅。"
    client.post(url(personas, "draft_edit"), data)
    assert "请审阅" not in public.get(reverse("portal:report", args=[draft.pk])).content.decode()
    assert "请审阅" in client.get(url(personas, "draft")).content.decode()
    client.post(url(personas, "draft_withdraw"))
    assert public.get(reverse("portal:report", args=[draft.pk])).status_code == 404
    assert title not in public.get(reverse("portal:reports")).content.decode()


def test_two_editors_on_the_same_revision_do_not_overwrite_each_other(personas: Personas) -> None:
    draft = started(personas)
    first, second = client_for(personas.coordinator), client_for(personas.admin)
    mine, theirs = form_of(draft), form_of(draft)
    mine["closing"] = "特此报告。甲"
    theirs["closing"] = "特此报告。乙"
    assert first.post(url(personas, "draft_edit"), mine).status_code == 302
    answer = second.post(url(personas, "draft_edit"), theirs)
    assert answer.status_code == 200
    assert "alert-danger" in answer.content.decode()
    assert "特此报告。乙" in answer.content.decode()  # the text typed is shown again, not lost
    assert draft.revisions.count() == 2


def test_the_update_from_new_records_shows_the_changes_and_keeps_the_office_text(personas: Personas) -> None:
    draft = started(personas)
    client = client_for(personas.coordinator)
    data = form_of(draft)
    data["opening"] = "本年度，我区扎实推进法治政府建设。"
    client.post(url(personas, "draft_edit"), data)
    assert "data-unchanged" in client.get(url(personas, "draft_regenerate")).content.decode()
    Report.objects.filter(status=ReportStatus.PENDING).update(
        status=ReportStatus.ACCEPTED, progress=Progress.DONE, text="已完成。"
    )
    page = client.get(url(personas, "draft_regenerate")).content.decode()
    assert "data-updated" in page
    assert "diff-added" in page
    assert draft.revisions.count() == 2  # looking saves nothing
    client.post(url(personas, "draft_regenerate"), {"base": "2"})
    latest = draft.revisions.order_by("-number").first()
    assert latest is not None
    assert latest.number == 3
    assert drafts.paragraph_text(latest.content["opening"]) == "本年度，我区扎实推进法治政府建设。"


def test_a_unit_reads_its_own_report_and_not_another_units(personas: Personas) -> None:
    known_year(personas)
    own = reverse("reports:unit_preview", args=[personas.justice_a.pk, YEAR])
    expected = {"unit_head": 200, "liaison": 200, "coordinator": 200, "leader": 200}
    expected |= {"liaison_other_unit": 404, "coordinator_b": 404, "no_role": 403}
    seen = {who: client_for(getattr(personas, who)).get(own).status_code for who in expected}
    assert seen == expected
    page = client_for(personas.unit_head).get(own).content.decode()
    assert f"{personas.justice_a.name}{YEAR}年法治政府建设情况报告" in page
    assert personas.town_unit_a.name not in page
    docx_url = reverse("reports:unit_docx", args=[personas.justice_a.pk, YEAR])
    document = python_docx.Document(io.BytesIO(client_for(personas.liaison).get(docx_url).content))
    assert document.paragraphs[0].text.startswith(personas.justice_a.name)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_report_downloads_as_pdf_where_libreoffice_is_installed(personas: Personas) -> None:
    known_year(personas)
    answer = client_for(personas.coordinator).get(url(personas, "pdf"))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")


def test_without_libreoffice_the_pdf_link_explains_and_the_docx_still_works(
    personas: Personas, settings: object
) -> None:
    known_year(personas)
    settings.FAZHI_LIBREOFFICE = "/nonexistent/soffice"  # type: ignore[attr-defined]
    client = client_for(personas.coordinator)
    page = client.get(url(personas, "preview")).content.decode()
    assert url(personas, "pdf") not in page
    answer = client.get(url(personas, "pdf"), follow=True)
    assert answer.redirect_chain[-1][0] == url(personas, "preview")
    assert "LibreOffice" in answer.content.decode()
    assert client.get(url(personas, "docx")).status_code == 200
