"""Demo data: a real-looking Thanh Hóa tenant, users for every role, and two years of
documents and tasks in every state, made through the workflow functions so that the history
is real. `bulk_tasks` adds many more tasks quickly for benchmarks.

Unit names come from `nhiemvu/units/data/thanh_hoa.json`, task wording from
`nhiemvu/units/data/demo_tasks.json` (sources in that folder's README).

The result depends only on the domain clock's today: the same day gives the same data.
Besides the randomly lived history, `showcase` makes one document whose tasks are in every
state and time status on today, and one document issued today that is left as draft, so that
every screen has something to show however few documents are asked for.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Model, ProtectedError, QuerySet, RestrictedError
from django.utils import timezone

from nhiemvu.accounts.models import Role, User
from nhiemvu.core import clock
from nhiemvu.core.models import Event, Tenant
from nhiemvu.core.text import fold
from nhiemvu.documents.enums import DocumentSource, DocumentType, Urgency
from nhiemvu.documents.models import Document
from nhiemvu.documents.services import DocumentInput, create_document
from nhiemvu.reports import ledger
from nhiemvu.tasks import tallies, workflow
from nhiemvu.tasks.enums import ReportingCycle, TaskState, TimeStatus
from nhiemvu.tasks.models import Field, ProgressUpdate, Task, TaskCoordination
from nhiemvu.tasks.queries import search_text_for, time_status_q
from nhiemvu.units.models import Unit, UnitKind
from nhiemvu.workcalendar.calendar import calendar_for

DATA = Path(__file__).resolve().parent.parent / "units" / "data"
DEMO_PASSWORD = "demo12345"
TENANT_CODE = "thanh-hoa"
SEED = 131

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
    made: Counter[str] = Counter()
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
        made[item["kind"]] += 1
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
            made[UnitKind.DIVISION] += 1
    log(
        f"  {sum(made.values())} units: 1 office, {made['department']} departments, "
        f"{made['agency']} other units, {made['commune']} communes and wards, "
        f"{made['division']} divisions"
    )
    return tenant


def _slug(unit: Unit) -> str:
    """The user-name stem of a unit: its full name for the Office and departments
    ("sotaichinh"), its short name otherwise ("xahoanghoa", "congantinh")."""
    source = unit.name if unit.kind in {UnitKind.OFFICE, UnitKind.DEPARTMENT} else unit.short_name
    return re.sub(r"[^a-z0-9]", "", fold(source or unit.name))[:30]


def build_users(tenant: Tenant, log: Log) -> dict[str, Any]:
    """Users for every role; all share DEMO_PASSWORD (hashed once: hashing is slow).

    Every unit has `<stem>.canbo` (staff) and `<stem>.thutruong` (head); a division has
    `<stem of its unit>.p<n>.canbo`, n counting the unit's divisions from 1.
    """
    password = make_password(DEMO_PASSWORD)
    root = Unit.objects.get(tenant=tenant, kind=UnitKind.AUTHORITY)
    office = Unit.objects.filter(tenant=tenant, kind=UnitKind.OFFICE).first() or root
    people: dict[str, Any] = {"leaders": [], "staff": {}, "heads": {}}
    leaders = _json("demo_tasks.json").get("leaders") or [
        {"name": "Chủ tịch UBND tỉnh", "title": "Chủ tịch UBND tỉnh"},
        {"name": "Phó Chủ tịch UBND tỉnh", "title": "Phó Chủ tịch UBND tỉnh"},
    ]
    rows: list[User] = []

    def make(username: str, unit: Unit, roles: list[str], name: str, title: str = "") -> User:
        first, _sep, last = name.rpartition(" ")
        user = User(
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
        rows.append(user)
        return user

    people["admin"] = make("admin", office, [Role.ADMINISTRATOR], "Quản trị hệ thống")
    people["office"] = make(
        "vanphong", office, [Role.OFFICE_SPECIALIST], "Lê Thị Hà", "Chuyên viên Văn phòng UBND tỉnh"
    )
    people["office_leader"] = make(
        "chanhvanphong", office, [Role.OFFICE_LEADER], "Trần Văn Minh", "Chánh Văn phòng UBND tỉnh"
    )
    people["inspector"] = make(
        "kiemtra", office, [Role.INSPECTOR], "Phạm Quốc Huy", "Thành viên Tổ Công tác"
    )
    for index, leader in enumerate(leaders):
        username = "chutich" if index == 0 else f"phochutich{index}"
        people["leaders"].append(
            make(username, root, [Role.LEADER], leader["name"], leader.get("title", ""))
        )
    stems: dict[int, str] = {}
    divisions_seen: Counter[int] = Counter()
    units = Unit.objects.filter(tenant=tenant).exclude(kind=UnitKind.AUTHORITY).order_by("pk")
    for unit in units:
        label = unit.short_name or unit.name
        if unit.kind == UnitKind.DIVISION:
            assert unit.parent_id is not None
            divisions_seen[unit.parent_id] += 1
            stem = f"{stems[unit.parent_id]}.p{divisions_seen[unit.parent_id]}"
        else:
            stem = stems[unit.pk] = _slug(unit)
        people["staff"][unit.pk] = make(
            f"{stem}.canbo", unit, [Role.UNIT_STAFF], f"Cán bộ {label}", "Cán bộ theo dõi nhiệm vụ"
        )
        if unit.kind != UnitKind.DIVISION:
            people["heads"][unit.pk] = make(
                f"{stem}.thutruong", unit, [Role.UNIT_HEAD], f"Thủ trưởng {label}", "Thủ trưởng"
            )
    User.objects.bulk_create(rows, batch_size=500)
    # bulk_create sets primary keys on SQLite and PostgreSQL; re-read to be sure.
    by_name = {u.username: u for u in User.objects.filter(tenant=tenant)}
    for key in ("admin", "office", "office_leader", "inspector"):
        people[key] = by_name[people[key].username]
    people["leaders"] = [by_name[u.username] for u in people["leaders"]]
    for group in ("staff", "heads"):
        people[group] = {pk: by_name[u.username] for pk, u in people[group].items()}
    log(f"  {len(rows)} users (password {DEMO_PASSWORD})")
    return people


# --- two years of history through the workflow --------------------------------------------


class _Sim:
    """What the simulation of one tenant shares: the dice, the calendar, the people."""

    def __init__(self, tenant: Tenant, people: dict[str, Any]) -> None:
        self.rng = random.Random(SEED)
        self.tenant = tenant
        self.people = people
        self.cal = calendar_for(tenant)
        self.today = clock.today()
        self.now = clock.now()
        content = _json("demo_tasks.json")
        self.templates: list[dict[str, Any]] = content.get("tasks") or []
        self.doc_templates: list[dict[str, Any]] = content.get("documents") or []
        self.fields = {
            name: Field.objects.get_or_create(tenant=tenant, name=name)[0]
            for name in content.get("fields") or []
        }
        self.office: User = people["office"]
        self.office_leader: User = people["office_leader"]
        self.leaders: list[User] = people["leaders"]
        units = Unit.objects.filter(tenant=tenant).order_by("pk")
        self.departments = [u for u in units if u.kind == UnitKind.DEPARTMENT]
        self.communes = [u for u in units if u.kind == UnitKind.COMMUNE]
        self.agencies = [u for u in units if u.kind == UnitKind.AGENCY]
        self.offices = [u for u in units if u.kind == UnitKind.OFFICE]
        self.by_name: dict[str, Unit] = {}
        for unit in self.offices + self.departments + self.agencies:
            for key in [unit.name, unit.short_name, *unit.aliases]:
                self.by_name.setdefault(fold(key), unit)
        self.numbers: dict[tuple[int, str], int] = {}
        self.made = 0

    # time

    def at(self, day: dt.date, hour: int = 9) -> dt.datetime:
        """A moment on `day` at about `hour`, never after now."""
        moment = timezone.make_aware(
            dt.datetime.combine(day, dt.time(hour, self.rng.randint(0, 59)))
        )
        return min(moment, self.now)

    def wd(self, day: dt.date, n: int) -> dt.date:
        return self.cal.add_working_days(day, n)

    # documents and tasks

    def staff(self, unit_id: int) -> User:
        return self.people["staff"][unit_id]

    def leader_named(self, name: str) -> User | None:
        return next((u for u in self.leaders if u.display_name == name), None)

    def document(self, issued: dt.date, template: dict[str, Any], *, n_tasks: int = 1) -> Document:
        pattern = template.get("number_pattern", "{n}/UBND-VP")
        key = (issued.year, pattern)
        self.numbers[key] = self.numbers.get(key, 0) + self.rng.randint(3, 40)
        number = pattern.replace("{n}", str(self.numbers[key])).replace("{year}", str(issued.year))
        doc_type = template.get("type", DocumentType.OFFICIAL_LETTER)
        if doc_type not in DocumentType.values:
            doc_type = DocumentType.OTHER
        if doc_type == DocumentType.TELEGRAM:
            urgency = self.rng.choice([Urgency.URGENT, Urgency.VERY_URGENT, Urgency.FLASH])
        else:
            urgency = self.rng.choice([Urgency.NORMAL] * 7 + [Urgency.URGENT, Urgency.FLASH])
        leader = self.leaders[0] if self.leaders else None
        signer = template.get("signer") or (leader.display_name if leader else "")
        subject = (
            template.get("subject", "Về việc triển khai nhiệm vụ")
            .replace("{next_year}", str(issued.year + 1))
            .replace("{year}", str(issued.year))
        )
        with clock.frozen(self.at(issued, 8)):
            return create_document(
                DocumentInput(
                    number=number,
                    doc_type=doc_type,
                    issued_on=issued,
                    subject=subject,
                    signer=signer,
                    urgency=urgency,
                    source=self.rng.choice([DocumentSource.DMS] * 3 + [DocumentSource.MANUAL]),
                    is_complex=n_tasks >= self.tenant.many_tasks_threshold,
                ),
                by=self.office,
            )

    def doc_template(self, index: int, issued: dt.date) -> dict[str, Any]:
        """The index-th document template, or the next one that suits the month (a Tết
        telegram is not issued in July)."""
        count = len(self.doc_templates)
        for step in range(count):
            template = self.doc_templates[(index + step) % count]
            if issued.month in template.get("months", range(1, 13)):
                return template
        return self.doc_templates[index % count] if count else {}

    def lead_for(self, template: dict[str, Any]) -> Unit:
        if template.get("lead_kind") == "commune" and self.communes:
            return self.rng.choice(self.communes)
        hint = template.get("lead_hint")
        if hint and fold(hint) in self.by_name:
            return self.by_name[fold(hint)]
        return self.rng.choice(self.departments + self.agencies or self.communes)

    def task(
        self,
        document: Document,
        template: dict[str, Any],
        *,
        deadline: dt.date | None,
        lead: Unit | None = None,
        coordinating: list[Unit] | None = None,
    ) -> Task:
        lead = lead or self.lead_for(template)
        if coordinating is None:
            others = [u for u in self.departments if u != lead]
            coordinating = self.rng.sample(
                others, k=min(len(others), self.rng.choice([0, 0, 1, 1, 2, 3]))
            )
        periodic = "" if deadline else (template.get("periodic") or ReportingCycle.QUARTERLY)
        assigner = self.leader_named(document.signer) or self.rng.choice([None, *self.leaders])
        with clock.frozen(self.at(document.issued_on, 10)):
            task = workflow.create_task(
                workflow.TaskInput(
                    content=template["content"],
                    lead_unit=lead,
                    coordinating_units=coordinating,
                    deadline=deadline,
                    reporting_cycle=periodic,
                    expected_output=template.get("expected_output", ""),
                    field=self.fields.get(template.get("field", "")),
                    assigner=assigner,
                    responsible=self.people["staff"].get(lead.pk),
                    targets=[
                        {
                            "name": t["name"],
                            "unit_of_measure": t.get("unit", ""),
                            "target_value": t["value"],
                        }
                        for t in template.get("targets") or []
                    ],
                ),
                by=self.office,
                document=document,
            )
        self.made += 1
        return task

    def pick_templates(self, document_template: dict[str, Any], n: int) -> list[dict[str, Any]]:
        """`n` different task templates, mostly of the document's own field (a telegram on
        floods assigns flood work), the rest from any field."""
        templates = self.templates or [{"content": "Triển khai thực hiện nhiệm vụ được giao."}]
        field = document_template.get("field")
        same = [t for t in templates if field and t.get("field") == field]
        chosen: list[dict[str, Any]] = []
        for _ in range(min(n, len(templates))):
            source = same if same and self.rng.random() < 0.75 else templates
            left = [t for t in source if not any(t is c for c in chosen)]
            left = left or [t for t in templates if not any(t is c for c in chosen)]
            chosen.append(self.rng.choice(left))
        return chosen

    def deadline_for(self, template: dict[str, Any], issued: dt.date) -> dt.date | None:
        periodic = template.get("periodic")
        if periodic in ReportingCycle.values:
            return None
        return self.wd(issued, self.rng.choice([5, 10, 15, 20, 22, 30, 45, 60, 90]))

    # the steps of a task's life, each at a given moment

    def progress(self, task: Task, day: dt.date, percent: int | None, text: str) -> None:
        with clock.frozen(self.at(day, 9)):
            workflow.post_progress(
                task, by=self.staff(task.lead_unit_id), percent=percent, text=text
            )

    def contribute(self, task: Task, day: dt.date) -> None:
        for coord in task.coordinations.order_by("id")[:1]:
            with clock.frozen(self.at(day, 10)):
                workflow.post_progress(
                    task,
                    by=self.staff(coord.unit_id),
                    text="Đơn vị phối hợp đã gửi ý kiến tham gia, cung cấp số liệu thuộc lĩnh vực "
                    "quản lý.",
                )

    def submit(self, task: Task, day: dt.date, text: str = "") -> None:
        values = {}
        for target in task.targets.order_by("id"):
            factor = Decimal(self.rng.choice(["0.85", "0.95", "1", "1", "1.05", "1.2"]))
            values[target.pk] = (target.target_value * factor).quantize(Decimal("0.01"))
        with clock.frozen(self.at(day, 15)):
            workflow.submit_result(
                task,
                by=self.staff(task.lead_unit_id),
                text=text or "Đơn vị đã hoàn thành nhiệm vụ; báo cáo kết quả kèm theo.",
                target_values=values,
            )

    def confirm(self, task: Task, day: dt.date) -> None:
        with clock.frozen(self.at(day, 16)):
            workflow.confirm(task, by=self.office, note="Kết quả đạt yêu cầu.")

    def return_for_rework(self, task: Task, day: dt.date) -> None:
        with clock.frozen(self.at(day, 16)):
            workflow.return_for_rework(
                task,
                by=self.office,
                reason="Báo cáo chưa đầy đủ số liệu, chưa đánh giá kết quả so với chỉ tiêu giao.",
            )

    def ask_extension(self, task: Task, day: dt.date, days: int = 15) -> Any:
        assert task.deadline is not None
        with clock.frozen(self.at(day, 11)):
            return workflow.request_extension(
                task,
                by=self.staff(task.lead_unit_id),
                proposed_deadline=self.wd(task.deadline, days),
                reason="Nội dung cần lấy ý kiến các sở, ngành và địa phương liên quan; đề nghị "
                "gia hạn thời gian hoàn thành.",
            )

    def decide_extension(self, request: Any, day: dt.date, approve: bool) -> None:
        with clock.frozen(self.at(day, 14)):
            workflow.decide_extension(
                request,
                by=self.office,
                approve=approve,
                note="Đồng ý gia hạn."
                if approve
                else "Không đủ căn cứ gia hạn; đề nghị đơn vị tập trung hoàn thành đúng hạn.",
            )

    def ask_adjustment(self, task: Task, day: dt.date, proposed: Unit | None) -> Any:
        with clock.frozen(self.at(day, 9)):
            return workflow.request_adjustment(
                task,
                by=self.staff(task.lead_unit_id),
                kind="not_our_function",
                reason="Nội dung nhiệm vụ không thuộc chức năng, nhiệm vụ của đơn vị; đề nghị "
                "Văn phòng UBND tỉnh xem xét, chuyển đơn vị phù hợp.",
                proposed_unit=proposed,
            )

    def cancel(self, task: Task, day: dt.date) -> None:
        with clock.frozen(self.at(day, 14)):
            workflow.cancel(
                task,
                by=self.office_leader,
                reason="Nhiệm vụ không còn phù hợp, đã được thay thế bằng văn bản chỉ đạo mới.",
            )

    # a life

    def live(self, task: Task, start: dt.date) -> None:
        """Walk one assigned task through a plausible life up to today."""
        rng, today = self.rng, self.today
        fate = rng.choices(
            ["normal", "extension", "rework", "silent", "adjust", "cancel"],
            weights=[62, 12, 10, 9, 4, 3],
        )[0]
        # Units start within a few days, sooner when the deadline is close.
        span = self.cal.working_days_between(start, task.deadline) if task.deadline else 15
        day = self.wd(start, rng.randint(1, max(1, min(5, span // 3))))
        if day > today:
            return
        if fate == "adjust":
            others = [u for u in self.departments if u.pk != task.lead_unit_id]
            proposed = rng.choice(others) if others and rng.random() < 0.5 else None
            request = self.ask_adjustment(task, day, proposed)
            day = self.wd(day, rng.randint(1, 2))
            if day > today:
                return
            with clock.frozen(self.at(day, 10)):
                task = workflow.resolve_adjustment(
                    request,
                    by=self.office,
                    outcome="reassigned" if proposed else "declined",
                    note="Chuyển đơn vị chủ trì theo đề nghị."
                    if proposed
                    else "Nhiệm vụ thuộc chức năng của đơn vị; đề nghị thực hiện theo chỉ đạo.",
                )
            day = self.wd(day, 1)
            if day > today:
                return
        if fate == "cancel":
            self.cancel(task, min(self.wd(day, rng.randint(0, 10)), today))
            return
        percent = rng.choice([10, 20, 30])
        self.progress(task, day, percent, "Đơn vị đã xây dựng kế hoạch, phân công thực hiện.")
        self.contribute(task, day)
        if task.deadline is None:
            self.live_periodic(task, day, percent)
            return
        deadline = task.deadline
        middle = self.wd(day, max(1, self.cal.working_days_between(day, deadline) // 2))
        if middle < deadline and middle <= today:
            self.progress(
                task,
                middle,
                rng.choice([50, 60, 70]),
                "Đang tổng hợp số liệu, hoàn thiện dự thảo báo cáo.",
            )
        if fate == "extension":
            ask = self.wd(deadline, -2)
            if day < ask <= today:
                request = self.ask_extension(task, ask)
                decided = self.wd(ask, rng.choice([1, 2, 3]))
                if decided > today:
                    return  # still waiting for the Office
                approve = rng.random() < 0.75
                self.decide_extension(request, decided, approve)
                if approve:
                    deadline = request.proposed_deadline
        if fate == "silent":
            return  # never reports: overdue once the deadline passes
        offset = rng.choice([-10, -8, -6, -5, -4, -3, -3, -2, -2, -1, -1, -1, 0, 0, 0, 1, 2, 4])
        submit = max(self.wd(deadline, offset), self.wd(day, 1))
        if submit > today:
            return
        self.submit(task, submit)
        check = self.wd(submit, rng.choice([1, 1, 2, 3, 5]))
        if check > today:
            return
        if fate == "rework":
            self.return_for_rework(task, check)
            submit = self.wd(check, rng.randint(1, 5))
            if submit > today:
                return
            self.submit(task, submit, "Đơn vị đã bổ sung số liệu, hoàn thiện báo cáo theo yêu cầu.")
            check = self.wd(submit, 1)
            if check > today:
                return
        self.confirm(task, check)

    def live_periodic(self, task: Task, day: dt.date, percent: int) -> None:
        """A task without a deadline: an update each cycle, a few cycles missed."""
        step = {"monthly": 30, "quarterly": 91, "semiannual": 182, "annual": 365}.get(
            task.reporting_cycle, 91
        )
        cursor = day
        while True:
            cursor = self.cal.next_working_day(
                cursor + dt.timedelta(days=step + self.rng.randint(-10, 5))
            )
            if cursor > self.today:
                return
            if self.rng.random() < 0.8:
                percent = min(95, percent + 10)
                self.progress(task, cursor, percent, "Cập nhật tình hình thực hiện trong kỳ.")


def simulate(tenant: Tenant, people: dict[str, Any], log: Log, documents: int = 100) -> None:
    """Documents from two years ago to today, each with tasks that then live their lives."""
    sim = _Sim(tenant, people)
    cal, today = sim.cal, sim.today
    start = cal.next_working_day(today - dt.timedelta(days=700))
    last = cal.add_working_days(today, -2)
    days = max(1, cal.working_days_between(start, last))
    for index in range(documents):
        rng = sim.rng
        issued = cal.add_working_days(start, int(days * index / max(1, documents)))
        template = sim.doc_template(index, issued)
        n_tasks = rng.randint(1, 6)
        with transaction.atomic():
            document = sim.document(issued, template, n_tasks=n_tasks)
            tasks = []
            for tmpl in sim.pick_templates(template, n_tasks):
                tasks.append(sim.task(document, tmpl, deadline=sim.deadline_for(tmpl, issued)))
            delay = [0, 0, 0, 1] if document.urgency != Urgency.NORMAL else [0, 1, 1, 1, 2, 3]
            transfer = min(cal.add_working_days(issued, rng.choice(delay)), today)
            with clock.frozen(sim.at(transfer, 15)):
                workflow.assign_document(document, by=sim.office)
            for task in tasks:
                sim.live(task, transfer)
    with transaction.atomic():
        showcase(sim)
    log(f"  {Document.objects.filter(tenant=tenant).count()} documents, {sim.made} tasks")


def showcase(sim: _Sim) -> None:
    """One document whose tasks are, on today, in every state and time status (whatever the
    random history produced), and one document issued today left for the Office to enter."""
    today, wd = sim.today, sim.wd
    templates = sim.templates or [{"content": "Triển khai thực hiện nhiệm vụ được giao."}]
    dated = [t for t in templates if not t.get("periodic") and t.get("lead_kind") != "commune"]
    dated = dated or templates
    by_commune = [t for t in templates if t.get("lead_kind") == "commune"] or dated
    periodic = [t for t in templates if t.get("periodic")] or dated
    conclusions = [d for d in sim.doc_templates if d.get("type") == DocumentType.CONCLUSION]
    issued = wd(today, -30)
    document = sim.document(issued, (conclusions or sim.doc_templates or [{}])[0], n_tasks=14)
    picks = iter(sim.rng.sample(dated, k=len(dated)) * 2)

    def new(days: int | None, template: dict[str, Any] | None = None, **kw: Any) -> Task:
        tmpl = template or next(picks)
        return sim.task(
            document, tmpl, deadline=wd(today, days) if days is not None else None, **kw
        )

    on_time = new(20)
    due_soon = new(2)
    overdue = new(-5)
    awaiting = new(5)
    awaiting_late = new(-3)
    done_on_time = new(-2)
    done_late = new(-12)
    returned = new(-4)
    cancelled = new(10)
    commune_tmpl = by_commune[0]
    commune = sim.communes[0] if sim.communes else None
    adjustment = new(15, commune_tmpl, lead=commune, coordinating=[])
    extension_pending = new(1)
    extension_approved = new(-1)
    cycle_updated = sim.task(
        document, {**periodic[0], "periodic": ReportingCycle.QUARTERLY}, deadline=None
    )
    cycle_missing = sim.task(
        document, {**periodic[-1], "periodic": ReportingCycle.MONTHLY}, deadline=None
    )
    with clock.frozen(sim.at(wd(issued, 1), 15)):
        workflow.assign_document(document, by=sim.office)
    started = wd(issued, 3)
    for task in (
        on_time,
        due_soon,
        overdue,
        awaiting,
        awaiting_late,
        done_on_time,
        done_late,
        returned,
        extension_pending,
        extension_approved,
    ):
        sim.progress(task, started, 20, "Đơn vị đã xây dựng kế hoạch, phân công thực hiện.")
        sim.contribute(task, started)
    sim.progress(on_time, wd(today, -3), 60, "Đã hoàn thành dự thảo, đang lấy ý kiến góp ý.")
    sim.submit(awaiting, today)
    sim.submit(awaiting_late, wd(today, -1))
    sim.submit(done_on_time, wd(today, -4))
    sim.confirm(done_on_time, wd(today, -3))
    sim.submit(done_late, wd(today, -8))
    sim.confirm(done_late, wd(today, -7))
    sim.submit(returned, wd(today, -6))
    sim.return_for_rework(returned, wd(today, -2))
    sim.cancel(cancelled, wd(today, -10))
    proposed = sim.departments[0] if sim.departments else None
    sim.ask_adjustment(adjustment, wd(today, -1), proposed)
    sim.ask_extension(extension_pending, wd(today, -1), days=10)
    request = sim.ask_extension(extension_approved, wd(today, -3), days=8)
    sim.decide_extension(request, wd(today, -2), approve=True)
    sim.progress(cycle_updated, started, 30, "Đã triển khai, cập nhật kết quả trong kỳ.")
    sim.progress(cycle_updated, today, 50, "Cập nhật tình hình thực hiện trong kỳ.")
    sim.progress(cycle_missing, started, 30, "Đã triển khai, cập nhật kết quả trong kỳ.")

    # The Office's workbench: a document issued today, its tasks still drafts.
    issued = today if sim.cal.is_working_day(today) else wd(today, -1)
    draft_template = sim.doc_template(1, issued)
    draft_doc = sim.document(issued, draft_template, n_tasks=3)
    for tmpl in sim.pick_templates(draft_template, 3):
        sim.task(draft_doc, tmpl, deadline=sim.deadline_for(tmpl, issued))


def subtasks(tenant: Tenant, people: dict[str, Any], log: Log) -> None:
    """Some departments break their tasks down for their divisions (R20.2)."""
    made = 0
    today = clock.today()
    parents = Task.objects.filter(
        tenant=tenant,
        state=TaskState.ASSIGNED,
        parent__isnull=True,
        deadline__gte=today,
        lead_unit__kind=UnitKind.DEPARTMENT,
    ).order_by("id")[:25]
    for task in parents:
        lead_staff = people["staff"][task.lead_unit_id]
        for division in task.lead_unit.children.order_by("id")[:2]:
            sub = workflow.create_task(
                workflow.TaskInput(
                    content=f"{division.short_name}: {task.content}",
                    lead_unit=division,
                    deadline=task.deadline,
                    responsible=people["staff"].get(division.pk),
                    expected_output="Dự thảo báo cáo phần việc được phân công",
                ),
                by=lead_staff,
                parent=task,
            )
            workflow.assign(sub, by=lead_staff)
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
                # As in a real province: most past tasks are done (about 1 in 15 is late
                # and still open), the rest are in progress.
                if deadline is not None and deadline < today and roll < 0.93:
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
    tallies.rebuild(tenant.pk)
    ledger.rebuild(tenant.pk)


# --- removing a tenant ---------------------------------------------------------------------


def _tenant_models() -> list[type[Model]]:
    """Every model with a `tenant` foreign key (other apps may add more), Events first."""
    found = [
        model
        for model in apps.get_models()
        if model is not Tenant
        and any(f.many_to_one and f.related_model is Tenant for f in model._meta.concrete_fields)
    ]
    return sorted(found, key=lambda m: (m is not Event, m in (Unit, User), m.__name__))


def _delete(qs: QuerySet[Any]) -> None:
    """Delete rows; trees whose parent link is protected go leaves first."""
    model = qs.model
    tree = [f for f in model._meta.concrete_fields if f.many_to_one and f.related_model is model]
    if not tree:
        qs.delete()
        return
    while qs.exists():
        leaves = qs
        for f in tree:
            leaves = leaves.filter(**{f"{f.related_query_name()}__isnull": True})
        if not leaves.delete()[0]:
            qs.delete()  # a cycle: let the database say what is wrong
            return


def reset(code: str = TENANT_CODE) -> None:
    """Remove the demo tenant and everything that belongs to it."""
    tenant = Tenant.objects.filter(code=code).first()
    if tenant is None:
        return
    with transaction.atomic():
        remaining = _tenant_models()
        for _round in range(len(remaining) + 1):
            for model in list(remaining):
                try:
                    with transaction.atomic():
                        _delete(model._base_manager.filter(tenant=tenant))
                except (ProtectedError, RestrictedError):
                    continue
                remaining.remove(model)
            if not remaining:
                break
        tenant.delete()


# --- entry points --------------------------------------------------------------------------


def summary(tenant: Tenant, log: Log) -> None:
    """What the demo holds, as a user would count it."""
    tasks = Task.objects.filter(tenant=tenant)
    states = Counter(tasks.values_list("state", flat=True))
    log("  tasks by state: " + ", ".join(f"{s.label} {states.get(s.value, 0)}" for s in TaskState))
    today = clock.today()
    log(
        "  tasks by time status today: "
        + ", ".join(
            f"{s.label} {tasks.filter(time_status_q(s, today)).count()}" for s in TimeStatus
        )
    )
    pending_ext = tasks.filter(extension_requests__status="pending").count()
    pending_adj = tasks.filter(adjustment_requests__status="pending").count()
    log(f"  pending extension requests {pending_ext}, pending adjustment requests {pending_adj}")


def load(*, log: Log = print, documents: int = 100, tasks: int = 0) -> Tenant:
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
    if not tasks:  # bulk_tasks has counted everything already
        tallies.rebuild(tenant.pk)
        ledger.rebuild(tenant.pk)
    summary(tenant, log)
    return tenant
