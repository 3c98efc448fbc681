from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.tenant_page, name="tenant"),
    path("<slug:code>/<int:period_id>/", views.publication_page, name="latest"),
    path("<slug:code>/<int:period_id>/v<int:version>/", views.publication_page, name="publication"),
    path("<slug:code>/<int:period_id>/v<int:version>/data.csv", views.data_csv, name="csv"),
    path("<slug:code>/<int:period_id>/v<int:version>/data.json", views.data_json, name="json"),
    path(
        "<slug:code>/<int:period_id>/v<int:version>/chart-<str:name>.png",
        views.chart,
        name="chart",
    ),
]
