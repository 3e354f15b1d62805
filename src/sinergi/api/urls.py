from django.urls import path

from sinergi.api import views
from sinergi.api.api import api

app_name = "api"

urlpatterns = [
    path("api/v1/dokumentasi/", views.documentation, name="documentation"),
    path("api/v1/", api.urls),
]
