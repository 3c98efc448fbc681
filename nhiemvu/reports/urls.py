from django.urls import path

from . import report_views as r
from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/", r.period_list, name="periods"),
    path("reports/settings/", r.settings_view, name="settings"),
    path("reports/<int:pk>/", r.period_detail, name="period"),
    path("reports/<int:pk>/edit/", r.period_edit, name="period_edit"),
    path("reports/<int:pk>/tasks/", r.period_tasks, name="period_tasks"),
    path("reports/<int:pk>/chart-<str:name>.png", r.chart, name="chart"),
    path("reports/<int:pk>/units/", r.unit_report_list, name="unit_reports"),
    path("reports/<int:pk>/my-report/", r.my_report, name="my_report"),
    path("reports/<int:pk>/units/<int:unit_id>/", r.unit_report, name="unit_report"),
    path("reports/<int:pk>/units/<int:unit_id>/send-back/", r.send_back, name="send_back"),
    path("reports/<int:pk>/consolidated/", r.consolidated, name="consolidated"),
    path("reports/<int:pk>/report.<str:fmt>", r.export, name="export"),
    path("reports/<int:pk>/publish/", r.publish, name="publish"),
]
