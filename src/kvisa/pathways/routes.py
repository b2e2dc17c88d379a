"""The routes a person can compare, gathered from the programme folders: each
folder's ``pathway.py`` lists its routes (a whole programme, or one of its
alternative routes such as the investment route to Chinese permanent residence).
A route's verdict is the Kleene AND of the programme's shared conditions and
that route's group."""

from kvisa.rules.facets import Route
from kvisa.rules.programmes import ROUTES

__all__ = ["ROUTES", "Route"]
