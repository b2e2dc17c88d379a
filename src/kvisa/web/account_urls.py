from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from kvisa.web import account_views as views

app_name = "accounts"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("verify/<str:uid>/<str:token>/", views.verify_email, name="verify_email"),
    path("login/", views.ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("advisers/", views.advisers, name="advisers"),
    path("staff/", views.staff_accounts, name="staff"),
    path("api-token/", views.api_token, name="api_token"),
    # signed in: the current password and a new one; every other session ends (Django
    # keys sessions to the password hash), and so do API tokens (ApiToken.is_valid)
    path("password/", auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html",
        success_url=reverse_lazy("accounts:password_changed")), name="password_change"),
    path("password/changed/", auth_views.PasswordChangeDoneView.as_view(
        template_name="accounts/message.html",
        extra_context={"heading": _("Password changed"),
                       "message": _("Your password is changed. Other sessions and API tokens "
                                    "have ended.")}), name="password_changed"),
    path("password-reset/", views.ThrottledPasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        email_template_name="accounts/password_reset_email.txt",
        success_url=reverse_lazy("accounts:password_reset_done")), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/message.html",
        extra_context={"message": "If the address has an account, a reset link is on its way."}),
        name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:login")), name="password_reset_confirm"),
]
