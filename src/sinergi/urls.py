"""Root URLs. Each domain app owns its paths in its own urls.py (prefixes included there), and is
mounted here under its app namespace, so adding an app's pages never needs an edit to this file."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from sinergi.accounts.urls import auth_urlpatterns
from sinergi.core import views as core_views

admin.site.site_header = "Administrasi Sinergi"
admin.site.site_title = "Sinergi"
admin.site.index_title = "Pengelolaan data"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("audit/", core_views.audit_log, name="audit_log"),
    path("pekerjaan/<int:pk>/", core_views.job_status, name="job_status"),
    path("notifikasi/", core_views.notification_inbox, name="notification_inbox"),
    path("notifikasi/<int:pk>/baca/", core_views.notification_read, name="notification_read"),
    path("notifikasi/baca-semua/", core_views.notification_read_all, name="notification_read_all"),
    path("akun/dua-langkah/", core_views.two_factor_setup, name="two_factor"),
    path("akun/dua-langkah/kode/", core_views.two_factor_verify, name="two_factor_verify"),
    path(
        "akun/dua-langkah/kode-pemulihan/",
        core_views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("akun/dua-langkah/matikan/", core_views.two_factor_disable, name="two_factor_disable"),
    path("akun/", include(auth_urlpatterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]

for app in settings.INSTALLED_APPS:
    if app.startswith("sinergi.") and find_spec(f"{app}.urls") is not None:
        module = import_module(f"{app}.urls")
        urlpatterns.append(
            path("", include((module.urlpatterns, getattr(module, "app_name", app.split(".")[1]))))
        )

handler403 = "sinergi.core.views.permission_denied"
handler404 = "sinergi.core.views.not_found"
handler500 = "sinergi.core.views.server_error"
