"""The one fact only the O-1A asks: how many of its eight kinds of evidence a person has.

The O-1A's list (8 CFR 214.2(o)(3)(iii)(B)) is the EB-1A's list of ten without
the two for the arts (display at exhibitions, commercial success in the
performing arts), so the EB-1A count cannot stand in for it.  The major award
and the final-merits standing are the same facts the EB-1A reads: the
regulations use the same words for both.
"""

from kvisa.i18n import gettext_noop as N_
from kvisa.rules.facts import Ask, Fact

FACTS = (
    Fact("o1a_criteria_met", "int",
         "How many of the eight O-1A evidence criteria (8 CFR 214.2(o)(3)(iii)(B)) are met.",
         minimum=0, maximum=8, label=N_("O-1A evidence criteria met (0-8)"),
         ask=Ask(N_("How many of the eight kinds of evidence for the US O-1A visa do you "
                    "have?"),
                 N_("Prizes, memberships that require outstanding achievement, press about "
                    "you, judging others' work, original contributions of major significance, "
                    "scholarly articles, a critical role at a distinguished organisation, high "
                    "pay (8 CFR 214.2(o)(3)(iii)(B))."),
                 known=2, probes=(0, 2, 3, 5))),
)
