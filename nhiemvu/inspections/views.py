"""Inspection pages. Each view finds the object through an access helper (404 for anyone
who may not see it), validates a form, calls one domain function and redirects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nhiemvu.core import clock
from nhiemvu.core.access import me, tenant_id
from nhiemvu.core.errors import DomainError
from nhiemvu.core.history import timeline
from nhiemvu.tasks.enums import COLOURS, TimeStatus

from . import forms, report, rules, services, summary
from .enums import STATE_COLOURS, FollowUp, InspectionState, MemberRole, PlanState
from .models import (
    Finding,
    GroupMember,
    Inspection,
    InspectionPlan,
    ProvidedDocument,
    Recommendation,
    WorkingGroup,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


#: History events of an inspection, as the page names them.
EVENT_LABELS = {
    "inspection.surprise_ordered": gettext_lazy("surprise inspection ordered"),
    "inspection.opened": gettext_lazy("inspection started, dossier assembled"),
    "inspection.invited": gettext_lazy("party invited"),
    "inspection.document_provided": gettext_lazy("document provided"),
    "inspection.finding_added": gettext_lazy("finding added"),
    "inspection.finding_removed": gettext_lazy("finding removed"),
    "inspection.recommendation_added": gettext_lazy("recommendation added"),
    "inspection.recommendation_removed": gettext_lazy("recommendation removed"),
    "inspection.recommendation_closed": gettext_lazy("recommendation followed up"),
    "inspection.adjustment_opened": gettext_lazy("adjustment of the task requested"),
    "inspection.ended": gettext_lazy("inspection ended"),
    "inspection.assessment_saved": gettext_lazy("assessment saved"),
    "inspection.report_issued": gettext_lazy("report issued"),
    "inspection.report_delivered": gettext_lazy("report delivered"),
}


def labelled(events: Any) -> list[Any]:
    rows = list(events)
    for event in rows:
        event.label = str(EVENT_LABELS.get(event.action, event.action))
    return rows


def _error(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, str(error.message))


def _form_errors(request: HttpRequest, form: Any) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _run(request: HttpRequest, action: Callable[[], Any], done: str) -> bool:
    """Call a domain function; on success flash `done`, on refusal flash the reason."""
    try:
        action()
    except DomainError as error:
        _error(request, error)
        return False
    messages.success(request, done)
    return True


def _members() -> Prefetch:
    return Prefetch("members", queryset=GroupMember.objects.select_related("user"))


def _inspection(request: HttpRequest, pk: int) -> Inspection:
    """The inspection, or 404 for anyone who may not see it."""
    inspection = (
        Inspection.objects.select_related("unit", "group", "plan", "tenant")
        .prefetch_related(
            Prefetch("group__members", queryset=GroupMember.objects.select_related("user"))
        )
        .filter(pk=pk)
        .first()
    )
    if inspection is None or not rules.can_view(me(request), inspection):
        raise Http404
    return inspection


def _plan(request: HttpRequest, pk: int) -> InspectionPlan:
    plan = (
        InspectionPlan.objects.select_related("group", "approved_by")
        .prefetch_related(
            Prefetch("group__members", queryset=GroupMember.objects.select_related("user"))
        )
        .filter(pk=pk)
        .first()
    )
    if plan is None or not rules.can_view_plan(me(request), plan):
        raise Http404
    return plan


def _visible_inspections(request: HttpRequest, group: WorkingGroup | None) -> list[Inspection]:
    user = me(request)
    qs = Inspection.objects.filter(tenant_id=tenant_id(user)).select_related(
        "unit", "plan", "group", "tenant"
    )
    if rules.oversees(user) or (group is not None and rules.is_member(user, group)):
        found = list(qs.order_by("-starts_on", "-id"))
    elif user.unit_id is not None:
        found = [
            i
            for i in qs.filter(unit_id=user.unit_id).order_by("-starts_on", "-id")
            if rules.can_view(user, i)
        ]
    else:
        found = []
    today = clock.today()
    for inspection in found:
        inspection.countdown = report.countdown(inspection, today)  # type: ignore[attr-defined]
        inspection.colour = STATE_COLOURS[InspectionState(inspection.state)]  # type: ignore[attr-defined]
    return found


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The Working Group, its plans and the inspections the user may see (a unit: its own)."""
    user = me(request)
    group = services.active_group(tenant_id(user))
    inspections = _visible_inspections(request, group)
    sees_group = group is not None and rules.can_view_group(user, group)
    if not sees_group and not inspections and not rules.may_list(user):
        raise Http404
    plans = (
        list(InspectionPlan.objects.filter(group=group).order_by("-period_start", "-id"))
        if sees_group
        else []
    )
    return render(
        request,
        "inspections/index.html",
        {
            "group": group if sees_group else None,
            "plans": plans,
            "inspections": inspections,
            "is_member": group is not None and rules.is_member(user, group),
            "is_leader": group is not None and rules.is_group_leader(user, group),
            "can_manage_group": rules.can_manage_group(user),
            "can_summary": rules.can_view_summary(user)
            or (group is not None and rules.is_member(user, group)),
            "plan_form": forms.PlanForm(),
        },
    )


