"""Who sees and does what, as a matrix over the standing cast: the group's members work,
oversight (Office, leaders, inspectors) reads, the inspected commune sees its notice and —
once delivered — its report, other units and other tenants get the "no access" 404."""

from __future__ import annotations

import pytest
from django.test import Client

from nhiemvu.core import clock
from nhiemvu.inspections.models import Finding, Inspection
from tests.conftest import d

from .conftest import World, approved_inspection, delivered_inspection

#: Who may GET each page of a delivered inspection (200), everyone else 404.
EVERYONE_INSIDE = {"office", "office_leader", "inspector", "chairman", "admin"}
MATRIX: dict[str, set[str]] = {
    "index": EVERYONE_INSIDE | {"lead", "outsider", "commune_staff", "commune_head"},
    "detail": EVERYONE_INSIDE | {"commune_staff", "commune_head"},
    "docx": EVERYONE_INSIDE | {"commune_staff", "commune_head"},
    "plan": EVERYONE_INSIDE,
    "group": EVERYONE_INSIDE,
    "summary": EVERYONE_INSIDE,
}
#: Pages about a tenant rather than an object: another tenant's Office gets its own.
TENANT_PAGES = {"index", "group", "summary"}
USERS = [
    "office",
    "office_leader",
    "inspector",
    "chairman",
    "admin",
    "lead",
    "outsider",
    "commune_staff",
    "commune_head",
    "foreign_office",
]


def client_for(w: World, username: str) -> Client:
    users = {
        "commune_staff": w.commune_staff,
        "commune_head": w.commune_head,
    }
    user = users.get(username) or getattr(w.cast, username)
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(user)
    return client


def _url(page: str, inspection: Inspection) -> str:
    return {
        "index": "/inspections/",
        "detail": f"/inspections/{inspection.pk}/",
        "docx": f"/inspections/{inspection.pk}/report.docx",
        "plan": f"/inspections/plans/{inspection.plan_id}/",
        "group": "/inspections/group/",
        "summary": "/inspections/summary/",
    }[page]


@pytest.fixture
def delivered(world: World) -> Inspection:
    return delivered_inspection(world)


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("page", list(MATRIX))
def test_page_access_matrix(world: World, delivered: Inspection, page: str, username: str) -> None:
    with clock.frozen(d("2026-05-06")):
        response = client_for(world, username).get(_url(page, delivered))
    expected = 200 if username in MATRIX[page] else 404
    if username == "foreign_office" and page in TENANT_PAGES:
        expected = 200  # their own tenant's (empty) page
    assert response.status_code == expected, (page, username)
    if expected == 404 or username == "foreign_office":
        content = response.content.decode()
        assert "01/BC-TCT" not in content and "1234/QĐ-UBND" not in content


def test_the_unit_sees_the_notice_but_not_the_working_papers_before_delivery(
    world: World,
) -> None:
    inspection = approved_inspection(world)
    office = client_for(world, "office")
    commune = client_for(world, "commune_staff")
    with clock.frozen(d("2026-04-28")):
        office.post(f"/inspections/{inspection.pk}/open/")
        office.post(
            f"/inspections/{inspection.pk}/findings/",
            {
                "task": world.tasks["overdue"].pk,
                "nature": "Chậm thực hiện",
                "extent": "Quá hạn",
                "cause": "Thiếu người",
                "responsible": "Chủ tịch UBND xã",
            },
        )
        assert Finding.objects.count() == 1
        page = commune.get(f"/inspections/{inspection.pk}/").content.decode()
        assert "Chậm thực hiện" not in page  # findings wait for the delivered report
        assert 'id="dossier"' not in page
        assert commune.get(f"/inspections/{inspection.pk}/report.docx").status_code == 404
        listing = commune.get("/inspections/").content.decode()
        assert f"/inspections/{inspection.pk}/" in listing
        staff_page = office.get(f"/inspections/{inspection.pk}/").content.decode()
        assert "Chậm thực hiện" in staff_page and 'id="dossier"' in staff_page


def test_a_draft_plans_units_are_not_told_yet(world: World) -> None:
    from nhiemvu.inspections import services

    with clock.frozen(d("2026-04-01")):
        plan = services.create_plan(
            world.group,
            by=world.cast.office,
            title="Nháp",
            period_start=d("2026-04-01"),
            period_end=d("2026-06-30"),
        )
        line = services.add_to_plan(
            plan,
            by=world.cast.office,
            unit=world.cast.commune,
            starts_on=d("2026-05-04"),
            ends_on=d("2026-05-05"),
            contents=["updating"],
        )
    assert client_for(world, "commune_staff").get(f"/inspections/{line.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("username", "status", "written"),
    [
        ("office", 302, 1),  # a member of the group
        ("inspector", 302, 0),  # sees it, but read-only: refused with a message
        ("chairman", 302, 0),
        ("commune_staff", 302, 0),
        ("outsider", 404, 0),
        ("foreign_office", 404, 0),
    ],
)
def test_only_group_members_write_findings(
    world: World, username: str, status: int, written: int
) -> None:
    inspection = approved_inspection(world)
    with clock.frozen(d("2026-04-28")):
        client_for(world, "office").post(f"/inspections/{inspection.pk}/open/")
        response = client_for(world, username).post(
            f"/inspections/{inspection.pk}/findings/",
            {
                "topic": "updating",
                "nature": "Không cập nhật",
                "extent": "3 tháng",
                "cause": "Chưa phân công",
                "responsible": "Văn phòng xã",
            },
        )
    assert response.status_code == status
    assert Finding.objects.count() == written


@pytest.mark.parametrize(
    ("username", "approved"),
    [("office", False), ("inspector", False), ("office_leader", True)],
)
def test_only_the_group_leader_approves_through_the_page(
    world: World, username: str, approved: bool
) -> None:
    from nhiemvu.inspections import services

    with clock.frozen(d("2026-04-01")):
        plan = services.create_plan(
            world.group,
            by=world.cast.office,
            title="Kế hoạch",
            period_start=d("2026-04-01"),
            period_end=d("2026-06-30"),
        )
        services.add_to_plan(
            plan,
            by=world.cast.office,
            unit=world.cast.commune,
            starts_on=d("2026-05-04"),
            ends_on=d("2026-05-05"),
            contents=["updating"],
        )
        client_for(world, username).post(f"/inspections/plans/{plan.pk}/approve/")
    plan.refresh_from_db()
    assert (plan.state == "approved") is approved
