"""The built-in scenarios: they load, every value has a source, and each tells its story.

Each story is checked in one seeded run (seed 0, replication 0), as a reader
would first run it. Runs take well under a second each, so the scenarios run
at their full horizons. The thresholds sit well clear of the seed-to-seed
spread seen over ten replications (docs/model.md, Verification and validation).
"""

from __future__ import annotations

import re
import tomllib

import pydantic
import pytest

import jobsim
from jobsim.model.scenario import (Scenario, field_names, parse_scenario, read_sources, scenario_sources,
                                   scenario_text)

BUILTINS = ("laerkevej", "ds_norm", "odense_frikommune", "odense_2017", "aabenraa")
#: A source comment says "assumption" (or "label"), or cites a publication, which always carries its year.
SOURCED = re.compile(r"assumption|label|\b(19|20)\d\d\b")


@pytest.fixture(scope="module")
def runs() -> dict[str, jobsim.SimulationResult]:
    """One seeded run of each built-in (tables off: only KPIs are needed)."""
    return {name: jobsim.simulate(jobsim.load_scenario(name), seed=0, tables=False) for name in BUILTINS}


# ------------------------------------------------------------------ loading

def test_all_five_builtins_are_shipped():
    assert set(BUILTINS) <= set(jobsim.builtin_names())


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_loads_validates_and_names_itself(name):
    s = jobsim.load_scenario(name)
    assert isinstance(s, Scenario)
    assert s.name == name
    assert s.description and "\n" not in s.description
    # a second load gives an equal, still immutable object
    assert jobsim.load_scenario(name) == s
    with pytest.raises(pydantic.ValidationError, match="Instance is frozen"):
        s.caseload = 1.0  # type: ignore[misc]


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_round_trips_through_toml(name):
    s = jobsim.load_scenario(name)
    again = parse_scenario(s.to_toml(scenario_sources(name)), origin=f"{name} (saved)")
    assert again == s


@pytest.mark.parametrize("name", BUILTINS)
def test_every_value_line_has_a_source(name):
    text = scenario_text(name)
    values = tomllib.loads(text)
    sources = read_sources(text)
    assert set(values) == set(sources), f"lines without a '# source' comment: {set(values) - set(sources)}"
    for key, comment in sources.items():
        assert SOURCED.search(comment), f"{name}.{key}: {comment!r} names no source"


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_lists_every_scalar_parameter(name):
    """Every value is visible with its source (issue 9): no parameter hides behind a default."""
    values = tomllib.loads(scenario_text(name))
    assert set(field_names()) - set(values) == {"groups"}


@pytest.mark.parametrize("name", BUILTINS)
def test_file_opens_with_a_description_of_the_situation(name):
    lines = scenario_text(name).splitlines()
    header = lines[:4]
    assert all(line.startswith("#") for line in header), header
    assert len(" ".join(header)) > 120  # a few lines of prose, not just a title


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_lists_the_public_parameters_it_sets(name):
    values = tomllib.loads(scenario_text(name))
    for key in ("workers", "caseload", "slot_minutes", "slots_per_day", "interval_days", "prep_policy",
                "casework_minutes", "stay_days", "horizon_days"):
        assert key in values, f"{name} does not state {key}"


# ------------------------------------------------------------------ the stories' inputs

def test_story_inputs():
    lv, ds, fk, o17, ab = (jobsim.load_scenario(n) for n in BUILTINS)
    assert (lv.caseload, lv.prep_policy, lv.slot_minutes) == (220.0, "after_checkin", 25.0)
    assert (ds.caseload, ds.prep_policy) == (45.0, "ahead")
    assert (fk.caseload, fk.horizon_days) == (140.0, 1092)
    assert fk.followup_by == "need" and o17.followup_by == "rule" and fk.slots_per_day < o17.slots_per_day
    assert fk.interval_days == o17.interval_days == 91   # the law: a plan in 2017, the yardstick under the exemption
    # the law restored: the same team, the legal 91-day rule, normal slots
    assert (o17.caseload, o17.workers, o17.interval_days, o17.slots_per_day) == (140.0, fk.workers, 91, 4)
    assert ab.caseload < ds.caseload and ab.slots_per_day > ds.slots_per_day and ab.stay_days < ds.stay_days


# ------------------------------------------------------------------ the stories, one seeded run each

@pytest.mark.parametrize("name", BUILTINS)
def test_caseload_matches_littles_law(runs, name):
    s = runs[name].scenario
    assert runs[name].kpis["caseload_mean"] == pytest.approx(s.caseload, rel=0.08)


