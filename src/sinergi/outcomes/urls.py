from django.urls import path

from sinergi.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("tracer/", views.program_list, name="program_list"),
    path("tracer/program/<int:pk>/", views.program_detail, name="program"),
    path("tracer/program/<int:pk>/csv/", views.program_csv, name="program_csv"),
    path("tracer/jawab/<str:token>/", views.answer, name="answer"),
]
