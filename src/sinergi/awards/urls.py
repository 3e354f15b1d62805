from django.urls import path

from sinergi.awards import views

app_name = "awards"

urlpatterns = [
    path("penghargaan/", views.cycle_list, name="cycle_list"),
    path("penghargaan/baru/", views.cycle_create, name="cycle_create"),
    path("penghargaan/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("penghargaan/<int:pk>/kategori/baru/", views.category_create, name="category_create"),
    path("penghargaan/calon/<int:pk>/juri/", views.jury_score, name="jury_score"),
]
