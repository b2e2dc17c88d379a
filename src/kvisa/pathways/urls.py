from django.urls import path

from kvisa.pathways import views

urlpatterns = [path("", views.page, name="pathways")]
