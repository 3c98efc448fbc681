from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("unit/", views.unit_feedback, name="unit"),
    path("task/<int:task_pk>/new/", views.file_feedback, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/letter.docx", views.letter_docx, name="letter_docx"),
]
