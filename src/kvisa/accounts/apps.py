from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kvisa.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import time
        from typing import Any

        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from kvisa.accounts import session_guard, throttle

        def failed(sender: Any, credentials: dict[str, Any], request: Any = None,
                   **kwargs: Any) -> None:
            email = str(credentials.get("username") or credentials.get("email") or "")
            if request is None or not throttle.trusted_device(request, email):
                throttle.record_failure(email)

        def succeeded(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
            throttle.record_success(user.email)
            if request is not None and hasattr(request, "session"):
                now = time.time()  # the session's clocks start at sign-in (session_guard)
                request.session[session_guard.STARTED] = now
                request.session[session_guard.SEEN] = now

        user_login_failed.connect(failed, weak=False,
                                  dispatch_uid="kvisa.account_throttle.failed")
        user_logged_in.connect(succeeded, weak=False, dispatch_uid="kvisa.account_throttle.ok")
