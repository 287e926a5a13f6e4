from django.urls import path

from . import views

# Included without a namespace: the page is reversed as "search".
urlpatterns = [
    path("search/", views.search, name="search"),
]