# --- the Working Group ------------------------------------------------------------------------


@login_required
def group_page(request: HttpRequest) -> HttpResponse:
    user = me(request)
    tid = tenant_id(user)
    group = services.active_group(tid)
    if not rules.can_manage_group(user) and (
        group is None or not rules.can_view_group(user, group)
    ):
        raise Http404
    form = forms.GroupForm(tenant_id=tid)
    if request.method == "POST":
        if not rules.can_manage_group(user):
            raise Http404
        form = forms.GroupForm(request.POST, request.FILES, tenant_id=tid)
        if form.is_valid():
            data = form.cleaned_data
            if _run(
                request,
                lambda: services.set_up_group(
                    user.tenant,  # type: ignore[arg-type]
                    by=user,
                    name=data["name"],
                    decision_number=data["decision_number"],
                    decision_date=data["decision_date"],
                    leader=data["leader"],
                    rules_file=data["rules_file"],
                ),
                _("The Working Group has been recorded."),
            ):
                return redirect("inspections:group")
        else:
            _form_errors(request, form)
    return render(
        request,
        "inspections/group.html",
        {
            "group": group,
            "form": form,
            "member_form": forms.MemberForm(tenant_id=tid),
            "rules_form": forms.RulesForm(),
            "can_manage": rules.can_manage_group(user),
            "leader_role": MemberRole.LEADER,
        },
    )


def _active_group_for(request: HttpRequest) -> WorkingGroup:
    user = me(request)
    group = services.active_group(tenant_id(user))
    if group is None or not rules.can_manage_group(user):
        raise Http404
    return group


@login_required
@require_POST
def add_member(request: HttpRequest) -> HttpResponse:
    group = _active_group_for(request)
    form = forms.MemberForm(request.POST, tenant_id=group.tenant_id)
    if form.is_valid():
        _run(
            request,
            lambda: services.add_member(
                group,
                by=me(request),
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
            ),
            _("The member has been added."),
        )
    else:
        _form_errors(request, form)
    return redirect("inspections:group")


@login_required
@require_POST
def remove_member(request: HttpRequest, pk: int) -> HttpResponse:
    group = _active_group_for(request)
    member = GroupMember.objects.filter(group=group, pk=pk).select_related("group", "user").first()
    if member is None:
        raise Http404
    _run(request, lambda: services.remove_member(member, by=me(request)), _("Removed."))
    return redirect("inspections:group")


@login_required
@require_POST
def attach_rules(request: HttpRequest) -> HttpResponse:
    group = _active_group_for(request)
    form = forms.RulesForm(request.POST, request.FILES)
    if form.is_valid():
        _run(
            request,
            lambda: services.attach_rules(
                group, by=me(request), rules_file=form.cleaned_data["rules_file"]
            ),
            _("The operating rules have been attached."),
        )
    else:
        _form_errors(request, form)
    return redirect("inspections:group")


@login_required
def group_rules(request: HttpRequest, pk: int) -> HttpResponseBase:
    group = WorkingGroup.objects.prefetch_related(_members()).filter(pk=pk).first()
    if group is None or not group.rules_file or not rules.can_view_group(me(request), group):
        raise Http404
    return FileResponse(group.rules_file.open("rb"), as_attachment=True, filename=group.rules_name)


# --- plans ----------------------------------------------------------------------------------


