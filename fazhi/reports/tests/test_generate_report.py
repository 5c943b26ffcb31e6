"""The annual report assembled from the year's records (the state is described in year.py)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import docx as python_docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.reports import docx, generate, indicators
from fazhi.reports.generate import Sentence, say
from fazhi.reports.models import IndicatorValue
from fazhi.testing import Personas

from .year import known_year

pytestmark = pytest.mark.django_db

DIGITS = re.compile(r"\d+")


def region_report(
    personas: Personas, order: tuple[str, ...] = generate.DEFAULT_ORDER
) -> generate.AnnualReport:
    return generate.generate(indicators.Scope(personas.region_a, 2025), order)


def stated_numbers(sentence: Sentence) -> set[str]:
    """The digit runs the sentence states itself, once the record text it quotes is taken out."""
    text = sentence.text
    for quote in sentence.quotes:
        text = text.replace(quote, "")
    return set(DIGITS.findall(text))


def test_every_number_in_the_prose_is_a_computed_figure_with_its_records(personas: Personas) -> None:
    known_year(personas)
    report = region_report(personas)
    stated = 0
    for sentence in report.sentences():
        figures = {run for figure in sentence.figures for run in DIGITS.findall(figure.text)}
        assert stated_numbers(sentence) <= figures, sentence.text
        assert all(figure.sources for figure in sentence.figures if figure.code != "year"), sentence.text
        stated += len(stated_numbers(sentence))
    assert stated > 10


def test_every_number_in_the_documents_body_comes_from_figures_or_quoted_records(personas: Personas) -> None:
    known_year(personas)
    report = region_report(personas)
    allowed = set()
    for sentence in report.sentences():
        allowed |= {run for figure in sentence.figures for run in DIGITS.findall(figure.text)}
        allowed |= {run for quote in sentence.quotes for run in DIGITS.findall(quote)}
    document = python_docx.Document(io.BytesIO(docx.render(report)))
    body = []
    for paragraph in document.paragraphs:
        if paragraph.text == "数据来源":
            break
        body.append(paragraph.text)
    assert set(DIGITS.findall("".join(body))) <= allowed


def test_a_template_cannot_state_a_number_of_its_own() -> None:
    with pytest.raises(ValueError, match="digits"):
        say("全年完成任务3项。")
    with pytest.raises(ValueError, match="digits"):
        say("全年完成任务{n}项。", n="3")


def test_the_report_reads_as_a_report_of_the_year(personas: Personas) -> None:
    known_year(personas)
    report = region_report(personas)
    assert report.title.text == "新城区2025年法治政府建设情况报告"
    assert [section.title for section in report.sections] == [
        "一、党政主要负责人履行推进法治建设第一责任人职责情况",
        "二、推进法治政府建设的主要举措和成效",
        "三、推进法治政府建设存在的不足和原因",
        "四、下一年度推进法治政府建设的工作安排",
        "五、其他需要报告的情况",
    ]
    measures = "".join(p.text for p in report.sections[1].paragraphs)
    assert "全年共部署计划任务3项，已完成2项，完成率66.7%。" in measures
    assert "的目标已实现，报告值为72学时。" in measures


def test_shortcomings_come_from_unfinished_tasks_unmet_targets_late_and_returned_reports(
    personas: Personas,
) -> None:
    known_year(personas)
    report = region_report(personas)
    text = "".join(p.text for p in report.sections[2].paragraphs)
    assert "一是部分任务尚未完成。截至2025年底，计划任务中有1项尚未完成：“坚持党的集中统一领导”。" in text
    assert "二是部分量化目标未实现。" in text
    assert "报告值为95%，未达到目标" in text
    assert "三是进展报送不够及时。1份进展报告逾期报送或至今未报送，其中1份被亮红牌。" in text
    assert "四是报送质量有待提高。1份进展报告被退回修改。" in text
    next_year = "".join(p.text for p in report.sections[3].paragraphs)
    assert "2026年" in next_year
    assert "“坚持党的集中统一领导”，由保合少镇人民政府负责。" in next_year


def test_section_order_is_configurable(personas: Personas) -> None:
    known_year(personas)
    report = region_report(personas, ("measures", "shortcomings", "next_year", "duty"))
    assert [s.key for s in report.sections] == ["measures", "shortcomings", "next_year", "duty"]
    assert report.sections[0].title.startswith("一、推进法治政府建设的主要举措")
    with pytest.raises(ValueError, match="unknown"):
        region_report(personas, ("measures", "summary"))


def test_the_same_records_give_the_same_file(personas: Personas) -> None:
    known_year(personas)
    assert docx.render(region_report(personas)) == docx.render(region_report(personas))


def test_the_command_writes_a_units_report_and_stores_its_values(personas: Personas, tmp_path: Path) -> None:
    known_year(personas)
    output = tmp_path / "司法局.docx"
    call_command(
        "report", "generate", "--region", "新城区", "--year", "2025", "--unit", "新城区司法局",
        "--output", str(output),
    )  # fmt: skip
    document = python_docx.Document(str(output))
    assert document.paragraphs[0].text == "新城区司法局2025年法治政府建设情况报告"
    stored = IndicatorValue.objects.get(indicator__code="tasks", unit=personas.justice_a, year=2025)
    assert stored.value == 3


def test_an_unwritable_output_is_refused_in_chinese_and_stores_nothing(
    personas: Personas, tmp_path: Path
) -> None:
    known_year(personas)
    with pytest.raises(CommandError, match=r"无法写入.*请选择"):
        call_command(
            "report", "generate", "--region", "新城区", "--year", "2025",
            "--output", str(tmp_path / "missing" / "report.docx"),
        )  # fmt: skip
    assert not IndicatorValue.objects.exists()


def test_the_command_refuses_a_region_it_does_not_know(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="没有名为“不存在区”的区域"):
        call_command(
            "report", "generate", "--region", "不存在区", "--year", "2025", "--output", str(tmp_path / "x")
        )


def test_analyze_hands_its_arguments_to_the_document_reader(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fazhi.reports.management.commands.report import Command

    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["fazhi", "report", "analyze", str(tmp_path / "missing.docx")])
    assert exit_.value.code == 2
    assert "找不到文件" in capsys.readouterr().err
    seed = Path(__file__).resolve().parents[2] / "docparse/tests/fixtures/seeds/001_414aed995e5eda95.txt"
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["fazhi", "report", "analyze", str(seed), "--json"])
    assert exit_.value.code == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["kind"], result["year"]) == ("report", 2024)
