"""kvisa against OpenFisca on the K visa criteria, end to end, same profiles.

OpenFisca-Core (AGPL-3.0) is a *benchmark-only* dependency, never a kvisa
dependency: run this with ``uv run --with openfisca-core python
benchmarks/vs_openfisca.py``.  The K visa criteria are written below as an
OpenFisca tax-benefit system (a person entity, input variables, an age
formula, the eligibility formula, parameters for the age limits), exactly as
kvisa states them.  Both engines start from the same Polars frame of
synthetic profiles ("inputs in") and stop at a boolean verdict per person
("verdicts out"); the time includes moving the inputs into each engine.
Each engine is set up before the clock starts (OpenFisca's tax-benefit
system, kvisa's rules compiled for the date), and each figure is the median
of ``--repeats`` runs (3) on this shared host.

OpenFisca has no "unknown": a missing input takes the variable's default, so
the comparison uses complete profiles (``missing=0``).  kvisa's K visa asks
whether *any* degree is a STEM one, so from the highest degree alone it
rightly answers "undetermined" where a naive encoding (highest degree only)
says "not eligible".  Two honest comparisons, both printed:

* ``single``: the profiles as generated (the highest degree only), and the
  same any-degree rule encoded in OpenFisca as three-valued logic
  (false 0, unknown ½, true 1; "all of" is the minimum, "any of" the maximum,
  which is Kleene's logic);
* ``listed``: each profile also lists its degrees (``degrees``: the one degree
  it holds), and OpenFisca's two-valued rule on the highest degree, which is
  then the same question.

The script checks that both engines agree on every verdict and exits 1 when
they do not: a benchmark whose answers differ measures nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable

import numpy as np
import polars as pl
from openfisca_core import entities, periods, taxbenefitsystems, variables
from openfisca_core.parameters import ParameterNode
from openfisca_core.simulations import SimulationBuilder

from kvisa.population.synthetic import population
from kvisa.rules import evaluate_lazy

ON = dt.date(2026, 1, 1)
DEGREES = {"none": 0, "secondary": 1, "bachelor": 2, "master": 3, "doctorate": 4}

Person = entities.build_entity(key="person", plural="persons", label="Person", is_person=True)


# OpenFisca names variable classes in snake case, as its country templates do.
class date_of_birth(variables.Variable):
    value_type = dt.date
    entity = Person
    definition_period = periods.DateUnit.ETERNITY
    label = "Date of birth"


class degree_level(variables.Variable):
    value_type = int
    entity = Person
    definition_period = periods.DateUnit.ETERNITY
    label = "Highest degree, 0 none … 4 doctorate"


class degree_broad_field(variables.Variable):
    value_type = int
    entity = Person
    definition_period = periods.DateUnit.ETERNITY
    label = "ISCED-F broad field of the degree"


class degree_institution_recognised(variables.Variable):
    value_type = bool
    entity = Person
    definition_period = periods.DateUnit.ETERNITY
    label = "Degree from a well-known institution"


class teaching_or_research(variables.Variable):
    value_type = bool
    entity = Person
    definition_period = periods.DateUnit.ETERNITY
    label = "Teaching or research at a well-known institution"


class age(variables.Variable):
    value_type = int
    entity = Person
    definition_period = periods.DateUnit.DAY
    label = "Completed years on the day"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]
        birth = person("date_of_birth", period)
        on = period.start
        years = on.year - birth.astype("datetime64[Y]").astype(int) - 1970
        month = birth.astype("datetime64[M]").astype(int) % 12 + 1
        day = (birth - birth.astype("datetime64[M]")).astype(int) + 1
        not_yet = (month * 100 + day) > (on.month * 100 + on.day)
        return years - not_yet


class k_visa_eligible(variables.Variable):
    value_type = bool
    entity = Person
    definition_period = periods.DateUnit.DAY
    label = "China K visa verdict"

    def formula_2025_10_01(person, period, parameters):  # type: ignore[no-untyped-def]
        limits = parameters(period).k_visa
        years = person("age", period)
        graduate = ((person("degree_level", period) >= 2)
                    * np.isin(person("degree_broad_field", period), [5, 6, 7])
                    * person("degree_institution_recognised", period))
        return ((years >= limits.min_age) * (years <= limits.max_age)
                * (graduate + person("teaching_or_research", period)))


class k_visa_verdict(variables.Variable):
    value_type = float
    entity = Person
    definition_period = periods.DateUnit.DAY
    label = "China K visa verdict, three-valued: 0 no, 0.5 undetermined, 1 yes"

    def formula_2025_10_01(person, period, parameters):  # type: ignore[no-untyped-def]
        # kvisa's rule from the highest degree alone: a STEM degree from a
        # well-known institution passes; below a bachelor's, no degree can pass;
        # otherwise another degree might, so the criterion is unknown.
        limits = parameters(period).k_visa
        years = person("age", period)
        rank = person("degree_level", period)
        stem_field = np.isin(person("degree_broad_field", period), [5, 6, 7])
        below = rank < 2
        single_stem = (rank >= 2) * stem_field
        stem = np.where(single_stem, 1.0, np.where(below, 0.0, 0.5))
        single_recognised = single_stem * person("degree_institution_recognised", period)
        recognised = np.where(single_recognised, 1.0, np.where(below, 0.0, 0.5))
        level = (rank >= 2) * 1.0
        graduate = np.minimum(np.minimum(level, stem), recognised)
        route = np.maximum(graduate, person("teaching_or_research", period) * 1.0)
        ages = ((years >= limits.min_age) * (years <= limits.max_age)) * 1.0
        return np.minimum(ages, route)


class KVisaSystem(taxbenefitsystems.TaxBenefitSystem):
    def __init__(self) -> None:
        super().__init__([Person])
        for variable in (date_of_birth, degree_level, degree_broad_field,
                         degree_institution_recognised, teaching_or_research, age,
                         k_visa_eligible, k_visa_verdict):
            self.add_variable(variable)
        self.parameters = ParameterNode("", data={"k_visa": {
            "min_age": {"values": {"2025-10-01": {"value": 18}}},
            "max_age": {"values": {"2025-10-01": {"value": 45}}},
        }})


def openfisca_verdicts(system: KVisaSystem, frame: pl.DataFrame, variable: str
                       ) -> np.ndarray:
    simulation = SimulationBuilder().build_default_simulation(system, frame.height)
    eternity = periods.period("ETERNITY")
    simulation.set_input("date_of_birth", eternity,
                         frame["date_of_birth"].to_numpy().astype("datetime64[D]"))
    simulation.set_input("degree_level", eternity,
                         frame["highest_degree"].replace_strict(DEGREES).to_numpy())
    simulation.set_input("degree_broad_field", eternity,
                         frame["degree_field"].str.slice(0, 2).cast(pl.Int64).to_numpy())
    simulation.set_input("degree_institution_recognised", eternity,
                         frame["degree_institution_recognised"].to_numpy())
    simulation.set_input("teaching_or_research", eternity,
                         frame["teaching_or_research_at_recognised_institution"].to_numpy())
    return simulation.calculate(variable, periods.period(ON.isoformat()))


def kvisa_verdicts(frame: pl.DataFrame, facts: str) -> np.ndarray:
    """One lazy plan from the frame to the verdicts, as a Dask worker runs it; kvisa's
    three values on OpenFisca's scale (0, ½, 1), or as booleans."""
    verdict = pl.col("cn.k_visa")
    return (evaluate_lazy(frame, ["cn.k_visa"], ON, detail=False)
            .select(verdict.cast(pl.Float64).fill_null(0.5) if facts == "single" else verdict)
            .collect().to_series().to_numpy())


