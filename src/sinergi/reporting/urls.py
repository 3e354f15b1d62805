from django.urls import path

from sinergi.reporting import views

app_name = "reporting"

urlpatterns = [
    path("dasbor/", views.dashboard, name="dashboard"),
    path("dasbor/grafik/<slug:name>.csv", views.chart_csv, name="chart_csv"),
    path("dasbor/target/", views.target_list, name="target_list"),
    path("dasbor/target/baru/", views.target_create, name="target_create"),
    path("dasbor/target/<int:pk>/ubah/", views.target_edit, name="target_edit"),
    path("dasbor/target/<int:pk>/hapus/", views.target_delete, name="target_delete"),
    path("data/target/<str:code>/", views.public_target_page, name="public_targets"),
    path("data/", views.data_index, name="data_index"),
    path("data/catalog.jsonld", views.catalog, name="catalog"),
    path("data/<slug:slug>/<str:region_part>/<int:year>/", views.dataset, name="dataset"),
    path(
        "data/<slug:slug>/<str:region_part>/<int:year>.<str:fmt>",
        views.dataset_download,
        name="dataset_download",
    ),
]
