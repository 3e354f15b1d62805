import os

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
    path("peserta/pendaftaran/", views.my_applications, name="my_applications"),
    path("pelatihan/gelombang/<int:batch_pk>/daftar/", views.apply, name="apply"),
    path("pelatihan/gelombang/<int:batch_pk>/daftar/ubah/", views.apply_edit, name="apply_edit"),
    path("pelatihan/gelombang/<int:batch_pk>/daftar/kirim/", views.apply_submit, name="apply_submit"),
    path("pelatihan/gelombang/<int:batch_pk>/daftar/tarik/", views.apply_withdraw, name="apply_withdraw"),
    path("data-ganda/", views.duplicate_list, name="duplicate_list"),
    path("data-ganda/<int:pk>/", views.duplicate_detail, name="duplicate_detail"),
]

# Baseline for bench/bench_apply.py only: absent unless the benchmark starts the server with it.
if os.environ.get("SINERGI_BENCH") == "1":
    from sinergi.registration import bench_views

    urlpatterns.append(path("bench/sisip-satu-baris/", bench_views.insert_one_row, name="bench_insert"))

# Bulk import of participants (upload, per-row report, import or cancel): see import_views.py.
from sinergi.registration import import_views  # noqa: E402

urlpatterns += import_views.urlpatterns

# Invitations of imported participants (claim page, officer's list): see invitation_views.py.
from sinergi.registration import invitation_views  # noqa: E402

urlpatterns += invitation_views.urlpatterns
