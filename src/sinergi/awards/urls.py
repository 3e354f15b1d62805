from django.urls import path

from sinergi.awards import views

app_name = "awards"

urlpatterns = [
    path("penghargaan/", views.cycle_list, name="cycle_list"),
    path("penghargaan/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("penghargaan/calon/<int:pk>/juri/", views.jury_score, name="jury_score"),
]
