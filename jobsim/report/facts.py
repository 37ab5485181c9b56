"""The reference facts that figures and studies mark or compare with, each once, with its source.

Caseloads are citizens per full-time caseworker, money DKK a year, spans days.
The model's own defaults (slot length, no-show rates, ...) are scenario
fields, not facts: they live in the scenario files, overridable.
"""

from __future__ import annotations

#: DS's recommended caseload for the employment area (citizens per caseworker).
#: Source: Dansk Socialrådgiverforening (DS), "Overblik over DS' vejledende sagstal"
#: (socialraadgiverne.dk); 40–50 is the employment figure DS quotes in its articles on
#: Jobcenter Lærkevej (2017).
DS_BAND = (40.0, 50.0)

#: Caseload at Jobcenter Lærkevej, Copenhagen, 2017: up to 220 citizens per caseworker.
#: Source: Dansk Socialrådgiverforening (DS), its 2017 article on Jobcenter Lærkevej
#: (25-minute appointments, no preparation before check-in).
LAERKEVEJ_CASELOAD = 220.0

#: DS's estimate of the extra cost a year of taking Copenhagen from ~220 to 40–50 cases (DKK a year).
#: Source: Dansk Socialrådgiverforening (DS), the same 2017 article on Jobcenter Lærkevej.
DS_EXTRA_COST_DKK = 65_000_000.0

#: The extra cost a year Odense expected of complying with the follow-up rules again when its
#: frikommune exemption ended on 1 July 2017 (DKK a year).
#: Source: Dansk Socialrådgiverforening (DS), its 2017 article on Odense's exemption.
ODENSE_EXPECTED_DKK = 25_000_000.0

#: The legal follow-up rule for activity-ready cash-benefit recipients before 2020: at least
#: 4 conversations in every 12 months, so at most ~91 days between them (days).
#: Source: Styrelsen for Arbejdsmarked og Rekruttering (STAR), "Opfølgning på data om samtaler".
FOLLOWUP_RULE_DAYS = 91.0

#: A year, the span after which a citizen counts as "without a conversation for over a year" (days).
YEAR_DAYS = 365.0

#: Follow-up gaps marked on gap distributions: the legal maximum and a year (days).
GAP_MARKS = (FOLLOWUP_RULE_DAYS, YEAR_DAYS)

#: Cost of one full-time caseworker a year including pension and workplace overhead (DKK a year).
#: An assumption: an average social worker's pay of about 474,500 DKK a year including pension
#: (Dansk Socialrådgiverforening, pay statistics 2021–22) plus overhead. Scenarios carry their own
#: ``fte_cost_dkk``; this is the default of the cost arithmetic.
FTE_COST_DKK = 600_000.0

__all__ = ["DS_BAND", "LAERKEVEJ_CASELOAD", "DS_EXTRA_COST_DKK", "ODENSE_EXPECTED_DKK", "FOLLOWUP_RULE_DAYS",
           "YEAR_DAYS", "GAP_MARKS", "FTE_COST_DKK"]
