from django.urls import path

from sinergi.programs import views

app_name = "programs"

urlpatterns = [
    path("pelatihan/", views.catalogue, name="catalogue"),
]

# Programme management for national and regional admins: see admin_views.py.
from sinergi.programs import admin_views  # noqa: E402

urlpatterns += admin_views.urlpatterns
