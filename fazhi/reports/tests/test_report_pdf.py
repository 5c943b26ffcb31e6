"""The annual report as PDF through LibreOffice, from the command; refused in Chinese where it cannot be."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fazhi.reports.models import IndicatorValue
from fazhi.testing import Personas

from .year import known_year

pytestmark = pytest.mark.django_db
YEAR = "2025"


def generate(personas: Personas, output: Path) -> None:
    call_command(
        "report", "generate", "--region", personas.region_a.name, "--year", YEAR, "--output", str(output)
    )


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_command_writes_a_pdf_of_the_report(personas: Personas, tmp_path: Path) -> None:
    known_year(personas)
    output = tmp_path / "report.pdf"
    generate(personas, output)
    data = output.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/Type /Page" in data or b"/Type/Page" in data
    assert IndicatorValue.objects.filter(year=int(YEAR)).exists()


def test_without_libreoffice_a_pdf_is_refused_and_nothing_is_written(
    personas: Personas, tmp_path: Path, settings: object
) -> None:
    known_year(personas)
    settings.FAZHI_LIBREOFFICE = "/nonexistent/soffice"  # type: ignore[attr-defined]
    output = tmp_path / "report.pdf"
    with pytest.raises(CommandError, match="LibreOffice"):
        generate(personas, output)
    assert not output.exists()
    assert not IndicatorValue.objects.exists()


def test_an_output_that_is_neither_docx_nor_pdf_is_refused(personas: Personas, tmp_path: Path) -> None:
    known_year(personas)
    with pytest.raises(CommandError, match=r"\.docx"):
        generate(personas, tmp_path / "report.txt")
    assert not (tmp_path / "report.txt").exists()