def timed(action: Callable[[], np.ndarray], repeats: int) -> tuple[np.ndarray, float]:
    """The answer and the median time of ``repeats`` runs (this host is shared: one run
    can be a third slower or faster than the next, for either engine)."""
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        answer = action()
        seconds.append(time.perf_counter() - start)
    return answer, statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs per engine and size; the median is printed")
    args = parser.parse_args()
    system = KVisaSystem()
    print(f"{'profiles':>12} {'facts':<8} {'kvisa s':>9} {'OpenFisca s':>12} {'ratio':>7}  agree")
    disagreements = 0
    for size in args.sizes:
        generated = population(size, missing=0.0)
        for facts in ("single", "listed"):
            frame = generated if facts == "single" else with_degree_list(generated)
            # each engine is set up before the clock starts: OpenFisca's tax-benefit
            # system above, kvisa's rules compiled for the date here (both once per
            # process, as a service or a worker does)
            kvisa_verdicts(frame.head(1_000), facts)
            ours, kvisa_seconds = timed(lambda f=frame, k=facts: kvisa_verdicts(f, k),
                                        args.repeats)
            theirs, openfisca_seconds = timed(
                lambda f=frame, k=facts: openfisca_verdicts(
                    system, f, "k_visa_verdict" if k == "single" else "k_visa_eligible"),
                args.repeats)
            agree = bool((ours == theirs).all())
            disagreements += not agree
            print(f"{size:>12,} {facts:<8} {kvisa_seconds:>9.3f} {openfisca_seconds:>12.3f} "
                  f"{openfisca_seconds / kvisa_seconds:>6.1f}×  {agree}")
        del generated
    if disagreements:
        raise SystemExit("the engines disagree: the figures above measure nothing")


def with_degree_list(frame: pl.DataFrame) -> pl.DataFrame:
    """The same profiles with their degree listed: every fact the rule reads, known."""
    degree = pl.struct(level=pl.col("highest_degree"), field=pl.col("degree_field"),
                       institution_recognised=pl.col("degree_institution_recognised"),
                       country=pl.lit(None, dtype=pl.String), year=pl.lit(None, dtype=pl.Int64))
    return frame.with_columns(degrees=pl.concat_list(degree))


if __name__ == "__main__":
    main()
