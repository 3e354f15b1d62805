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
    path(
        "kerja-sama/kelola/impor/<int:pk>/",
        list_views.agreement_import_result,
        name="agreement_import_result",
    ),
    path("kerja-sama/wilayah/<str:code>/", list_views.region_page, name="region_page"),
    path("kerja-sama/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    # The cooperation office's pages of one agreement (views.py): form, lifecycle, documents, review, monev.
    path("kerja-sama/kelola/baru/", views.agreement_edit, name="agreement_create"),
    path("kerja-sama/kelola/cari-dokumen/", views.document_search, name="document_search"),
    path("kerja-sama/kelola/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("kerja-sama/kelola/<int:pk>/ubah/", views.agreement_edit, name="agreement_edit"),
    path("kerja-sama/kelola/<int:pk>/status/", views.manage_transition, name="manage_transition"),
    path("kerja-sama/kelola/<int:pk>/dokumen/", views.manage_document_upload, name="manage_document_upload"),
    path(
        "kerja-sama/kelola/<int:pk>/dokumen/<int:document_pk>/",
        views.manage_document_download,
        name="manage_document_download",
    ),
    path("kerja-sama/kelola/<int:pk>/komentar/", views.manage_comment, name="manage_comment"),
    path("kerja-sama/kelola/<int:pk>/monev/", views.manage_monev, name="manage_monev"),
    path(
        "kerja-sama/kelola/<int:pk>/komitmen/<int:commitment_pk>/pengukuran/",
        views.manage_measurement,
        name="manage_measurement",
    ),
]
