"""Demo data: a real-looking Thanh Hóa tenant, users for every role, and two years of
documents and tasks in every state, made through the workflow functions so that the history
is real. `bulk_tasks` adds many more tasks quickly for benchmarks.

Unit names come from `nhiemvu/units/data/thanh_hoa.json`, task wording from
`nhiemvu/units/data/demo_tasks.json` (sources in that folder's README).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from nhiemvu.accounts.models import Role, User
from nhiemvu.core import clock
from nhiemvu.core.models import Event, Tenant
from nhiemvu.core.text import fold
from nhiemvu.documents.enums import DocumentSource, DocumentType, Urgency
from nhiemvu.documents.models import Document
from nhiemvu.documents.services import DocumentInput, create_document
from nhiemvu.tasks import workflow
from nhiemvu.tasks.enums import ReportingCycle, TaskState, TimeStatus
from nhiemvu.tasks.models import Field, ProgressUpdate, Task, TaskCoordination
from nhiemvu.tasks.queries import search_text_for
from nhiemvu.units.models import Unit, UnitKind
from nhiemvu.workcalendar.calendar import calendar_for

DATA = Path(__file__).resolve().parent.parent / "units" / "data"
DEMO_PASSWORD = "demo12345"
TENANT_CODE = "thanh-hoa"

Log = Callable[[str], None]


def _json(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


# --- the registry and the people ---------------------------------------------------------


def build_registry(log: Log) -> Tenant:
    registry = _json("thanh_hoa.json")
    head = registry["tenant"]
    tenant = Tenant.objects.create(code=head["code"], name=head["name"])
    root = Unit.objects.create(
        tenant=tenant,
        name=head["name"],
        short_name="UBND tỉnh",
        aliases=["Ủy ban nhân dân tỉnh Thanh Hóa", "UBND tỉnh"],
        kind=UnitKind.AUTHORITY,
        org_code=head.get("org_code") or "",
    )
    count = 0
    for item in registry["units"]:
        unit = Unit.objects.create(
            tenant=tenant,
            parent=root,
            name=item["name"],
            short_name=item.get("short_name") or "",
            aliases=item.get("aliases") or [],
            kind=item["kind"],
            org_code=item.get("org_code") or "",
            admin_code=item.get("admin_code") or "",
        )
        count += 1
        for division in item.get("divisions") or []:
            name = division["name"] if isinstance(division, dict) else division
            Unit.objects.create(
                tenant=tenant,
                parent=unit,
                name=f"{name} - {unit.short_name or unit.name}",
                short_name=name,
                kind=UnitKind.DIVISION,
                aliases=division.get("aliases", []) if isinstance(division, dict) else [],
            )
            count += 1
    log(f"  {count} units")
    return tenant


def _slug(unit: Unit) -> str:
    return (
        fold(unit.short_name or unit.name).replace(" ", "").replace("&", "").replace("-", "")[:20]
    )


def build_users(tenant: Tenant, log: Log) -> dict[str, Any]:
    """Users for every role; all share DEMO_PASSWORD (hashed once: hashing is slow)."""
    password = make_password(DEMO_PASSWORD)
    root = Unit.objects.get(tenant=tenant, kind=UnitKind.AUTHORITY)
    office = Unit.objects.filter(tenant=tenant, kind=UnitKind.OFFICE).first() or root
    people: dict[str, Any] = {"leaders": [], "staff": {}, "heads": {}}
    extra = _json("demo_tasks.json").get("leaders") or []

    def make(username: str, unit: Unit, roles: list[str], name: str, title: str = "") -> User:
        first, _sep, last = name.rpartition(" ")
        return User.objects.create(
            username=username,
            password=password,
            tenant=tenant,
            unit=unit,
            roles=roles,
            first_name=first,
            last_name=last,
            title=title,
            email=f"{username}@demo.nhiemvu.vn",
            is_staff=Role.ADMINISTRATOR in roles,
            is_superuser=Role.ADMINISTRATOR in roles,
        )

    people["admin"] = make("admin", office, [Role.ADMINISTRATOR], "Quản trị hệ thống")
    people["office"] = make(
        "vanphong", office, [Role.OFFICE_SPECIALIST], "Lê Thị Hà", "Chuyên viên Văn phòng UBND tỉnh"
    )
    people["office_leader"] = make(
        "chanhvanphong", office, [Role.OFFICE_LEADER], "Trần Văn Minh", "Chánh Văn phòng UBND tỉnh"
    )
    people["inspector"] = make(
        "kiemtra", office, [Role.INSPECTOR], "Phạm Quốc Huy", "Thành viên Tổ công tác"
    )
    leaders = extra or [
        {"name": "Chủ tịch UBND tỉnh", "title": "Chủ tịch UBND tỉnh"},
        {"name": "Phó Chủ tịch UBND tỉnh", "title": "Phó Chủ tịch UBND tỉnh"},
    ]
    for index, leader in enumerate(leaders):
        username = "chutich" if index == 0 else f"phochutich{index}"
        people["leaders"].append(
            make(username, root, [Role.LEADER], leader["name"], leader.get("title", ""))
        )
    for unit in Unit.objects.filter(tenant=tenant).exclude(kind=UnitKind.AUTHORITY):
        slug = _slug(unit) + (f"{unit.pk}" if unit.kind == UnitKind.DIVISION else "")
        people["staff"][unit.pk] = make(
            f"{slug}.canbo", unit, [Role.UNIT_STAFF], "Cán bộ " + (unit.short_name or unit.name)
        )
        if unit.kind != UnitKind.DIVISION:
            people["heads"][unit.pk] = make(
                f"{slug}.thutruong",
                unit,
                [Role.UNIT_HEAD],
                "Thủ trưởng " + (unit.short_name or unit.name),
            )
    log(f"  {User.objects.filter(tenant=tenant).count()} users (password {DEMO_PASSWORD})")
    return people


# --- two years of history through the workflow --------------------------------------------


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, random.randint(0, 59)))


def simulate(tenant: Tenant, people: dict[str, Any], log: Log, documents: int = 140) -> None:
    """Documents from two years ago to today, each with tasks that then live their lives."""
    rng = random.Random(131)
    random.seed(131)
    content = _json("demo_tasks.json")
    templates = content.get("tasks") or content.get("task_templates") or []
    doc_templates = content.get("documents") or []
    fields = {
        name: Field.objects.create(tenant=tenant, name=name) for name in content.get("fields") or []
    }
    cal = calendar_for(tenant)
    today = clock.today()
    office, office_leader = people["office"], people["office_leader"]
    departments = list(Unit.objects.filter(tenant=tenant, kind=UnitKind.DEPARTMENT))
    communes = list(Unit.objects.filter(tenant=tenant, kind=UnitKind.COMMUNE))
    agencies = list(Unit.objects.filter(tenant=tenant, kind=UnitKind.AGENCY))
    by_name = {}
    for unit in departments + agencies:
        for key in [unit.name, unit.short_name, *unit.aliases]:
            by_name[fold(key)] = unit
    start = cal.next_working_day(today - dt.timedelta(days=700))
    days = cal.working_days_between(start, today)
    numbers: dict[tuple[int, str], int] = {}
    made = 0
    for index in range(documents):
        issued = cal.add_working_days(start, int(days * index / documents))
        template = doc_templates[index % len(doc_templates)] if doc_templates else {}
        key = (issued.year, template.get("number_pattern", "{n}/UBND-VP"))
        numbers[key] = numbers.get(key, 0) + rng.randint(3, 40)
        pattern = template.get("number_pattern", "{n}/UBND-VP")
        number = pattern.replace("{n}", str(numbers[key])).replace("{year}", str(issued.year))
        urgency = rng.choice([Urgency.NORMAL] * 6 + [Urgency.URGENT, Urgency.FLASH])
        doc_type = template.get("type", DocumentType.OFFICIAL_LETTER)
        if doc_type not in DocumentType.values:
            doc_type = DocumentType.OTHER
        with clock.frozen(_at(issued, 8)):
            document = create_document(
                DocumentInput(
                    number=number,
                    doc_type=doc_type,
                    issued_on=issued,
                    subject=template.get("subject", "Về việc triển khai nhiệm vụ"),
                    signer=template.get("signer", people["leaders"][0].display_name),
                    urgency=urgency,
                    source=rng.choice([DocumentSource.DMS, DocumentSource.MANUAL]),
                ),
                by=office,
            )
        n_tasks = rng.randint(1, 6)
        remaining_days = cal.working_days_between(issued, today)
        # Documents of the last days are left for the Office to enter (its workbench).
        leave_as_draft = remaining_days <= 1
        tasks = []
        for _t in range(n_tasks):
            tmpl: dict[str, Any] = (
                rng.choice(templates) if templates else {"content": "Triển khai nhiệm vụ"}
            )
            lead = None
            if tmpl.get("lead_kind") == "commune" or not departments:
                lead = rng.choice(communes)
            elif tmpl.get("lead_hint"):
                lead = by_name.get(fold(tmpl["lead_hint"]))
            lead = lead or rng.choice(departments + agencies)
            others = [u for u in departments if u != lead]
            coordinating = rng.sample(others, k=min(len(others), rng.choice([0, 0, 1, 2, 3])))
            periodic = tmpl.get("periodic")
            deadline = None
            if not periodic or periodic not in ReportingCycle.values:
                periodic = ""
                deadline = cal.add_working_days(issued, rng.choice([5, 10, 15, 22, 30, 45, 60, 90]))
            with clock.frozen(_at(issued, 10)):
                task = workflow.create_task(
                    workflow.TaskInput(
                        content=tmpl["content"],
                        lead_unit=lead,
                        coordinating_units=coordinating,
                        deadline=deadline,
                        reporting_cycle=periodic,
                        expected_output=tmpl.get("expected_output", ""),
                        field=fields.get(tmpl.get("field", "")),
                        assigner=rng.choice([None, *people["leaders"]]),
                        responsible=people["staff"].get(lead.pk),
                        targets=[
                            {
                                "name": t["name"],
                                "unit_of_measure": t.get("unit", ""),
                                "target_value": t["value"],
                            }
                            for t in tmpl.get("targets") or []
                        ],
                    ),
                    by=office,
                    document=document,
                )
            tasks.append(task)
            made += 1
        if leave_as_draft:
            continue
        transfer_day = cal.add_working_days(issued, rng.choice([0, 0, 1, 1, 1, 2, 3]))
        with clock.frozen(_at(min(transfer_day, today), 15)):
            workflow.assign_document(document, by=office)
        for task in tasks:
            _live(task, people, cal, rng, min(transfer_day, today), today, office, office_leader)
    log(f"  {Document.objects.filter(tenant=tenant).count()} documents, {made} tasks")


def _live(
    task: Task,
    people: dict[str, Any],
    cal: Any,
    rng: random.Random,
    start: dt.date,
    today: dt.date,
    office: User,
    office_leader: User,
) -> None:
    """Walk one task through a plausible life up to today."""
    staff = people["staff"][task.lead_unit_id]
    fate = rng.random()

    def when(day: dt.date) -> dt.date | None:
        return day if day <= today else None

    day = cal.add_working_days(start, rng.randint(2, 8))
    if when(day) is None:
        return
    if fate < 0.04:
        with clock.frozen(_at(day)):
            workflow.request_adjustment(
                task,
                by=staff,
                kind="not_our_function",
                reason="Nội dung không thuộc chức năng, nhiệm vụ của đơn vị.",
            )
        decide = cal.add_working_days(day, 1)
        if when(decide) is None:
            return
        with clock.frozen(_at(decide, 14)):
            request = task.adjustment_requests.get()
            workflow.resolve_adjustment(
                request,
                by=office,
                outcome="declined",
                note="Đề nghị đơn vị thực hiện theo chỉ đạo.",
            )
    if fate > 0.97:
        with clock.frozen(_at(day)):
            workflow.cancel(
                task,
                by=office_leader if rng.random() < 0.5 else office,
                reason="Nhiệm vụ không còn phù hợp, đã được thay thế.",
            )
        return
    with clock.frozen(_at(day)):
        workflow.post_progress(
            task,
            by=staff,
            percent=rng.choice([10, 20, 30, 40]),
            text="Đơn vị đã xây dựng kế hoạch, phân công thực hiện.",
        )
    for coord in task.coordinations.all()[:1]:
        with clock.frozen(_at(day, 11)):
            workflow.post_progress(
                task,
                by=people["staff"][coord.unit_id],
                text="Đơn vị phối hợp đã gửi ý kiến tham gia.",
            )
    if task.deadline is None:
        # Periodic task: an update per quarter, some quarters missed.
        cursor = day
        while True:
            cursor = cal.next_working_day(cursor + dt.timedelta(days=rng.randint(80, 100)))
            if cursor > today:
                return
            if rng.random() < 0.8:
                with clock.frozen(_at(cursor)):
                    workflow.post_progress(
                        task,
                        by=staff,
                        text="Cập nhật tình hình thực hiện trong kỳ.",
                        percent=min(95, task.progress_percent + 15),
                    )
    if fate < 0.15:
        ask = cal.add_working_days(task.deadline, -2)
        if when(ask) and ask > day:
            with clock.frozen(_at(ask)):
                extension = workflow.request_extension(
                    task,
                    by=staff,
                    proposed_deadline=cal.add_working_days(task.deadline, 15),
                    reason="Cần thêm thời gian lấy ý kiến các sở, ngành liên quan.",
                )
            decided = cal.add_working_days(ask, 1)
            if when(decided) is None:
                return
            with clock.frozen(_at(decided, 14)):
                workflow.decide_extension(
                    extension,
                    by=office,
                    approve=rng.random() < 0.75,
                    note="Không đủ căn cứ gia hạn." if False else "Đồng ý.",
                )
            task.refresh_from_db()
    # Submission: mostly on time, some late, some not yet.
    offset = rng.choice([-6, -4, -3, -2, -1, 0, 0, 2, 5, 12])
    submit = cal.add_working_days(task.deadline, offset)
    submit = max(submit, cal.add_working_days(day, 1))
    if when(submit) is None:
        return
    if fate > 0.9 and submit < today:
        return  # never reported: stays overdue
    with clock.frozen(_at(submit)):
        workflow.submit_result(
            task, by=staff, text="Đơn vị đã hoàn thành nhiệm vụ, có báo cáo kèm theo."
        )
    check = cal.add_working_days(submit, rng.choice([1, 1, 2, 3]))
    if when(check) is None:
        return
    if rng.random() < 0.12:
        with clock.frozen(_at(check, 16)):
            workflow.return_for_rework(
                task, by=office, reason="Báo cáo chưa đầy đủ số liệu theo yêu cầu."
            )
        submit = cal.add_working_days(check, rng.randint(1, 5))
        if when(submit) is None:
            return
        with clock.frozen(_at(submit)):
            workflow.submit_result(task, by=staff, text="Đã bổ sung số liệu theo yêu cầu.")
        check = cal.add_working_days(submit, 1)
        if when(check) is None:
            return
    with clock.frozen(_at(check, 16)):
        workflow.confirm(task, by=office)


def subtasks(tenant: Tenant, people: dict[str, Any], log: Log) -> None:
    """Some departments break their tasks down for their divisions (R20.2)."""
    made = 0
    for task in Task.objects.filter(
        tenant=tenant,
        state=TaskState.ASSIGNED,
        deadline__isnull=False,
        lead_unit__kind=UnitKind.DEPARTMENT,
    )[:25]:
        divisions = list(task.lead_unit.children.all()[:2])
        for division in divisions:
            workflow.create_task(
                workflow.TaskInput(
                    content=f"Phần việc của {division.short_name}: {task.content[:120]}",
                    lead_unit=division,
                    deadline=task.deadline,
                    responsible=people["staff"].get(division.pk),
                ),
                by=people["staff"][task.lead_unit_id],
                parent=task,
            )
            sub = Task.objects.filter(parent=task, lead_unit=division).latest("id")
            workflow.assign(sub, by=people["staff"][task.lead_unit_id])
            workflow.post_progress(
                sub,
                by=people["staff"][division.pk],
                percent=50,
                text="Phòng đang tổng hợp số liệu.",
            )
            made += 1
    log(f"  {made} sub-tasks for divisions")


# --- many tasks at once, for benchmarks ---------------------------------------------------


def bulk_tasks(tenant: Tenant, count: int, log: Log, batch: int = 5000) -> None:
    """Add `count` tasks over every unit of the tenant, in all states, with bulk inserts.

    No history events are written for these rows; they exist to measure lists and queries.
    """
    rng = random.Random(count)
    cal = calendar_for(tenant)
    today = clock.today()
    root = Unit.objects.get(tenant=tenant, kind=UnitKind.AUTHORITY)
    units = list(Unit.objects.filter(tenant=tenant).exclude(kind=UnitKind.AUTHORITY))
    office = (
        User.objects.filter(tenant=tenant, roles__contains=Role.OFFICE_SPECIALIST).first()
        if connection.vendor == "postgresql"
        else next(
            u for u in User.objects.filter(tenant=tenant) if Role.OFFICE_SPECIALIST in u.roles
        )
    )
    due_soon: dict[dt.date, dt.date] = {}
    fields: list[Field | None] = [*Field.objects.filter(tenant=tenant)] or [None]
    per_doc = 5
    base = Document.objects.filter(tenant=tenant).count()
    made = 0
    while made < count:
        n = min(batch, count - made)
        with transaction.atomic():
            docs = Document.objects.bulk_create(
                [
                    Document(
                        tenant=tenant,
                        number=f"{base + made // per_doc + i}/BENCH-UBND",
                        doc_type=DocumentType.OFFICIAL_LETTER,
                        issued_on=today - dt.timedelta(days=rng.randint(0, 730)),
                        subject="Văn bản sinh tự động để đo hiệu năng",
                        source=DocumentSource.DMS,
                        transferred_at=clock.now(),
                        transferred_on_time=True,
                    )
                    for i in range((n + per_doc - 1) // per_doc)
                ]
            )
            rows = []
            for i in range(n):
                doc = docs[i // per_doc]
                lead = units[rng.randrange(len(units))]
                periodic = rng.random() < 0.1
                deadline = (
                    None if periodic else doc.issued_on + dt.timedelta(days=rng.randint(10, 150))
                )
                if deadline is not None and deadline not in due_soon:
                    due_soon[deadline] = cal.add_working_days(
                        deadline, -tenant.due_soon_working_days
                    )
                roll = rng.random()
                state = TaskState.ASSIGNED
                final = ""
                submitted = completed = None
                if deadline is not None and deadline < today and roll < 0.7:
                    state = TaskState.COMPLETED
                    completed = deadline + dt.timedelta(days=rng.randint(-20, 10))
                    submitted = completed
                    final = (
                        TimeStatus.COMPLETED_ON_TIME
                        if completed <= deadline
                        else TimeStatus.COMPLETED_LATE
                    )
                elif roll < 0.05:
                    state = TaskState.AWAITING_CONFIRMATION
                    submitted = today
                elif roll > 0.98:
                    state = TaskState.CANCELLED
                text = f"Nhiệm vụ số {base + made + i}: triển khai, báo cáo kết quả thực hiện"
                task = Task(
                    tenant=tenant,
                    document=doc,
                    assigning_unit=root,
                    lead_unit=lead,
                    content=text,
                    field=rng.choice(fields),
                    deadline=deadline,
                    original_deadline=deadline,
                    due_soon_on=due_soon.get(deadline) if deadline else None,
                    reporting_cycle=ReportingCycle.QUARTERLY if periodic else "",
                    state=state,
                    progress_percent=100 if state == TaskState.COMPLETED else rng.randint(0, 90),
                    last_update_on=today - dt.timedelta(days=rng.randint(0, 200)),
                    assigned_at=clock.now(),
                    submitted_on=submitted,
                    completed_on=completed,
                    final_time_status=final,
                    created_by=office,
                    search_text=fold(text + " " + lead.name + " " + lead.short_name),
                )
                rows.append(task)
            Task.objects.bulk_create(rows)
            TaskCoordination.objects.bulk_create(
                [
                    TaskCoordination(task=t, unit=units[rng.randrange(len(units))])
                    for t in rows
                    if rng.random() < 0.3
                ],
                ignore_conflicts=True,
            )
            ProgressUpdate.objects.bulk_create(
                [
                    ProgressUpdate(
                        task=t,
                        unit=t.lead_unit,
                        author=office,
                        kind="progress",
                        text="Đang triển khai thực hiện.",
                        percent=t.progress_percent,
                    )
                    for t in rows
                    if rng.random() < 0.2
                ]
            )
        made += n
        log(f"  {made}/{count} tasks")


# --- entry points --------------------------------------------------------------------------


def reset(code: str = TENANT_CODE) -> None:
    tenant = Tenant.objects.filter(code=code).first()
    if tenant is None:
        return
    with transaction.atomic():
        Event.objects.filter(tenant=tenant).delete()
        tasks = Task.objects.filter(tenant=tenant)
        TaskCoordination.objects.filter(task__tenant=tenant).delete()
        for model_name in ("updates", "extension_requests", "adjustment_requests", "targets"):
            getattr(Task, model_name).rel.related_model.objects.filter(task__tenant=tenant).delete()
        while tasks.filter(parent__isnull=False).exists():
            tasks.filter(subtasks__isnull=True, parent__isnull=False).delete()
        tasks.delete()
        Document.objects.filter(tenant=tenant).delete()
        Field.objects.filter(tenant=tenant).delete()
        User.objects.filter(tenant=tenant).delete()
        while Unit.objects.filter(tenant=tenant).exists():
            Unit.objects.filter(tenant=tenant, children__isnull=True).delete()
        from nhiemvu.workcalendar.models import CalendarDay

        CalendarDay.objects.filter(tenant=tenant).delete()
        tenant.delete()


def load(*, log: Log = print, documents: int = 140, tasks: int = 0) -> Tenant:
    """Create the demo tenant (call `reset` first to replace it)."""
    log("Loading demo data for UBND tỉnh Thanh Hóa …")
    with transaction.atomic():
        tenant = build_registry(log)
        people = build_users(tenant, log)
    simulate(tenant, people, log, documents=documents)
    with transaction.atomic():
        subtasks(tenant, people, log)
    if tasks:
        bulk_tasks(tenant, tasks, log)
    for task in Task.objects.filter(tenant=tenant, search_text="").select_related(
        "lead_unit", "document"
    ):
        Task.objects.filter(pk=task.pk).update(search_text=search_text_for(task))
    return tenant