def test_laerkevej_conversations_unprepared_and_casework_uncovered(runs):
    k = runs["laerkevej"].kpis
    assert k["prepared_share"] < 0.2
    # the skim after check-in is all the preparation there is
    assert k["prep_minutes_mean"] <= jobsim.load_scenario("laerkevej").checkin_prep_minutes + 1e-9
    assert k["wasted_prep_minutes_per_worker_week"] == 0.0
    assert k["casework_coverage"] < 0.5
    # 220 cases overfill the diary: follow-up slips
    assert k["overdue_share"] > 0.2


def test_ds_norm_conversations_prepared_and_on_time(runs):
    k = runs["ds_norm"].kpis
    assert k["prepared_share"] > 0.9
    assert k["overdue_share"] < 0.1
    assert k["casework_coverage"] > 0.95
    assert k["no_contact_over_year_count"] == 0


def test_laerkevej_versus_ds_norm(runs):
    lv, ds = runs["laerkevej"].kpis, runs["ds_norm"].kpis
    assert lv["prepared_share"] < ds["prepared_share"] - 0.7
    assert lv["overdue_share"] > 3 * ds["overdue_share"]
    assert lv["cost_dkk_per_citizen_year"] < ds["cost_dkk_per_citizen_year"] / 3


def test_odense_exemption_leaves_citizens_without_contact_for_over_a_year(runs):
    k = runs["odense_frikommune"].kpis
    assert k["no_contact_over_year_count"] > 0
    assert k["followup_gap_days_max"] > 365


def test_odense_2017_restoring_the_law_removes_most_of_it(runs):
    exempt = runs["odense_frikommune"].kpis
    # the same three years under the law, so the counts compare
    restored = jobsim.simulate(jobsim.load_scenario("odense_2017", horizon_days=1092), seed=0, tables=False).kpis
    assert restored["no_contact_over_year_count"] <= 0.1 * exempt["no_contact_over_year_count"]
    assert restored["followup_gap_days_p90"] < exempt["followup_gap_days_p90"] / 2
    # the law's 91 days against a need every 182 days on average (plus the same first conversations and
    # rebookings): more conversations with the same staff, and casework pays for it
    assert restored["meetings_held_per_worker_week"] > 1.5 * exempt["meetings_held_per_worker_week"]
    assert restored["casework_coverage"] < exempt["casework_coverage"]
    # the one-year run of the scenario as shipped: nobody reaches a year without contact
    assert runs["odense_2017"].kpis["no_contact_over_year_count"] == 0


def test_aabenraa_buys_preparation_and_punctual_follow_up_at_a_higher_cost(runs):
    ab, ds = runs["aabenraa"].kpis, runs["ds_norm"].kpis
    assert ab["prepared_share"] > 0.9
    assert ab["overdue_share"] < 0.1
    assert ab["casework_coverage"] > 0.95
    assert ab["no_contact_over_year_count"] == 0
    assert ab["cost_dkk_per_citizen_year"] > 1.2 * ds["cost_dkk_per_citizen_year"]


def test_under_the_odense_exemption_some_citizens_go_over_two_years_without_a_conversation():
    # by need, a citizen waits for their next need to be seen (exponential, mean 182 days: P(over 730 days) is
    # about 2% of waits) and then for a slot; both scenarios over the same three years
    exempt = jobsim.simulate(jobsim.load_scenario("odense_frikommune"), seed=0).citizens
    assert (exempt.max_gap_days > 730).sum() >= 10
    restored = jobsim.simulate(jobsim.load_scenario("odense_2017", horizon_days=1092), seed=0).citizens
    assert (restored.max_gap_days > 730).sum() == 0


def test_docs_model_shows_the_seed_0_figures_of_today(runs):
    """docs/model.md's face-validity table holds the figures these runs give (python -m jobsim.validation.face
    --write docs/model.md writes it)."""
    from pathlib import Path

    from jobsim.report.docblocks import read_block
    from jobsim.validation import face

    kpis = {name: r.kpis for name, r in runs.items()}
    kpis[face.ODENSE_LAW_OVER_THREE_YEARS] = jobsim.simulate(
        jobsim.load_scenario("odense_2017", horizon_days=1092), seed=0, tables=False).kpis
    doc = (Path(__file__).resolve().parents[2] / "docs" / "model.md").read_text(encoding="utf-8")
    assert read_block(doc, "face_validity") == face.face_table(kpis)
