from django.urls import path

from . import surveys, views

app_name = "insight"

urlpatterns = [
    path("our-impact/", views.impact, name="impact"),
    path("our-impact/data/", views.data_dictionary, name="data_dictionary"),
    path("our-impact/figures.csv", views.download_csv, name="download_csv"),
    path("our-impact/figures.json", views.download_json, name="download_json"),
    path("feedback/<str:token>/", surveys.answer_view, name="survey"),
]
