"""Reading directive documents and proposing their tasks (issue #4).

The web upload, the review page and the intake endpoint call these:

- `read_text(filename, data)`: the text of a .txt, .docx or .pdf upload (DomainError if bad);
- `read_header(text)`: number, date, type, subject, signer, urgency, classification;
- `parse_edxml(data)`: the header and attachments of an edXML package;
- `extract_tasks(text, issued=..., lang=..., registry=...)`: the proposed tasks;
- `Registry.for_tenant(tenant)` / `default_registry()`: the units names resolve to.
"""

from .deadlines import Deadline, parse_deadline
from .edxml import Attachment, parse_edxml
from .extract import ProposedTask, extract_tasks
from .header import read_header
from .text import MAX_BYTES, read_text
from .units import Registry, RegUnit, default_registry

__all__ = [
    "MAX_BYTES",
    "Attachment",
    "Deadline",
    "ProposedTask",
    "RegUnit",
    "Registry",
    "default_registry",
    "extract_tasks",
    "parse_deadline",
    "parse_edxml",
    "read_header",
    "read_text",
]
