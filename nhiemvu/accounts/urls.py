from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("language/", views.language, name="language"),
    path("users/", views.users, name="users"),
    path("users/new/", views.edit_user, name="new_user"),
    path("users/<int:pk>/", views.edit_user, name="edit_user"),
]
