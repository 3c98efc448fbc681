from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("new/", views.edit, name="new"),
    path("<int:pk>/", views.edit, name="edit"),
]
