from django.urls import path

from sinergi.api import views
from sinergi.api.api import api

app_name = "api"

urlpatterns = [
    path("api/v1/dokumentasi/", views.documentation, name="documentation"),
    path("api/v1/", api.urls),
    path("integrasi/kunci-api/", views.key_list, name="key_list"),
    path("integrasi/kunci-api/<int:pk>/", views.key_detail, name="key_detail"),
    path("integrasi/kunci-api/<int:pk>/cabut/", views.key_revoke, name="key_revoke"),
]
