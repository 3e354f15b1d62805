from django.urls import path

from sinergi.programs import views

app_name = "programs"

urlpatterns = [
    path("pelatihan/", views.catalogue, name="catalogue"),
]
