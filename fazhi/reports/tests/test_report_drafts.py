"""The office's draft: edits keep the records of unchanged sentences, regeneration keeps the edits, every
save is a revision, and numbers the office typed are pointed out."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.audit.models import AuditEntry
from fazhi.audit.recorder import acting_as
from fazhi.reports import actions, drafts
from fazhi.reports.generate import source_entries
from fazhi.reports.indicators import Scope
from fazhi.reports.models import ReportRevision, RevisionKind
from fazhi.supervision.models import Progress, Report, ReportStatus
from fazhi.testing import Personas

from .year import known_year

pytestmark = pytest.mark.django_db
YEAR = 2025


def start(personas: Personas) -> actions.ReportDraft:
    known_year(personas)
    with acting_as(personas.coordinator, "test"):
        return actions.start_draft(Scope(personas.region_a, YEAR), personas.coordinator)


def latest(draft: actions.ReportDraft) -> ReportRevision:
    revision = draft.revisions.order_by("-number").first()
    assert revision is not None
    return revision


def edited_text(content: drafts.Content, key: str, old: str, new: str) -> drafts.Edit:
    edit = drafts.edit_of(content)
    sections = dict(edit.sections)
    title, text = sections[key]
    assert old in text, text
    sections[key] = (title, text.replace(old, new, 1))
    return drafts.Edit(edit.title, edit.opening, sections, edit.closing)


def save(personas: Personas, draft: actions.ReportDraft, edit: drafts.Edit, base: int) -> ReportRevision:
    with acting_as(personas.coordinator, "test"), transaction.atomic():
        return actions.save_edit(draft, personas.coordinator, edit, base)


def test_a_draft_starts_as_the_generated_report_and_reads_back_the_same(personas: Personas) -> None:
    draft = start(personas)
    first = latest(draft)
    assert first.number == 1
    assert first.kind == RevisionKind.GENERATED
    assert first.content == first.generated
    # Saving the editor's text unchanged changes nothing: every sentence is found again with its records.
    assert save(personas, draft, drafts.edit_of(first.content), 1).pk == first.pk
    assert drafts.apply_edit(first.content, first.generated, drafts.edit_of(first.content)) == first.content
    # A second start returns the same draft.
    with acting_as(personas.coordinator, "test"):
        assert actions.start_draft(Scope(personas.region_a, YEAR), personas.coordinator).pk == draft.pk


def test_an_edit_keeps_the_records_of_the_sentences_left_alone(personas: Personas) -> None:
    draft = start(personas)
    first = latest(draft)
    section = first.content["sections"][0]
    sentence = next(s for p in section["paragraphs"] for s in p["sentences"] if s["sources"])
    edit = edited_text(
        first.content, section["key"], sentence["text"], sentence["text"] + "全年共开展培训12次。"
    )
    second = save(personas, draft, edit, 1)
    assert second.number == 2
    assert second.kind == RevisionKind.EDITED
    sentences = list(drafts.sentences(second.content))
    kept = [s for s in sentences if s["text"] == sentence["text"]]
    assert kept
    assert kept[0]["sources"] == sentence["sources"]
    added = [s for s in sentences if s.get("edited")]
    assert [s["text"] for s in added] == ["全年共开展培训12次。"]
    untraced = drafts.untraced_claims(second.content)
    assert [u.quantities for u in untraced] == [("12次",)]
    # The .docx appendix vouches only for sentences from the records.
    report = drafts.to_report(second.content, Scope(personas.region_a, YEAR))
    excerpts = [entry.excerpt for entry in source_entries(report)]
    assert any(sentence["text"][:10] in excerpt for excerpt in excerpts)
    assert all("12次" not in excerpt for excerpt in excerpts)


def test_a_save_from_an_older_revision_is_refused_and_nothing_is_lost(personas: Personas) -> None:
    draft = start(personas)
    first = latest(draft)
    key = first.content["sections"][0]["key"]
    _title, text = drafts.edit_of(first.content).sections[key]
    save(personas, draft, edited_text(first.content, key, text[:4], "甲乙" + text[:4]), 1)
    with pytest.raises(ValidationError, match="2"):
        save(personas, draft, edited_text(first.content, key, text[:4], "丙丁" + text[:4]), 1)
    assert draft.revisions.count() == 2


def test_regenerating_takes_new_data_where_the_office_did_not_edit_and_keeps_its_edits(
    personas: Personas,
) -> None:
    draft = start(personas)
    first = latest(draft)
    edit = drafts.edit_of(first.content)
    # The office rewrites the opening only.
    edit = drafts.Edit(edit.title, "本年度，我区扎实推进法治政府建设。", edit.sections, edit.closing)
    second = save(personas, draft, edit, 1)
    # New data: the town's missing Q2 report is accepted as done, so the figures change.
    Report.objects.filter(status=ReportStatus.PENDING).update(
        status=ReportStatus.ACCEPTED, progress=Progress.DONE, text="已完成。"
    )
    with acting_as(personas.coordinator, "test"):
        revision, merged = actions.regenerate(draft, personas.coordinator, Scope(personas.region_a, YEAR), 2)
    assert revision.number == 3
    assert revision.kind == RevisionKind.REGENERATED
    assert revision.content["opening"] == second.content["opening"]
    assert merged.kept == ("开头",)
    assert merged.conflicts == ()
    assert revision.generated != first.generated
    # The sections the office left alone are the new generated text, with the new records.
    assert revision.content["sections"] == revision.generated["sections"]
    assert revision.content["sections"] != first.content["sections"]
    # Regenerating again with no new data changes nothing.
    with acting_as(personas.coordinator, "test"):
        again, _merged = actions.regenerate(draft, personas.coordinator, Scope(personas.region_a, YEAR), 3)
    assert again.pk == revision.pk


def test_a_part_edited_by_the_office_and_changed_by_the_records_is_a_conflict_with_the_edit_kept() -> None:
    def content(opening: str, body: str) -> drafts.Content:
        sentence = {"text": opening, "figures": [], "quotes": [], "sources": {}}
        para = {"heading": False, "sentences": [{"text": body, "figures": [], "quotes": [], "sources": {}}]}
        return {
            "title": {"text": "标题", "figures": [], "quotes": [], "sources": {}},
            "opening": {"heading": False, "sentences": [sentence]},
            "sections": [{"key": "measures", "title": "一、主要举措", "paragraphs": [para]}],
            "closing": {"heading": False, "sentences": [{"text": "特此报告。", "sources": {}}]},
        }

    base = content("开头。", "完成任务二项。")
    mine = content("开头改写。", "完成任务二项。")
    fresh = content("开头（新）。", "完成任务三项。")
    merged = drafts.merge(mine, base, fresh)
    assert merged.conflicts == ("开头",)
    assert merged.updated == ("一、主要举措",)
    assert merged.content["opening"] == mine["opening"]
    assert merged.content["sections"][0] == fresh["sections"][0]
    changes = drafts.diff(base, fresh)
    assert [part.label for part in changes] == ["开头", "一、主要举措"]
    spans = [(s.kind, s.text) for c in changes[1].changes for s in c.spans]
    assert ("removed", "二") in spans
    assert ("added", "三") in spans


def test_restore_and_publish_are_revisions_and_writes_are_audited(personas: Personas) -> None:
    draft = start(personas)
    first = latest(draft)
    key = first.content["sections"][0]["key"]
    _title, text = drafts.edit_of(first.content).sections[key]
    save(personas, draft, edited_text(first.content, key, text[:4], "甲乙" + text[:4]), 1)
    with acting_as(personas.coordinator, "test"):
        restored = actions.restore(draft, personas.coordinator, 1, 2)
        published = actions.publish(draft, personas.coordinator, 3)
    assert restored.content == first.content
    assert restored.kind == RevisionKind.RESTORED
    assert published.published_revision_id == restored.pk
    entries = AuditEntry.objects.filter(target_type="reports.reportrevision")
    assert entries.count() == 3
    # The audit keeps each revision's digest, so text changed in the database no longer matches it.
    assert all(restored.digest in e.changes for e in entries.filter(target_id=str(restored.pk)))
    ReportRevision.objects.filter(pk=restored.pk).update(content={"title": {"text": "篡改"}})
    tampered = ReportRevision.objects.get(pk=restored.pk)
    assert tampered.compute_digest() != tampered.digest
