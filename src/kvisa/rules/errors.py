"""Domain errors of the rules engine.

Every error a user can cause (a bad profile, an unknown programme, a scenario
naming a parameter that does not exist) is a :class:`RulesError` whose message
names the field and the problem in one line, so the CLI can print it and exit 2
and the API can answer 4xx with it.
"""

from __future__ import annotations


class RulesError(ValueError):
    """Bad input to the rules engine; the message is fit to show to a user."""


class ProfileError(RulesError):
    """A profile fact is unknown, of the wrong type or impossible."""

    def __init__(self, field: str, problem: str, *, kind: str = "",
                 limit: object = None) -> None:
        self.field = field
        self.problem = problem
        self.kind = kind
        """What is wrong, as a code a page can put in the reader's words (pydantic's
        error type: ``float_parsing``, ``greater_than_equal`` … or ``future``)."""
        self.limit = limit
        super().__init__(f"{field}: {problem}")


class RulesDefinitionError(Exception):
    """The packaged rules themselves are inconsistent (a bug, not user input)."""
