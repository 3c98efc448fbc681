"""The Vietnamese e-document exchange package (edXML, QCVN 102:2016/BTTTT).

`parse_edxml(data)` accepts the envelope as XML (attachments inline, base64, in
`AttachmentEncoded/Attachment`) or as a MIME multipart message whose first XML part is the
envelope and whose other parts are the attachments named by `Content-ID`. Element names are
matched without their namespace, so the QCVN 102 namespace and the older "eDoc" envelopes both
read. Parsing uses defusedxml: entity expansion and external entities are refused.

The header dict uses the same keys as `read_header` where they overlap (number, issued_on,
place, doc_type, subject, signer, urgency) and adds the envelope's own: organisation codes,
recipients, due date, steering type, document id.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email
import email.policy
import re
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.utils.translation import gettext as _

from nhiemvu.core.errors import DomainError

_PRIORITY = {"0": "normal", "1": "urgent", "2": "very_urgent", "3": "flash", "4": "flash"}
_TYPE_NAMES = [
    ("thông báo kết luận", "conclusion"),
    ("quyết định", "decision"),
    ("chỉ thị", "directive"),
    ("kế hoạch", "plan"),
    ("chương trình", "program"),
    ("thông báo", "notice"),
    ("công điện", "telegram"),
    ("công văn", "official_letter"),
    ("biên bản", "meeting"),
]


@dataclass
class Attachment:
    """A file carried in the package."""

    name: str
    content_type: str
    data: bytes
    content_id: str = ""
    description: str = ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].split(":")[-1]


def _child(el: Element | None, name: str) -> Element | None:
    if el is None:
        return None
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _children(el: Element | None, name: str) -> list[Element]:
    return [c for c in el if _local(c.tag) == name] if el is not None else []


def _find(el: Element, name: str) -> Element | None:
    for c in el.iter():
        if _local(c.tag) == name:
            return c
    return None


def _text(el: Element | None, name: str | None = None) -> str:
    node = _child(el, name) if name else el
    return (node.text or "").strip() if node is not None else ""


def _date(value: str) -> dt.date | None:
    value = value.strip()
    for pattern in (r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})", r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})"):
        m = re.match(pattern, value)
        if m:
            a, b, c = (int(x) for x in m.groups())
            y, mo, d = (a, b, c) if a > 31 else (c, b, a)
            try:
                return dt.date(y, mo, d)
            except ValueError:
                return None
    return None


def _organ(el: Element | None) -> dict[str, str]:
    return {
        k: _text(el, tag)
        for k, tag in (
            ("org_code", "OrganId"),
            ("name", "OrganName"),
            ("parent", "OrganizationInCharge"),
            ("address", "OrganAdd"),
            ("email", "Email"),
        )
        if _text(el, tag)
    }


def _malformed(detail: str = "") -> DomainError:
    return DomainError(
        _("The edXML package is malformed and cannot be read."),
        field="file",
        code="malformed_edxml",
    )


def _split_mime(data: bytes) -> tuple[bytes, dict[str, Attachment]]:
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not message.is_multipart():
        raise _malformed()
    envelope: bytes | None = None
    parts: dict[str, Attachment] = {}
    for part in message.walk():
        if part.is_multipart():
            continue
        raw = part.get_payload(decode=True)
        payload = raw if isinstance(raw, bytes) else b""
        ctype = part.get_content_type()
        cid = (part.get("Content-ID") or "").strip("<> ")
        if envelope is None and ctype in ("text/xml", "application/xml", "application/edxml+xml"):
            envelope = payload
            continue
        name = part.get_filename() or cid or "attachment"
        parts[cid] = Attachment(name=name, content_type=ctype, data=payload, content_id=cid)
    if envelope is None:
        raise _malformed()
    return envelope, parts


def parse_edxml(data: bytes) -> tuple[dict[str, Any], list[Attachment]]:
    """The header fields and the attachments of an edXML package (module docstring).

    1. A MIME message is split into the envelope and its parts; plain XML is the envelope.
    2. The envelope is parsed with defusedxml; anything that is not an edXML envelope with a
       MessageHeader is refused as malformed.
    3. Header fields are read from MessageHeader; attachments from AttachmentEncoded (base64)
       or from the MIME parts the manifest references.
    """
    if not data or not data.strip():
        raise _malformed()
    mime_parts: dict[str, Attachment] = {}
    head = data.lstrip()[:200].lower()
    if not head.startswith(b"<") and (b"mime-version" in head or b"content-type" in head):
        data, mime_parts = _split_mime(data)
    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise _malformed() from exc
    header_el = _find(root, "MessageHeader")
    if header_el is None or _local(root.tag) not in (
        "edXML",
        "EdXMLEnvelope",
        "edXMLEnvelope",
        "Envelope",
    ):
        raise _malformed()
    header: dict[str, Any] = {}
    code = _child(header_el, "Code")
    number, notation = _text(code, "CodeNumber"), _text(code, "CodeNotation")
    if number or notation:
        header["number"] = f"{number}/{notation}" if number and notation else number or notation
    info = _child(header_el, "PromulgationInfo")
    if _text(info, "Place"):
        header["place"] = _text(info, "Place")
    issued = _date(_text(info, "PromulgationDate"))
    if issued:
        header["issued_on"] = issued
    doc_type = _child(header_el, "DocumentType")
    type_name = _text(doc_type, "TypeName")
    if type_name:
        header["type_name"] = type_name
        for word, value in _TYPE_NAMES:
            if type_name.lower().startswith(word):
                header["doc_type"] = value
                break
    if _text(doc_type, "Type"):
        header["type_code"] = _text(doc_type, "Type")
    for key, tag in (("subject", "Subject"), ("content", "Content"), ("document_id", "DocumentId")):
        if _text(header_el, tag):
            header[key] = _text(header_el, tag)
    signer = _child(header_el, "SignerInfo")
    if _text(signer, "FullName"):
        header["signer"] = _text(signer, "FullName")
        header["signer_position"] = " ".join(
            x for x in (_text(signer, "Competence"), _text(signer, "Position")) if x
        )
    due = _date(_text(header_el, "DueDate"))
    if due:
        header["due_on"] = due
    other = _child(header_el, "OtherInfo")
    priority = _text(other, "Priority")
    header["urgency"] = _PRIORITY.get(priority, "normal")
    steering = _text(header_el, "SteeringType")
    if steering:
        header["steering_type"] = steering
    sender = _organ(_child(header_el, "From"))
    if sender:
        header["from"] = sender
    header["to"] = [o for o in (_organ(t) for t in _children(header_el, "To")) if o]
    places = _child(header_el, "ToPlaces")
    header["to_places"] = [_text(p) for p in _children(places, "Place") if _text(p)]
    attachments: list[Attachment] = []
    for att in (c for c in root.iter() if _local(c.tag) == "Attachment"):
        encoded = _text(att, "ContentTransferEncoded")
        cid = _text(att, "ContentId")
        name = _text(att, "AttachmentName") or cid or "attachment"
        if encoded:
            try:
                payload = base64.b64decode("".join(encoded.split()), validate=True)
            except (binascii.Error, ValueError) as exc:
                raise _malformed() from exc
        elif cid and cid in mime_parts:
            payload = mime_parts.pop(cid).data
        else:
            continue
        attachments.append(
            Attachment(
                name=name,
                content_type=_text(att, "ContentType") or "application/octet-stream",
                data=payload,
                content_id=cid,
                description=_text(att, "Description"),
            )
        )
    manifest_names = {
        _text(ref, "ContentId").strip("<>"): _text(ref, "AttachmentName")
        for ref in root.iter()
        if _local(ref.tag) == "Reference"
    }
    for cid, part in mime_parts.items():
        part.name = manifest_names.get(cid) or part.name
        attachments.append(part)
    return header, attachments
