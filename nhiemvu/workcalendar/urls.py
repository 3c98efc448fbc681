from django.urls import path

from . import views

app_name = "workcalendar"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("<str:date>/remove/", views.remove, name="remove"),
]
