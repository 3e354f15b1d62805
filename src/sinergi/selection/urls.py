from django.urls import path

from sinergi.selection import views

app_name = "selection"

urlpatterns = [
    path("alokasi/", views.batch_list, name="batch_list"),
    path("alokasi/tawaran-belum-dijawab/", views.unanswered_offers, name="unanswered_offers"),
    path("alokasi/gelombang/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("alokasi/<int:pk>/", views.run_detail, name="run_detail"),
    path("alokasi/<int:pk>/undian/", views.run_draw_seed, name="run_draw_seed"),
    path("alokasi/<int:pk>/simulasi/", views.run_compute, name="run_compute"),
    path("alokasi/<int:pk>/terbitkan/", views.run_publish, name="run_publish"),
    path("alokasi/langkah/<int:pk>/", views.step_progress, name="step_progress"),
    path("alokasi/<int:pk>/batalkan/", views.run_cancel, name="run_cancel"),
    path("alokasi/<int:pk>/masukan.json", views.run_input_download, name="run_input_download"),
    path("alokasi/<int:pk>/hasil.json", views.run_result_download, name="run_result_download"),
    path("alokasi/transparansi/<int:pk>/", views.batch_transparency, name="batch_transparency"),
    path("hasil-seleksi/", views.my_results, name="my_results"),
    path("hasil-seleksi/tawaran/<int:pk>/terima/", views.offer_accept, name="offer_accept"),
    path("hasil-seleksi/tawaran/<int:pk>/tolak/", views.offer_decline, name="offer_decline"),
]
