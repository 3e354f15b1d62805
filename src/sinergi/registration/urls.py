from django.urls import path

from sinergi.registration import views

app_name = "registration"

urlpatterns = [
    path("daftar/", views.signup, name="signup"),
    path("daftar/cek-email/", views.signup_sent, name="signup_sent"),
    path("daftar/kirim-ulang/", views.resend_verification, name="resend_verification"),
    path("daftar/konfirmasi/<uidb64>/<token>/", views.verify_email, name="verify_email"),
    path("privasi/", views.privacy_notice, name="privacy"),
    path("pelatihan/", views.catalogue, name="catalogue"),
    path("peserta/profil/", views.profile, name="profile"),
    path("peserta/data-saya/", views.my_data, name="my_data"),
    path("peserta/data-saya/hapus/", views.erasure_request, name="erasure_request"),
    path("penghapusan-data/", views.erasure_list, name="erasure_list"),
    path("penghapusan-data/<int:pk>/", views.erasure_decide, name="erasure_decide"),
    path("peserta/pendaftaran/", views.my_applications, name="my_applications"),
    path("pelatihan/gelombang/<int:batch_pk>/daftar/", views.apply, name="apply"),
    path("pelatihan/gelombang/<int:batch_pk>/daftar/ubah/", views.apply_edit, name="apply_edit"),
    path("pelatihan/gelombang/<int:batch_pk>/daftar/kirim/", views.apply_submit, name="apply_submit"),
    path("pelatihan/gelombang/<int:batch_pk>/daftar/tarik/", views.apply_withdraw, name="apply_withdraw"),
    path("data-ganda/", views.duplicate_list, name="duplicate_list"),
    path("data-ganda/<int:pk>/", views.duplicate_detail, name="duplicate_detail"),
    # Bulk import of participants: upload, per-row report, import or cancel.
    path("impor/peserta/", views.import_start, name="import_start"),
    path("impor/peserta/templat.xlsx", views.import_template, name="import_template"),
    path("impor/peserta/<int:pk>/", views.import_detail, name="import_detail"),
    path("impor/peserta/<int:pk>/kemajuan/", views.import_progress, name="import_progress"),
    path("impor/peserta/<int:pk>/laporan.xlsx", views.import_report, name="import_report"),
    path("impor/peserta/<int:pk>/keputusan/", views.import_decide, name="import_decide"),
    # Invitations of imported participants: the claim page, the officers' list.
    path("daftar/undangan/<str:token>/", views.claim, name="claim"),
    path("peserta/tanpa-akun/", views.without_account, name="invitations"),
]
