"""Programme management for national and regional admins (the public class catalogue is registration's)."""

from django.urls import path

from sinergi.programs import views

app_name = "programs"

urlpatterns = [
    path("kelola/gelombang/", views.batch_list, name="manage_batches"),
    path("kelola/gelombang/baru/", views.batch_edit, name="manage_batch_create"),
    path("kelola/gelombang/<int:pk>/", views.batch_detail, name="manage_batch"),
    path("kelola/gelombang/<int:pk>/ubah/", views.batch_edit, name="manage_batch_edit"),
    path("kelola/gelombang/<int:pk>/tutup/", views.batch_close, name="manage_batch_close"),
    path("kelola/gelombang/<int:batch_pk>/program/baru/", views.program_edit, name="manage_program_create"),
    path("kelola/program/<int:pk>/", views.program_detail, name="manage_program"),
    path("kelola/program/<int:pk>/ubah/", views.program_edit, name="manage_program_edit"),
    path("kelola/program/<int:program_pk>/aturan/baru/", views.rule_edit, name="manage_rule_create"),
    path("kelola/aturan/<int:pk>/ubah/", views.rule_edit, name="manage_rule_edit"),
    path("kelola/aturan/<int:pk>/hapus/", views.rule_delete, name="manage_rule_delete"),
    path("kelola/program/<int:program_pk>/kelas/baru/", views.class_edit, name="manage_class_create"),
    path("kelola/kelas/<int:pk>/ubah/", views.class_edit, name="manage_class_edit"),
    path("kelola/akademi/", views.academy_list, name="manage_academies"),
]
