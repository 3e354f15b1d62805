from django.urls import path

from sinergi.reporting import views

app_name = "reporting"

urlpatterns = [
    path("dasbor/", views.dashboard, name="dashboard"),
    path("dasbor/grafik/<slug:name>.csv", views.chart_csv, name="chart_csv"),
    path("data/", views.data_index, name="data_index"),
    path("data/catalog.jsonld", views.catalog, name="catalog"),
    path("data/<slug:slug>/<str:region_part>/<int:year>/", views.dataset, name="dataset"),
    path(
        "data/<slug:slug>/<str:region_part>/<int:year>.<str:fmt>",
        views.dataset_download,
        name="dataset_download",
    ),
]
