from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from kvisa.accounts import views

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
