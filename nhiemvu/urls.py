from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from nhiemvu.api.main import api
from nhiemvu.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("account/", include("nhiemvu.accounts.urls")),
    path("", include("nhiemvu.documents.urls")),
    path("tasks/", include("nhiemvu.tasks.urls")),
    path("dashboard/", include("nhiemvu.reports.urls")),
    path("notifications/", include("nhiemvu.notifications.urls")),
    path("feedback/", include("nhiemvu.feedback.urls")),
    path("inspections/", include("nhiemvu.inspections.urls")),
    path("public/", include("nhiemvu.public.urls")),
    path("manage/units/", include("nhiemvu.units.urls")),
    path("manage/calendar/", include("nhiemvu.workcalendar.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
