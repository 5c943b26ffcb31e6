"""The annual report as PDF, through LibreOffice where it is installed (settings.FAZHI_LIBREOFFICE).

Each conversion runs `soffice --headless` in a temporary folder with a profile of its own, so conversions
running at the same time (two web workers) do not fight over LibreOffice's user profile lock.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 120


class PdfError(Exception):
    pass


def soffice() -> str | None:
    """The LibreOffice program to run, or None when it is not installed."""
    return shutil.which(settings.FAZHI_LIBREOFFICE)


def available() -> bool:
    return soffice() is not None


def from_docx(data: bytes) -> bytes:
    program = soffice()
    if program is None:
        raise PdfError(
            _(
                "PDF needs LibreOffice, which is not installed here: download the .docx, or ask the "
                "administrator to install LibreOffice Writer (or set FAZHI_LIBREOFFICE to its soffice)."
            )
        )
    with tempfile.TemporaryDirectory(prefix="fazhi-pdf-") as folder:
        work = Path(folder)
        source = work / "report.docx"
        source.write_bytes(data)
        command = [
            program, "--headless", "--norestore", f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to", "pdf", "--outdir", str(work), str(source),
        ]  # fmt: skip
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise PdfError(
                _("LibreOffice took longer than %(seconds)s seconds to make the PDF; try again later.")
                % {"seconds": TIMEOUT_SECONDS}
            ) from None
        result = work / "report.pdf"
        if not result.exists() or not result.read_bytes().startswith(b"%PDF"):
            raise PdfError(_("LibreOffice could not turn the report into PDF; download the .docx instead."))
        return result.read_bytes()
