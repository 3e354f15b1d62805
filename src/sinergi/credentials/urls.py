from django.urls import path, register_converter

from sinergi.credentials import views
from sinergi.credentials.urls_converters import CertificateNumberConverter

register_converter(CertificateNumberConverter, "certno")

app_name = "credentials"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("verify/<certno:number>", views.verify_number, name="verify_number"),
    path("credentials/issuers/<int:pk>/", views.issuer_profile, name="issuer_profile"),
    path("credentials/status/<int:pk>/", views.status_list, name="status_list"),
    path("sertifikat-saya/", views.my_certificates, name="mine"),
    path("sertifikat/<int:pk>/pdf/", views.certificate_pdf, name="pdf"),
    path("sertifikat/<int:pk>/json/", views.certificate_json, name="json"),
    path("sertifikat/dompet/<str:token>/", views.wallet_json, name="wallet_json"),
    path("sertifikat/", views.manage, name="manage"),
    path("sertifikat/kelas/<int:pk>/", views.class_certificates, name="class"),
    path("sertifikat/<int:pk>/", views.detail, name="detail"),
    path("sertifikat/<int:pk>/cabut/", views.revoke, name="revoke"),
]
