from django.urls import path

from sinergi.intake import views

app_name = "intake"

urlpatterns = [
    path("kerja-sama/draf/", views.start, name="start"),
    path("kerja-sama/draf/<int:pk>/", views.review, name="review"),
    path("kerja-sama/draf/<int:pk>/dibaca/", views.reading, name="reading"),
    path("kerja-sama/draf/<int:pk>/buang/", views.discard, name="discard"),
    path("kerja-sama/draf/<int:pk>/berkas/", views.source_file, name="source_file"),
]