@login_required
@require_POST
def plan_new(request: HttpRequest) -> HttpResponse:
    user = me(request)
    group = services.active_group(tenant_id(user))
    if group is None or not rules.is_member(user, group):
        raise Http404
    form = forms.PlanForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("inspections:index")
    try:
        plan = services.create_plan(group, by=user, **form.cleaned_data)
    except DomainError as error:
        _error(request, error)
        return redirect("inspections:index")
    return redirect("inspections:plan", pk=plan.pk)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    user = me(request)
    form = forms.InspectionForm(tenant_id=plan.tenant_id)
    if request.method == "POST":
        if not rules.is_member(user, plan.group):
            raise Http404
        form = forms.InspectionForm(request.POST, tenant_id=plan.tenant_id)
        if form.is_valid():
            if _run(
                request,
                lambda: services.add_to_plan(plan, by=user, **form.cleaned_data),
                _("The unit has been added to the plan."),
            ):
                return redirect("inspections:plan", pk=plan.pk)
        else:
            _form_errors(request, form)
    return render(
        request,
        "inspections/plan.html",
        {
            "plan": plan,
            "lines": plan.inspections.select_related("unit").order_by("starts_on", "id"),
            "form": form,
            "can_edit": rules.can_edit_plan(user, plan),
            "can_approve": rules.can_approve_plan(user, plan),
            "is_member": rules.is_member(user, plan.group),
            "approved": plan.state == PlanState.APPROVED,
        },
    )


