from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("workbench/", views.workbench, name="workbench"),
    path("documents/new/", views.new_document, name="new"),
    path("documents/upload/", views.upload, name="upload"),
    path("documents/proposals/<int:pk>/", views.review, name="review"),
    path("documents/proposals/<int:pk>/discard/", views.discard, name="discard"),
    path("documents/<int:pk>/", views.document_detail, name="detail"),
    path("documents/<int:pk>/transfer/", views.transfer, name="transfer"),
]
