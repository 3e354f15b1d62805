from django.urls import path

from sinergi.regions import views

app_name = "regions"

urlpatterns = [
    path("wilayah/", views.region_browser, name="browser"),
    path("wilayah/cari/", views.region_search, name="search"),
]
