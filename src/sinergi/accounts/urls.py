from django.contrib.auth import views as auth_views
from django.urls import path

from sinergi.accounts import views

app_name = "accounts"

urlpatterns = [
    path("organisasi/", views.organization_list, name="organization_list"),
    path("organisasi/<int:pk>/", views.organization_detail, name="organization_detail"),
]

# Authentication pages keep Django's standard names so that its templates and redirects work.
auth_urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("lupa-sandi/", views.PasswordResetView.as_view(), name="password_reset"),
    path("lupa-sandi/terkirim/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "atur-sandi/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "atur-sandi/selesai/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("ubah-sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("ubah-sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
