from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("workspace/", views.workspace, name="workspace"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.task_action, name="action"),
    path("extensions/<int:pk>/decide/", views.decide_extension, name="decide_extension"),
    path("adjustments/<int:pk>/resolve/", views.resolve_adjustment, name="resolve_adjustment"),
]
