from django.urls import path

from sinergi.partnerships import list_views, views

app_name = "partnerships"

urlpatterns = [
    # Lists, region pages, export and import live in list_views (the old views.agreement_list is unused).
    path("kerja-sama/", list_views.agreement_list, name="agreement_list"),
    path("kerja-sama/ekspor.<str:fmt>", list_views.agreement_export, name="agreement_export"),
    path("kerja-sama/kelola/", list_views.agreement_manage_list, name="agreement_manage_list"),
    path(
        "kerja-sama/kelola/ekspor.<str:fmt>",
        list_views.agreement_manage_export,
        name="agreement_manage_export",
    ),
    path("kerja-sama/kelola/impor/", list_views.agreement_import, name="agreement_import"),
    path("kerja-sama/wilayah/<str:code>/", list_views.region_page, name="region_page"),
    path("kerja-sama/<int:pk>/", views.agreement_detail, name="agreement_detail"),
]
