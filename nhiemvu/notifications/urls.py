from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/open/", views.open_notification, name="open"),
    path("<int:pk>/read/", views.mark_read, name="read"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("preference/", views.set_preference, name="preference"),
    path("letters/", views.letter_list, name="letters"),
    path("letters/<int:pk>/", views.letter_detail, name="letter"),
    path("letters/<int:pk>/docx/", views.letter_docx, name="letter_docx"),
    path("letters/<int:pk>/sent/", views.letter_sent, name="letter_sent"),
    path("rules/", views.rule_settings, name="rules"),
    path("failed/", views.failed_emails, name="failed"),
    path("failed/<int:pk>/retry/", views.retry_email, name="retry"),
]
