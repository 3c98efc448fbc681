from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.index, name="index"),
    path("group/", views.group_page, name="group"),
    path("group/members/", views.add_member, name="add_member"),
    path("group/members/<int:pk>/remove/", views.remove_member, name="remove_member"),
    path("group/rules/", views.attach_rules, name="attach_rules"),
    path("group/<int:pk>/rules/", views.group_rules, name="group_rules"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/lines/<int:line>/remove/", views.plan_remove, name="plan_remove"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("surprise/", views.surprise_new, name="surprise"),
    path("summary/", views.summary_view, name="summary"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/open/", views.open_view, name="open"),
    path("<int:pk>/end/", views.end_view, name="end"),
    path("<int:pk>/invite/", views.invite_view, name="invite"),
    path("<int:pk>/documents/", views.document_view, name="document"),
    path("<int:pk>/documents/<int:doc>/", views.document_file, name="document_file"),
    path("<int:pk>/findings/", views.finding_view, name="finding"),
    path("<int:pk>/findings/<int:item>/remove/", views.finding_remove, name="finding_remove"),
    path("<int:pk>/recommendations/", views.recommendation_view, name="recommendation"),
    path(
        "<int:pk>/recommendations/<int:item>/remove/",
        views.recommendation_remove,
        name="recommendation_remove",
    ),
    path(
        "<int:pk>/recommendations/<int:item>/close/",
        views.recommendation_close,
        name="recommendation_close",
    ),
    path(
        "<int:pk>/recommendations/<int:item>/adjust/",
        views.recommendation_adjust,
        name="recommendation_adjust",
    ),
    path("<int:pk>/assessment/", views.assessment_view, name="assessment"),
    path("<int:pk>/issue/", views.issue_view, name="issue"),
    path("<int:pk>/deliver/", views.deliver_view, name="deliver"),
    path("<int:pk>/report.docx", views.report_docx, name="report_docx"),
]
