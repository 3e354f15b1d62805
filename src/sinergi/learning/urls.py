from django.urls import path

from sinergi.learning import views

app_name = "learning"

urlpatterns = [
    path("kelas-saya/", views.my_classes, name="my_classes"),
    path("presensi/<str:token>/", views.check_in, name="check_in"),
    path("pelaksanaan/", views.class_list, name="class_list"),
    path("pelaksanaan/kelas/<int:pk>/", views.class_detail, name="class_detail"),
    path("pelaksanaan/kelas/<int:pk>/sesi/baru/", views.session_create, name="session_create"),
    path("pelaksanaan/kelas/<int:pk>/sesi/jadwal/", views.session_generate, name="session_generate"),
    path("pelaksanaan/kelas/<int:pk>/jadwal/kirim/", views.schedule_announce, name="schedule_announce"),
    path("pelaksanaan/kelas/<int:pk>/impor-presensi/", views.attendance_import, name="attendance_import"),
    path(
        "pelaksanaan/kelas/<int:pk>/impor-presensi/<int:job_pk>/",
        views.attendance_import_result,
        name="attendance_import_result",
    ),
    path("pelaksanaan/kelas/<int:pk>/nilai/", views.scores, name="scores"),
    path("pelaksanaan/kelas/<int:pk>/kelulusan/", views.completion, name="completion"),
    path("pelaksanaan/kelas/<int:pk>/kelulusan/<int:enrolment_pk>/", views.decide, name="decide"),
    path("pelaksanaan/kelas/<int:pk>/aturan/", views.rule, name="rule"),
    path("pelaksanaan/kelas/<int:pk>/uji-kompetensi/", views.competency, name="competency"),
    path("pelaksanaan/sesi/<int:pk>/ubah/", views.session_edit, name="session_edit"),
    path("pelaksanaan/sesi/<int:pk>/hapus/", views.session_delete, name="session_delete"),
    path("pelaksanaan/sesi/<int:pk>/presensi/", views.session_attendance, name="session_attendance"),
    path(
        "pelaksanaan/sesi/<int:pk>/presensi/<int:enrolment_pk>/",
        views.attendance_toggle,
        name="attendance_toggle",
    ),
    path("pelaksanaan/sesi/<int:pk>/qr/", views.session_qr, name="session_qr"),
    path("pelaksanaan/sesi/<int:pk>/qr/<str:token>.svg", views.session_qr_image, name="session_qr_image"),
]
