"""The text of an uploaded directive: .txt, .docx, or .pdf with a text layer.

Every refusal is a `DomainError` with a translated message and a stable code, so the upload
page and the intake endpoint can show it as it is: nothing is stored for a refused file.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import PurePath

from django.utils.translation import gettext as _

from nhiemvu.core.errors import DomainError

MAX_BYTES = 50 * 1024 * 1024
SUPPORTED = (".txt", ".docx", ".pdf")


def read_text(filename: str, data: bytes) -> str:
    """The file's text (NFC), or a DomainError saying why it cannot be read.

    1. Refuse files over 50 MB and empty files before parsing anything.
    2. Pick the reader by extension (and check the file's signature matches it).
    3. A result with no letters (a scanned PDF, a blank document) is refused too.
    """
    if len(data) > MAX_BYTES:
        raise DomainError(_("The file is larger than 50 MB."), field="file", code="too_large")
    if not data or not data.strip():
        raise DomainError(_("The file is empty."), field="file", code="empty")
    suffix = PurePath(filename or "").suffix.lower()
    if suffix == ".txt":
        text = _txt(data)
    elif suffix == ".docx":
        text = _docx(data)
    elif suffix == ".pdf":
        text = _pdf(data)
    else:
        raise DomainError(
            _("Unsupported file type: upload a .docx, a .pdf with a text layer, or a .txt file."),
            field="file",
            code="unsupported_type",
        )
    text = unicodedata.normalize("NFC", text).replace("\x00", "")
    if not any(ch.isalpha() for ch in text):
        if suffix == ".pdf":
            raise DomainError(
                _(
                    "The PDF has no text layer (a scanned image?): "
                    "upload a PDF with text or a .docx file."
                ),
                field="file",
                code="no_text",
            )
        raise DomainError(_("The file contains no text."), field="file", code="empty")
    return text


def _txt(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise DomainError(
            _("The file is not a text file (it contains binary data)."), field="file", code="binary"
        )
    for encoding in ("utf-8-sig", "cp1258", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")  # pragma: no cover - latin-1 always decodes


def _docx(data: bytes) -> str:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DomainError(
            _("The .docx file is damaged or not a Word document."), field="file", code="corrupt"
        )
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise DomainError(
            _("The .docx file is damaged or not a Word document."), field="file", code="corrupt"
        ) from exc
    parts: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if not row.tag.endswith("}tr"):
                    continue
                cells = []
                for cell in row:
                    if cell.tag.endswith("}tc"):
                        paragraphs = [
                            "".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
                            for p in cell.iter()
                            if p.tag.endswith("}p")
                        ]
                        cells.append(" ".join(x for x in paragraphs if x))
                parts.append(" | ".join(cells))
    return "\n".join(parts)


def _pdf(data: bytes) -> str:
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise DomainError(_("The file is not a PDF document."), field="file", code="corrupt")
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:
                raise DomainError(
                    _("The PDF is password-protected."), field="file", code="encrypted"
                ) from exc
        pages = [page.extract_text() or "" for page in reader.pages]
    except DomainError:
        raise
    except Exception as exc:  # pypdf raises many kinds for a broken file
        raise DomainError(
            _("The PDF file is damaged and cannot be read."), field="file", code="corrupt"
        ) from exc
    return "\n".join(pages)
