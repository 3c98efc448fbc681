from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from nhiemvu.accounts.models import OFFICE_ROLES, Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role starts where its daily work is."""
    user = request.user
    if user.has_role(*OFFICE_ROLES):  # type: ignore[union-attr]
        return redirect("documents:workbench")
    if user.has_role(Role.UNIT_STAFF, Role.UNIT_HEAD):  # type: ignore[union-attr]
        return redirect("tasks:workspace")
    if user.has_role(Role.ADMINISTRATOR) and not user.has_role(Role.LEADER):  # type: ignore[union-attr]
        return redirect("units:manage")
    return redirect("reports:dashboard")


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
