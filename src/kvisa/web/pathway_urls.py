from django.http import HttpRequest, HttpResponse
from django.urls import path

from kvisa.web import interview_views
from kvisa.web import pathway_views as views


def start(request: HttpRequest) -> HttpResponse:
    """/pathways: the guided interview; a POST of the all-fields form (advisers'
    scripts and bookmarks of the old page) is still answered by that form."""
    if request.method == "POST" and "state" not in request.POST:
        return views.page(request)
    return interview_views.interview(request)


# included at "pathways" (no trailing slash, the address people know) and at "pathways/"
urlpatterns = [path("", start, name="pathways")]
sub_patterns = [path("all", views.page, name="pathways_all"),
                path("apply", interview_views.apply, name="pathways_apply")]
