from django.apps import AppConfig


class WebConfig(AppConfig):
    """An app for the template tags (``{% load kvisa %}``); the pages have no models."""

    name = "kvisa.web"
    label = "web"
