from django.urls import path

from sinergi.partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("kerja-sama/", views.agreement_list, name="agreement_list"),
    path("kerja-sama/<int:pk>/", views.agreement_detail, name="agreement_detail"),
]
