from django.urls import path

from sinergi.readiness import views

app_name = "readiness"

urlpatterns = [
    path("kesiapan/", views.index, name="index"),
    path("kesiapan/kerangka/<int:pk>/", views.framework_detail, name="framework_detail"),
    path("kesiapan/penilaian/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("kesiapan/penilaian/<int:pk>/indikator/<str:code>/", views.self_score_edit, name="self_score_edit"),
    path("kesiapan/penilaian/<int:pk>/ajukan/", views.assessment_submit, name="assessment_submit"),
    path("kesiapan/penilaian/<int:pk>/asesor/tugaskan/", views.assessor_assign, name="assessor_assign"),
    path("kesiapan/penilaian/<int:pk>/asesor/", views.assessor_scoring, name="assessor_scoring"),
    path("kesiapan/penilaian/<int:pk>/konsensus/", views.consensus, name="consensus"),
    path("kesiapan/seleksi/", views.selection_list, name="selection_list"),
    path("kesiapan/seleksi/baru/", views.selection_create, name="selection_create"),
    path("kesiapan/seleksi/<int:pk>/", views.selection_detail, name="selection_detail"),
    path("kesiapan/wilayah/<str:code>/", views.region_page, name="region_page"),
    path("kesiapan/wilayah/<str:code>/inisiatif/baru/", views.initiative_create, name="initiative_create"),
    path("kesiapan/inisiatif/<int:pk>/ubah/", views.initiative_edit, name="initiative_edit"),
    path("kesiapan/wilayah/<str:code>/masterplan/", views.masterplan_edit, name="masterplan_edit"),
]
