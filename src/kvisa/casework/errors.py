"""Domain errors of casework; views and the API turn them into 4xx answers."""

from __future__ import annotations


class CaseworkError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(CaseworkError):
    status, title = 404, "Not found"


class Forbidden(CaseworkError):
    status, title = 403, "Forbidden"


class NotAllowed(CaseworkError):
    status, title = 409, "Action not allowed in this state"


class Conflict(CaseworkError):
    status, title = 409, "Conflict"


class InvalidInput(CaseworkError):
    status, title = 422, "Invalid input"


class IncompleteApplication(InvalidInput):
    """A draft that cannot be submitted yet; ``problems`` lists every reason, by field."""

    title = "Application incomplete"

    def __init__(self, detail: str, problems: list[dict[str, str]]) -> None:
        super().__init__(detail)
        self.problems = problems