@login_required
@require_POST
def plan_remove(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    plan = _plan(request, pk)
    inspection = plan.inspections.filter(pk=line).first()
    if inspection is None:
        raise Http404
    inspection.plan = plan
    _run(request, lambda: services.remove_from_plan(inspection, by=me(request)), _("Removed."))
    return redirect("inspections:plan", pk=plan.pk)


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    _run(
        request,
        lambda: services.approve_plan(plan, by=me(request)),
        _("The plan has been approved; the units have been notified."),
    )
    return redirect("inspections:plan", pk=plan.pk)


@login_required
def surprise_new(request: HttpRequest) -> HttpResponse:
    user = me(request)
    group = services.active_group(tenant_id(user))
    if group is None or not rules.is_group_leader(user, group):
        raise Http404
    form = forms.SurpriseForm(tenant_id=group.tenant_id)
    if request.method == "POST":
        form = forms.SurpriseForm(request.POST, tenant_id=group.tenant_id)
        if form.is_valid():
            try:
                inspection = services.add_surprise(group, by=user, **form.cleaned_data)
            except DomainError as error:
                _error(request, error)
            else:
                return redirect("inspections:detail", pk=inspection.pk)
        else:
            _form_errors(request, form)
    return render(request, "inspections/surprise.html", {"form": form, "group": group})


# --- an inspection ----------------------------------------------------------------------------


def _dossier_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        status = row.get("time_status") or ""
        out.append(
            {
                **row,
                "deadline_date": dt.date.fromisoformat(row["deadline"])
                if row["deadline"]
                else None,
                "status_label": TimeStatus(status).label if status in TimeStatus.values else "",
            }
        )
    return out


REPORT_STATUS = {
    "on_time": "st-completed_on_time",
    "late": "st-completed_late",
    "draft": "st-due_soon",
    "missing": "st-overdue",
}


def _report_status_labels() -> dict[str, str]:
    return {
        "on_time": _("Submitted on time"),
        "late": _("Submitted late"),
        "draft": _("Draft, not submitted"),
        "missing": _("Missing"),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    user = me(request)
    today = clock.today()
    working = rules.sees_working_papers(user, inspection)
    sees_report = rules.sees_report(user, inspection)
    can_work = rules.can_work(user, inspection)
    findings = inspection.findings.select_related("task")
    recommendations = list(
        inspection.recommendations.select_related("task", "addressee", "finding", "adjustment")
    )
    for r in recommendations:
        r.status_now = r.status(today)  # type: ignore[attr-defined]
    dossier = inspection.dossier or {}
    labels = _report_status_labels()
    context: dict[str, Any] = {
        "inspection": inspection,
        "state_colour": STATE_COLOURS[InspectionState(inspection.state)],
        "working": working,
        "sees_report": sees_report,
        "can_work": can_work,
        "can_run": rules.can_run(user, inspection),
        "can_provide": rules.can_provide_documents(user, inspection),
        "can_follow_up": rules.can_follow_up(user, inspection),
        "is_unit": rules.is_inspected_unit(user, inspection),
        "countdown": report.countdown(inspection, today),
        "members": inspection.group.members.all(),
        "invited": inspection.invited.select_related("unit"),
        "documents": inspection.documents.select_related("uploaded_by"),
        "findings": findings,
        "recommendations": recommendations,
        "dossier": dossier,
        "dossier_tasks": _dossier_rows(dossier.get("tasks", [])),
        "dossier_missed": _dossier_rows(dossier.get("missed_updates", [])),
        "dossier_returned": _dossier_rows(dossier.get("returned", [])),
        "dossier_reports": [
            {**r, "label": labels[r["status"]], "css": REPORT_STATUS[r["status"]]}
            for r in dossier.get("unit_reports", [])
        ],
        "colours": COLOURS,
        "states": InspectionState,
        "open_state": FollowUp.OPEN,
        "history": labelled(timeline(inspection)) if working else [],
    }
    if can_work:
        context["invite_form"] = forms.InviteForm(tenant_id=inspection.tenant_id)
        context["finding_form"] = forms.FindingForm(
            tenant_id=inspection.tenant_id, unit_id=inspection.unit_id
        )
        context["recommendation_form"] = forms.RecommendationForm(
            tenant_id=inspection.tenant_id,
            unit_id=inspection.unit_id,
            findings=inspection.findings.all(),
        )
        context["assessment_form"] = forms.AssessmentForm(
            initial={
                "implementation": inspection.assessment_implementation,
                "updating": inspection.assessment_updating,
                "reporting": inspection.assessment_reporting,
            }
        )
    if context["can_provide"]:
        context["document_form"] = forms.DocumentForm()
    if inspection.state == InspectionState.ENDED and context["can_run"]:
        leader = inspection.group.leader
        context["issue_form"] = forms.IssueForm(
            initial={
                "signer_title": "TỔ TRƯỞNG",
                "signer_name": leader.user.get_full_name() if leader else "",
            }
        )
    context["close_form"] = forms.CloseForm()
    context["adjustment_form"] = forms.AdjustmentForm()
    return render(request, "inspections/detail.html", context)


def _post(
    request: HttpRequest, pk: int, call: Callable[[Inspection], Any], done: str, anchor: str = ""
) -> HttpResponse:
    inspection = _inspection(request, pk)
    _run(request, lambda: call(inspection), done)
    return redirect(reverse("inspections:detail", args=[pk]) + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def open_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        lambda i: services.open_inspection(i, by=me(request)),
        _("The inspection has started; the dossier has been assembled."),
    )


@login_required
@require_POST
def end_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        lambda i: services.end_inspection(i, by=me(request)),
        _("The inspection has ended; the report is due within 10 working days."),
        "report",
    )


def _with_form(
    request: HttpRequest,
    pk: int,
    make: Callable[[Inspection], Any],
    call: Callable[[Inspection, dict[str, Any]], Any],
    done: str,
    anchor: str,
) -> HttpResponse:
    inspection = _inspection(request, pk)
    form = make(inspection)
    if form.is_valid():
        _run(request, lambda: call(inspection, form.cleaned_data), done)
    else:
        _form_errors(request, form)
    return redirect(reverse("inspections:detail", args=[pk]) + f"#{anchor}")


@login_required
@require_POST
def invite_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_form(
        request,
        pk,
        lambda i: forms.InviteForm(request.POST, tenant_id=i.tenant_id),
        lambda i, d: services.invite(i, by=me(request), **d),
        _("Invited."),
        "invited",
    )


@login_required
@require_POST
def document_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_form(
        request,
        pk,
        lambda i: forms.DocumentForm(request.POST, request.FILES),
        lambda i, d: services.provide_document(i, by=me(request), **d),
        _("The document has been provided."),
        "documents",
    )


@login_required
def document_file(request: HttpRequest, pk: int, doc: int) -> HttpResponseBase:
    inspection = _inspection(request, pk)
    found = ProvidedDocument.objects.filter(inspection=inspection, pk=doc).first()
    if found is None:
        raise Http404
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


@login_required
@require_POST
def finding_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_form(
        request,
        pk,
        lambda i: forms.FindingForm(request.POST, tenant_id=i.tenant_id, unit_id=i.unit_id),
        lambda i, d: services.add_finding(i, by=me(request), **d),
        _("The finding has been recorded."),
        "findings",
    )


@login_required
@require_POST
def finding_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    finding = Finding.objects.filter(inspection=inspection, pk=item).first()
    if finding is None:
        raise Http404
    _run(request, lambda: services.remove_finding(finding, by=me(request)), _("Removed."))
    return redirect(reverse("inspections:detail", args=[pk]) + "#findings")


@login_required
@require_POST
def recommendation_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_form(
        request,
        pk,
        lambda i: forms.RecommendationForm(
            request.POST, tenant_id=i.tenant_id, unit_id=i.unit_id, findings=i.findings.all()
        ),
        lambda i, d: services.add_recommendation(i, by=me(request), **d),
        _("The recommendation has been recorded."),
        "recommendations",
    )


def _recommendation(request: HttpRequest, pk: int, item: int) -> Recommendation:
    inspection = _inspection(request, pk)
    found = (
        Recommendation.objects.filter(inspection=inspection, pk=item)
        .select_related("inspection__group", "task")
        .first()
    )
    if found is None or not rules.sees_report(me(request), inspection):
        raise Http404
    return found


@login_required
@require_POST
def recommendation_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    found = _recommendation(request, pk, item)
    _run(request, lambda: services.remove_recommendation(found, by=me(request)), _("Removed."))
    return redirect(reverse("inspections:detail", args=[pk]) + "#recommendations")


@login_required
@require_POST
def recommendation_close(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    found = _recommendation(request, pk, item)
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.close_recommendation(
                found,
                by=me(request),
                done=form.cleaned_data["outcome"] == "done",
                note=form.cleaned_data["note"],
            ),
            _("The follow-up has been recorded."),
        )
    else:
        _form_errors(request, form)
    return redirect(reverse("inspections:detail", args=[pk]) + "#recommendations")


@login_required
@require_POST
def recommendation_adjust(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    found = _recommendation(request, pk, item)
    form = forms.AdjustmentForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.open_adjustment(found, by=me(request), **form.cleaned_data),
            _("The adjustment request has been sent to the Office."),
        )
    else:
        _form_errors(request, form)
    return redirect(reverse("inspections:detail", args=[pk]) + "#recommendations")


@login_required
@require_POST
def assessment_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_form(
        request,
        pk,
        lambda i: forms.AssessmentForm(request.POST),
        lambda i, d: services.save_assessment(i, by=me(request), **d),
        _("The assessment has been saved."),
        "report",
    )


@login_required
@require_POST
def issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_form(
        request,
        pk,
        lambda i: forms.IssueForm(request.POST),
        lambda i, d: services.issue_report(i, by=me(request), **d),
        _("The report has been issued."),
        "report",
    )


@login_required
@require_POST
def deliver_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        lambda i: services.deliver_report(i, by=me(request)),
        _("The report has been sent to the committee and to the unit."),
        "report",
    )


@login_required
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    if inspection.state not in (InspectionState.REPORTED, InspectionState.DELIVERED):
        raise Http404
    if not rules.sees_report(me(request), inspection):
        raise Http404
    response = HttpResponse(report.build_docx(inspection), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{inspection.report_filename()}"'
    return response


# --- the monthly summary ----------------------------------------------------------------------


@login_required
def summary_view(request: HttpRequest) -> HttpResponse:
    user = me(request)
    tid = tenant_id(user)
    group = services.active_group(tid)
    if not rules.can_view_summary(user) and not (group and rules.is_member(user, group)):
        raise Http404
    today = clock.today()
    year, month = today.year, today.month
    raw = request.GET.get("month", "")
    try:
        if raw:
            year, month = (int(part) for part in raw.split("-"))
            dt.date(year, month, 1)
    except ValueError:
        messages.error(request, _("Give the month as YYYY-MM."))
        year, month = today.year, today.month
    data = summary.monthly(tid, year, month, today)
    form = forms.MonthForm(initial={"month": f"{year:04d}-{month:02d}"})
    return render(
        request, "inspections/summary.html", {"summary": data, "form": form, "today": today}
    )
