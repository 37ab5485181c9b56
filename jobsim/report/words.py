"""Words and numbers for figures and tables, in English (``en``) and Danish (``da``): the one place for both.

Plots say what is shown in the reader's language: KPI names become axis
labels with units, policy names become legend entries, and every phrase of a
title, caption or axis is in :data:`PHRASES`. Numbers in text go through one
number formatter (:func:`num`) and one percent formatter (:func:`pct`) per
language: English ``2,220`` and ``40%``, Danish ``2.220``, ``0,5`` and
``40 %`` (with a no-break space before the per cent sign).

>>> num(2220, "da"), num(1408.25, "en", 1), pct(0.4, "en"), pct(0.4, "da") == "40\u00a0%"
('2.220', '1,408.2', '40%', True)
>>> phrase("where", "da", p=0.15, c=220.0) == "15\u00a0% udeblivelser, 220 sager"
True
"""

from __future__ import annotations

import re
import string
from typing import Any

import numpy as np

from ..model.kpis import KPIS
from .facts import DS_BAND, LAERKEVEJ_CASELOAD

LANGS = ("en", "da")

KPI_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "caseload_mean": "Citizens per caseworker",
        "meetings_held_per_worker_week": "Conversations held per caseworker per week",
        "noshow_rate": "No-show rate",
        "prep_minutes_mean": "Preparation per conversation (minutes)",
        "prepared_share": "Share of conversations fully prepared",
        "conversation_minutes_mean": "Conversation length (minutes)",
        "direct_contact_share": "Share of time present in direct contact",
        "conversation_share": "Share of time present in booked conversations",
        "prep_followup_share": "Share of time present on preparation and follow-up",
        "casework_share": "Share of time present on ongoing casework",
        "noncase_share": "Share of time present that is not case work",
        "idle_share": "Share of time present with no work",
        "contacts_postponed_share": "Share of calls and meetings answered late",
        "documentation_late_share": "Share of documentation done late",
        "first_conversation_days_mean": "Days from entry to first conversation",
        "followup_gap_days_mean": "Mean follow-up gap (days)",
        "followup_gap_days_p90": "90th percentile follow-up gap (days)",
        "followup_gap_days_max": "Longest follow-up gap (days)",
        "overdue_share": "Share of conversations overdue",
        "overdue_days_mean": "Days late, when late (mean)",
        "no_contact_over_year_count": "Citizens without a conversation for over a year",
        "wasted_prep_minutes_per_worker_week": "Wasted preparation (minutes per caseworker per week)",
        "wasted_prep_noshow_minutes_per_worker_week": "Preparation wasted on no-shows (minutes per caseworker per week)",
        "wasted_prep_withdrawn_minutes_per_worker_week": ("Preparation wasted on citizens who left "
                                                          "(minutes per caseworker per week)"),
        "casework_coverage": "Share of casework done on time",
        "checkin_wait_minutes_mean": "Wait after check-in (minutes)",
        "utilization": "Busy share of working time",
        "overtime_hours_per_worker_week": "Overtime (hours per caseworker per week)",
        "cost_dkk_per_citizen_year": "Cost per citizen per year (DKK)",
        "staff_dkk_per_year": "Staff cost per year (DKK)",
        "benefit_dkk_per_year": "Cash benefits paid per year (DKK)",
        "net_cost_dkk_per_year": "Staff plus benefits per year (DKK)",
    },
    "da": {
        "caseload_mean": "Borgere pr. sagsbehandler",
        "meetings_held_per_worker_week": "Afholdte samtaler pr. sagsbehandler pr. uge",
        "noshow_rate": "Andel udeblivelser",
        "prep_minutes_mean": "Forberedelse pr. samtale (minutter)",
        "prepared_share": "Andel fuldt forberedte samtaler",
        "conversation_minutes_mean": "Samtalens længde (minutter)",
        "direct_contact_share": "Andel af arbejdstiden i direkte kontakt",
        "conversation_share": "Andel af arbejdstiden i bookede samtaler",
        "prep_followup_share": "Andel af arbejdstiden til forberedelse og opfølgning",
        "casework_share": "Andel af arbejdstiden til løbende sagsarbejde",
        "noncase_share": "Andel af arbejdstiden uden for sagsarbejde",
        "idle_share": "Andel af arbejdstiden uden opgaver",
        "contacts_postponed_share": "Andel opkald og møder besvaret for sent",
        "documentation_late_share": "Andel dokumentation lavet for sent",
        "first_conversation_days_mean": "Dage fra indgang til første samtale",
        "followup_gap_days_mean": "Gennemsnitligt opfølgningsinterval (dage)",
        "followup_gap_days_p90": "90. percentil af opfølgningsinterval (dage)",
        "followup_gap_days_max": "Længste opfølgningsinterval (dage)",
        "overdue_share": "Andel samtaler afholdt for sent",
        "overdue_days_mean": "Dage for sent, når for sent (gennemsnit)",
        "no_contact_over_year_count": "Borgere uden samtale i over et år",
        "wasted_prep_minutes_per_worker_week": "Spildt forberedelse (minutter pr. sagsbehandler pr. uge)",
        "wasted_prep_noshow_minutes_per_worker_week": "Forberedelse spildt på udeblivelser (minutter pr. sagsbehandler pr. uge)",
        "wasted_prep_withdrawn_minutes_per_worker_week": ("Forberedelse spildt på borgere, der er gået "
                                                          "(minutter pr. sagsbehandler pr. uge)"),
        "casework_coverage": "Andel sagsarbejde nået til tiden",
        "checkin_wait_minutes_mean": "Ventetid efter check-in (minutter)",
        "utilization": "Andel af arbejdstiden i aktivitet",
        "overtime_hours_per_worker_week": "Overarbejde (timer pr. sagsbehandler pr. uge)",
        "cost_dkk_per_citizen_year": "Omkostning pr. borger pr. år (kr.)",
        "staff_dkk_per_year": "Lønudgift pr. år (kr.)",
        "benefit_dkk_per_year": "Udbetalt kontanthjælp pr. år (kr.)",
        "net_cost_dkk_per_year": "Løn plus ydelser pr. år (kr.)",
    },
}

POLICY_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "after_checkin": "Prepare after check-in (Lærkevej rule)",
        "ahead": "Prepare ahead",
        "none": "No preparation",
        "confirmed_ahead": "Prepare ahead if SMS confirmed",
    },
    "da": {
        "after_checkin": "Forberedelse efter check-in (Lærkevej)",
        "ahead": "Forberedelse på forhånd",
        "none": "Ingen forberedelse",
        "confirmed_ahead": "Forberedelse ved SMS-bekræftelse",
    },
}

ACTIVITY_LABELS: dict[str, dict[str, str]] = {
    "en": {"conversation": "Conversation", "skim": "Skim after check-in", "prep": "Preparation",
           "wasted_prep": "Wasted preparation", "documentation": "Documentation", "casework": "Casework",
           "idle": "Idle", "no_show": "No-show", "overtime": "Overtime",
           "contact": "Calls, employers, network meetings", "noncase": "Not case work"},
    "da": {"conversation": "Samtale", "skim": "Skimning efter check-in", "prep": "Forberedelse",
           "wasted_prep": "Spildt forberedelse", "documentation": "Dokumentation", "casework": "Sagsarbejde",
           "idle": "Ledig tid", "no_show": "Udeblivelse", "overtime": "Overarbejde",
           "contact": "Opkald, virksomheder, netværksmøder", "noncase": "Ikke sagsarbejde"},
}

PARAMETER_LABELS: dict[str, dict[str, str]] = {
    "en": {"caseload": "Caseload (citizens per caseworker)", "noshow_probability": "No-show probability",
           "slot_minutes": "Slot length (minutes)", "workers": "Caseworkers", "prep_policy": "Preparation policy",
           "sms_reminders": "SMS reminders", "interval_days": "Follow-up interval (days)",
           "exit_effect": "Exit effect of follow-up (hazard ratio)", "desk_priority": "Desk rule"},
    "da": {"caseload": "Sagstal (borgere pr. sagsbehandler)", "noshow_probability": "Sandsynlighed for udeblivelse",
           "slot_minutes": "Samtaletid (minutter)", "workers": "Sagsbehandlere", "prep_policy": "Forberedelsespolitik",
           "sms_reminders": "SMS-påmindelser", "interval_days": "Opfølgningsinterval (dage)",
           "exit_effect": "Opfølgningens effekt på afgang (hazard ratio)", "desk_priority": "Skrivebordsregel"},
}

_LOW, _HIGH = DS_BAND
#: Common words, English and Danish side by side (merged into :data:`PHRASES`).
COMMON_WORDS: dict[str, tuple[str, str]] = {
    "replications": ("replications", "replikationer"), "scenario": ("Scenario", "Scenarie"),
    "ci": ("95% confidence interval", "95 % konfidensinterval"),
    "ds_band": (f"DS recommendation ({_LOW:g}–{_HIGH:g})", f"DS' anbefaling ({_LOW:g}–{_HIGH:g})"),
    "laerkevej": (f"Lærkevej ({LAERKEVEJ_CASELOAD:g})",) * 2,
    "days": ("days", "dage"), "minutes": ("minutes", "minutter"), "share": ("share", "andel"),
    "DKK": ("DKK", "kr."), "yes": ("yes", "ja"), "no": ("no", "nej"),
}

#: Phrases of titles, captions, axes and legends; the same keys in both languages. Numbers in them
#: are filled by :func:`phrase` with :func:`num` and :func:`pct`.
PHRASES: dict[str, dict[str, str]] = {
    "en": {
        # charts (report.charts, report.style)
        "rule": "Follow-up rule: at most {days:g} days",
        "minutes_per_week": "Minutes per caseworker per week at work\n(a 37-hour week = {total} minutes)",
        "caption_run": "Scenario {scenario!r}; {replications} replications per point, seed {seed}; "
                       "mean and 95% confidence interval (shares kept within 0–100%, none from under 3 replications); "
                       "jobsim {version}.",
        "caption_one": "Scenario {scenario!r} with policy \u201c{policy}\u201d; one run per bar, seed {seed}; "
                       "days of absence left out; jobsim {version}.",
        "coincide": "All {n} policies lie on one line",
        "coincide_2": "Both policies lie on one line",
        "held_fixed": "Held fixed: {fixed}.",
        "followup_note": ("Follow-up does not depend on how caseworkers prepare: the {n} policies without SMS "
                          "reminders give one line. SMS reminders cut no-shows, and so the rebookings that delay "
                          "follow-up."),
        "quick_mark": "QUICK RUN, NOT A RESULT: a small version to check that it works; run without --quick for findings",
        "cost_axis": "Caseworkers' cost, million DKK per year (for {citizens} citizens)",
        "ds_budget": "Lærkevej + DS's {million} million DKK a year",
        "assumptions": "Assumptions: {citizens} citizens on the caseload (Copenhagen-scale); {fte} DKK a year per "
                       "full-time caseworker incl. overhead; caseworkers = citizens / caseload (full-time "
                       "equivalents, not rounded). Outcomes per caseload from the model.",
        # studies (no-show, Odense, a week in the life)
        "weekdays": "Mon,Tue,Wed,Thu,Fri",
        "difference": "{kpi}:\n{a} minus {b}, percentage points",
        "sms_panel": "SMS reminders: {value}",
        "sms_effect": " (no-shows cut {effect:.0%})",
        "ci_frame": "Framed cells: the 95% confidence interval of the paired difference excludes 0.",
        "noshow_caption": ("Scenario {scenario!r} with noshow_probability and caseload varied; "
                           "noshow_spread = min({cap:g}, 0.9·sqrt(p(1−p))) ({spreads}); {replications} replications "
                           "per cell, paired by replication (common random numbers), seed {seed}; jobsim {version}."),
        "coverage_title": ("The Lærkevej rule frees casework time only from {threshold:g} cases up: up to "
                           "{gain:+.1f} points more casework done on time ({where}){trend}"),
        "coverage_title_none": "The Lærkevej rule buys no casework time anywhere in this grid",
        "coverage_trend_p": ", more the more citizens miss",
        "coverage_trend_sms": "; SMS reminders shrink the gain",
        "coverage_desk_rule": " (desk rule {rule}; under casework_first there is no gain)",
        "prepared_desk_rule": (" (desk rule {rule}; under casework_first, preparing ahead also leaves almost every "
                               "conversation unprepared from about 80 cases up, so there is little to lose)"),
        "prepared_title_mixed": ("The Lærkevej rule changes fully prepared conversations by {low} to {high} points "
                                 "across the cells: {after} are fully prepared, against {ahead} when preparing ahead"),
        "prepared_title": ("The Lærkevej rule costs {loss} points of fully prepared conversations in every "
                           "cell: {after} are fully prepared, against {ahead} when preparing ahead"),
        "where": "{p:.0%} no-shows, {c:g} cases",
        "exemption": "Exemption (odense_frikommune)",
        "law": "Law restored (odense_2017)",
        "gap_axis": "Follow-up gap between held conversations (days)",
        "ecdf_axis": "Share of follow-up gaps at most this long",
        "rule_91": "91 days: the legal maximum",
        "year": "365 days: a year",
        "over": "{over91:.0%} of gaps over 91 days, {over365:.1%} over a year",
        "no_contact_axis": ("Citizens without a conversation for over a year\n"
                            "(team of {citizens:,.0f} citizens at a time, {days:,} days)"),
        "gaps_title": ("Exemption: {over91:.0%} of follow-up gaps over the legal 91 days, {count} citizens a year "
                       "or more without a conversation. Law restored: {law_over91:.0%} of gaps over 91 days, "
                       "{law_count} citizens"),
        "run_gaps": "gap began during the run",
        "pre_run_gaps": "gap began before the run\n(history the run inherits)",
        "slots_line": "{slots} slots a day{mark}",
        "scenario_mark": " (the scenario)",
        "need_axis": "Days between needs for a conversation\n(as the caseworker judges; mean)",
        "need_wait_axis": "Days from a need to its conversation (mean)",
        "need_title": ("Exemption, conversations by need: {low} to {high} citizens go a year without one, "
                       "set mostly by {driver}"),
        "driver_need": "how often caseworkers see a need", "driver_slots": "the slots a day offered",
        "need_caption": ("Scenario 'odense_frikommune' with the need interval and the slots a day varied, {days:,} "
                         "days after a {warmup}-day warm-up; {replications} replications per point, seed {seed}; "
                         "gaps begun before the run left out; whiskers: 95% confidence interval; jobsim {version}."),
        "band_axis": "Share of follow-up gaps", "band_91": "up to 91 days\n(the law)", "band_182": "92–182 days",
        "band_365": "183–365 days", "band_over": "over a year",
        "gaps_caption": ("Scenarios 'odense_frikommune' and 'odense_2017', both over {days:,} days after a "
                         "{warmup}-day warm-up; {replications} replications each, seed {seed}; gaps pooled over "
                         "replications, first conversations after entry and gaps begun before the run left out "
                         "(the latter hatched on the right); bars: mean, whiskers: 95% "
                         "confidence interval; jobsim {version}."),
        "workers_axis": "Caseworkers (cases per caseworker), {citizens:,.0f} citizens in all",
        "target": "Target: under {target:.0%} overdue",
        "frikommune_level": "Level under the exemption ({value:.0%})",
        "staffing_title": ("Keeping the restored law with under {target:.0%} of conversations overdue takes "
                           "{extra} more caseworker{s} per {citizens:,.0f} citizens ({cost:.1f} million DKK a year)"),
        "staffing_title_none": ("Even {extra} more caseworkers per {citizens:,.0f} citizens do not bring the overdue "
                                "share under {target:.0%}"),
        "staffing_note": ("Extra cost per 1,000 citizens: {per1000:,.0f} DKK a year with the mean under the target; "
                          "{strict} if the whole 95% confidence interval must be under it."),
        "strict": "{extra} more caseworker{s} ({per1000:,.0f} DKK per 1,000 citizens)",
        "strict_none": "more caseworkers than tried",
        "odense_note": ("Odense expected about {odense:.0f} million DKK a year ({fte:.0f} caseworkers at "
                        "{fte_cost:,.0f} DKK): at these ratios enough for about {served:,.0f} citizens{parity}."),
        "odense_parity": " (about {served:,.0f} if casework must also get back to its level under the exemption)",
        "staffing_parity": ("To also bring casework coverage back to its level under the exemption: "
                            "{extra} more caseworker{s} ({cost:.1f} million DKK a year, {per1000:,.0f} DKK per 1,000 "
                            "citizens)."),
        "staffing_parity_none": "Casework coverage does not get back to its level under the exemption in this range.",
        "staffing_caption": ("Scenario 'odense_2017' with workers varied and caseload = {citizens:,.0f} / workers; "
                             "{replications} replications per point, seed {seed}; the answer uses the mean; "
                             "whiskers: 95% confidence interval; jobsim {version}."),
        "clock_axis": "Time of day",
        "left_undone": ("Left undone this week: {undone:,.0f} of the {demand:,.0f} minutes of casework due "
                        "({undone_share:.0%}); {unprepared} of {held} conversations not fully prepared; "
                        "{wasted:,.0f} minutes of preparation wasted on {noshows} no-show{s}."),
        "panel": "{caseload:g} cases per caseworker, {policy} · scenario {scenario}",
        "week_title": ("One caseworker's week: at {c1:g} cases, {u1} of {h1} conversations unprepared and {l1:.0f} "
                       "hours of casework left undone; at {c2:g} cases, {u2} of {h2} unprepared and {l2:.0f} hours "
                       "left undone"),
        "week_caption": ("Scenarios {scenarios}; caseworker {worker}, week {week} (days {first}–{last}, after the "
                         "{warmup}-day warm-up), seed {seed}, replication {replication}; hatched: slots whose "
                         "citizen did not show; jobsim {version}."),
        "absent": "absent",
        # the explorer (teaching)
        "start": "Start", "your_choice": "Your choice", "prepared": "prepared", "overdue": "overdue",
        "week_at_work_axis": "Minutes per caseworker per week at work",
        "first_due": "First conversation due: {days} days",
        "rule_days": "Follow-up rule: {days} days",
        "gap_since_axis": "Days since joining or the last conversation (one bar per week)",
        "held_share_axis": "Share of held conversations",
    },
    "da": {
        # charts (report.charts, report.style)
        "rule": "Opfølgningsregel: højst {days:g} dage",
        "minutes_per_week": "Minutter pr. sagsbehandler pr. uge på arbejde\n(en 37-timers uge = {total} minutter)",
        "caption_run": "Scenarie {scenario!r}; {replications} replikationer pr. punkt, seed {seed}; "
                       "gennemsnit og 95 % konfidensinterval (andele holdt inden for 0–100 %, intet ved under 3 "
                       "replikationer); jobsim {version}.",
        "caption_one": "Scenarie {scenario!r} med politikken \u201c{policy}\u201d; én kørsel pr. søjle, seed {seed}; "
                       "fraværsdage udeladt; jobsim {version}.",
        "coincide": "Alle {n} politikker ligger oven i hinanden",
        "coincide_2": "Begge politikker ligger oven i hinanden",
        "held_fixed": "Holdt fast: {fixed}.",
        "followup_note": ("Opfølgningen afhænger ikke af, hvordan sagsbehandlerne forbereder sig: de {n} politikker "
                          "uden SMS-påmindelser giver én linje. SMS-påmindelser mindsker udeblivelser og dermed de "
                          "genbookinger, der forsinker opfølgningen."),
        "quick_mark": "HURTIG PRØVEKØRSEL, IKKE ET RESULTAT: en lille udgave til at se, at alt virker; kør uden --quick for resultater",
        "cost_axis": "Udgift til sagsbehandlere, mio. kr. pr. år (for {citizens} borgere)",
        "ds_budget": "Lærkevej + DS' {million} mio. kr. om året",
        "assumptions": "Antagelser: {citizens} borgere i sagsstammen (som i København); {fte} kr. om året pr. "
                       "fuldtidssagsbehandler inkl. overhead; sagsbehandlere = borgere / sagstal (fuldtidsstillinger, "
                       "ikke afrundet). Udfald pr. sagstal fra modellen.",
        # studies (no-show, Odense, a week in the life)
        "weekdays": "Man,Tir,Ons,Tor,Fre",
        "difference": "{kpi}:\n{a} minus {b}, procentpoint",
        "sms_panel": "SMS-påmindelser: {value}",
        "sms_effect": " (udeblivelser −{effect:.0%})",
        "ci_frame": "Celler med ramme: 95 %-konfidensintervallet for den parrede forskel udelukker 0.",
        "noshow_caption": ("Scenarie {scenario!r} med noshow_probability og caseload varieret; "
                           "noshow_spread = min({cap:g}, 0,9·sqrt(p(1−p))) ({spreads}); {replications} replikationer "
                           "pr. celle, parret pr. replikation (fælles tilfældige tal), seed {seed}; jobsim {version}."),
        "coverage_title": ("Lærkevej-reglen giver kun mere tid til sagsarbejde fra {threshold:g} sager: op til "
                           "{gain:+.1f} point mere sagsarbejde nået til tiden ({where}){trend}"),
        "coverage_title_none": "Lærkevej-reglen giver ingen ekstra tid til sagsarbejde i dette gitter",
        "coverage_trend_p": ", mere jo flere der udebliver",
        "coverage_trend_sms": "; SMS-påmindelser mindsker gevinsten",
        "coverage_desk_rule": " (skrivebordsregel {rule}; med casework_first vindes intet)",
        "prepared_desk_rule": (" (skrivebordsregel {rule}; med casework_first bliver næsten ingen samtaler "
                               "forberedt fra omkring 80 sager og op, heller ikke ved forberedelse på forhånd, så der "
                               "er næsten intet at tabe)"),
        "prepared_title_mixed": ("Lærkevej-reglen ændrer andelen af fuldt forberedte samtaler med {low} til {high} "
                                 "point på tværs af cellerne: {after} er fuldt forberedt mod {ahead} ved forberedelse "
                                 "på forhånd"),
        "prepared_title": ("Lærkevej-reglen koster {loss} point fuldt forberedte samtaler i alle celler: "
                           "{after} er fuldt forberedt mod {ahead} ved forberedelse på forhånd"),
        "where": "{p:.0%} udeblivelser, {c:g} sager",
        "exemption": "Frikommune (odense_frikommune)",
        "law": "Loven genindført (odense_2017)",
        "gap_axis": "Opfølgningsinterval mellem afholdte samtaler (dage)",
        "ecdf_axis": "Andel af opfølgningsintervaller højst så lange",
        "rule_91": "91 dage: lovens maksimum",
        "year": "365 dage: et år",
        "over": "{over91:.0%} af intervallerne over 91 dage, {over365:.1%} over et år",
        "no_contact_axis": ("Borgere uden samtale i over et år\n"
                            "(team med {citizens:,.0f} borgere ad gangen, {days:,} dage)"),
        "gaps_title": ("Frikommune: {over91:.0%} af opfølgningsintervallerne over lovens 91 dage, {count} borgere "
                       "et år eller mere uden samtale. Loven genindført: {law_over91:.0%} af intervallerne over 91 "
                       "dage, {law_count} borgere"),
        "run_gaps": "intervallet begyndte under kørslen",
        "pre_run_gaps": "intervallet begyndte før kørslen\n(historik kørslen arver)",
        "slots_line": "{slots} samtaletider om dagen{mark}",
        "scenario_mark": " (scenariet)",
        "need_axis": "Dage mellem behov for en samtale\n(som sagsbehandleren vurderer det; gennemsnit)",
        "need_wait_axis": "Dage fra et behov til dets samtale (gennemsnit)",
        "need_title": ("Frikommune, samtaler efter behov: {low} til {high} borgere går et år uden samtale, "
                       "mest bestemt af {driver}"),
        "driver_need": "hvor ofte sagsbehandlerne ser et behov", "driver_slots": "antallet af samtaletider om dagen",
        "need_caption": ("Scenariet 'odense_frikommune' med behovsinterval og samtaletider om dagen varieret, "
                         "{days:,} dage efter {warmup} dages indsvingning; {replications} replikationer pr. punkt, "
                         "seed {seed}; intervaller begyndt før kørslen udeladt; streger: 95 %-konfidensinterval; "
                         "jobsim {version}."),
        "band_axis": "Andel af opfølgningsintervaller", "band_91": "op til 91 dage\n(loven)",
        "band_182": "92–182 dage", "band_365": "183–365 dage", "band_over": "over et år",
        "gaps_caption": ("Scenarierne 'odense_frikommune' og 'odense_2017', begge over {days:,} dage efter "
                         "{warmup} dages indsvingning; {replications} replikationer hver, seed {seed}; intervaller "
                         "samlet over replikationer, første samtale efter indgang og intervaller begyndt før kørslen "
                         "udeladt (de sidste skraveret til højre); søjler: gennemsnit, "
                         "streger: 95 %-konfidensinterval; jobsim {version}."),
        "workers_axis": "Sagsbehandlere (sager pr. sagsbehandler), {citizens:,.0f} borgere i alt",
        "target": "Mål: under {target:.0%} for sent",
        "frikommune_level": "Niveau i frikommuneforsøget ({value:.0%})",
        "staffing_title": ("At overholde loven med under {target:.0%} for sene samtaler kræver {extra} "
                           "sagsbehandler{s} mere pr. {citizens:,.0f} borgere ({cost:.1f} mio. kr. om året)"),
        "staffing_title_none": ("Selv {extra} sagsbehandlere mere pr. {citizens:,.0f} borgere får ikke andelen af for "
                                "sene samtaler under {target:.0%}"),
        "staffing_note": ("Ekstra udgift pr. 1.000 borgere: {per1000:,.0f} kr. om året med gennemsnittet under målet; "
                          "{strict}, hvis hele 95 %-konfidensintervallet skal være under det."),
        "strict": "{extra} sagsbehandler{s} mere ({per1000:,.0f} kr. pr. 1.000 borgere)",
        "strict_none": "flere sagsbehandlere end afprøvet",
        "odense_note": ("Odense ventede ca. {odense:.0f} mio. kr. om året ({fte:.0f} sagsbehandlere à "
                        "{fte_cost:,.0f} kr.): med disse forhold nok til ca. {served:,.0f} borgere{parity}."),
        "odense_parity": " (ca. {served:,.0f}, hvis sagsarbejdet også skal tilbage på niveauet fra frikommuneforsøget)",
        "staffing_parity": ("For også at få sagsarbejdet tilbage på niveauet fra frikommuneforsøget: "
                            "{extra} sagsbehandler{s} mere ({cost:.1f} mio. kr. om året, {per1000:,.0f} kr. pr. 1.000 "
                            "borgere)."),
        "staffing_parity_none": "Sagsarbejdet kommer ikke tilbage på niveauet fra frikommuneforsøget i dette interval.",
        "staffing_caption": ("Scenarie 'odense_2017' med workers varieret og caseload = {citizens:,.0f} / workers; "
                             "{replications} replikationer pr. punkt, seed {seed}; svaret bruger gennemsnittet; "
                             "streger: 95 %-konfidensinterval; jobsim {version}."),
        "clock_axis": "Klokkeslæt",
        "left_undone": ("Ikke nået i ugen: {undone:,.0f} af ugens {demand:,.0f} minutter sagsarbejde "
                        "({undone_share:.0%}); {unprepared} af {held} samtaler ikke fuldt forberedt; "
                        "{wasted:,.0f} minutters forberedelse spildt på {noshows} udeblivelse{s}."),
        "panel": "{caseload:g} sager pr. sagsbehandler, {policy} · scenarie {scenario}",
        "week_title": ("En sagsbehandlers uge: ved {c1:g} sager er {u1} af {h1} samtaler uforberedte og {l1:.0f} "
                       "timers sagsarbejde bliver liggende; ved {c2:g} sager {u2} af {h2} uforberedte og {l2:.0f} "
                       "timer bliver liggende"),
        "week_caption": ("Scenarierne {scenarios}; sagsbehandler {worker}, uge {week} (dag {first}–{last}, efter "
                         "{warmup} dages indsvingning), seed {seed}, replikation {replication}; skraveret: tider hvor "
                         "borgeren udeblev; jobsim {version}."),
        "absent": "fraværende",
        # the explorer (teaching)
        "start": "Start", "your_choice": "Dit valg", "prepared": "forberedt", "overdue": "for sent",
        "week_at_work_axis": "Minutter pr. sagsbehandler pr. arbejdsuge",
        "first_due": "Første samtale senest: {days} dage",
        "rule_days": "Opfølgningsregel: {days} dage",
        "gap_since_axis": "Dage siden start eller sidste samtale (én søjle pr. uge)",
        "held_share_axis": "Andel af afholdte samtaler",
    },
}
#: Words of the validation figure (jobsim.validation), English and Danish side by side.
VALIDATION_WORDS: dict[str, tuple[str, str]] = {
    "validation_title": ("jobsim against published figures: {inside} of {banded} targets with a band inside it, "
                         "{outside} outside; {na} without a band",
                         "jobsim mod offentliggjorte tal: {inside} af {banded} mål med et bånd ligger i det, "
                         "{outside} uden for; {na} uden bånd"),
    "validation_band": ("reference band (published figure)", "referencebånd (offentliggjort tal)"),
    "validation_role_verification": ("verification: equals an input", "verifikation: lig med et input"),
    "validation_role_calibration": ("calibration: an input was set to meet it", "kalibrering: et input er sat efter den"),
    "validation_role_validation": ("validation: held out", "validering: holdt ude"),
    "validation_inside": ("model mean, 95% interval: inside the band", "modellens gennemsnit, 95 %-interval: i båndet"),
    "validation_outside": ("model mean, 95% interval: outside the band",
                           "modellens gennemsnit, 95 %-interval: uden for båndet"),
    "validation_na": ("model mean, 95% interval: no band (not available)",
                      "modellens gennemsnit, 95 %-interval: intet bånd (ikke tilgængeligt)"),
    "validation_caption": ("Each row has its own axis in the target's unit. {replications} replications per target "
                           "(common random numbers across a target's scenarios), seed {seed}{quick}; jobsim "
                           "{version}. Sources and settings: jobsim/validation/targets.toml, docs/validation.md.",
                           "Hver række har sin egen akse i målets enhed. {replications} replikationer pr. mål "
                           "(fælles tilfældige tal på tværs af et måls scenarier), seed {seed}{quick}; jobsim "
                           "{version}. Kilder og indstillinger: jobsim/validation/targets.toml, docs/validation.md."),
    "validation_values": ("model {model}, band {band}", "model {model}, bånd {band}"),
    "validation_quick": (", quick mode (half-year runs)", ", hurtig tilstand (halvårskørsler)"),
    "unit_share": ("per cent", "procent"), "unit_ratio": ("odds ratio", "oddsratio"),
    "unit_citizens": ("citizens", "borgere"), "unit_cases": ("cases per caseworker", "sager pr. sagsbehandler"),
    "unit_dkk": ("million DKK a year", "mio. kr. om året"),
}
#: Words of the does-it-pay study (jobsim.studies.payback), English and Danish side by side.
PAYBACK_WORDS: dict[str, tuple[str, str]] = {
    "pay_title": ("Net cost (staff + cash benefits) for {inflow} citizens entering a year, {plan}: with the literature's "
                  "exit effect ({e}) it is lowest at {w} caseworkers ({c} cases each), {saved} million DKK a year "
                  "below the smallest team, and each step pays up to {w2} caseworkers; with no effect every "
                  "caseworker adds {fte} DKK",
                  "Nettoudgift (løn + kontanthjælp) for {inflow} nye borgere om året, {plan}: med litteraturens "
                  "afgangseffekt ({e}) er den lavest ved {w} sagsbehandlere ({c} sager hver), {saved} mio. kr. om "
                  "året under det mindste team, og hvert skridt betaler sig op til {w2} sagsbehandlere; uden effekt "
                  "koster hver sagsbehandler {fte} kr."),
    "pay_plan_legal": ("conversations at the legal maximum interval", "samtaler med lovens længste interval"),
    "pay_plan_full": ("freed diary time used for more frequent conversations",
                      "frigjort kalendertid brugt på hyppigere samtaler"),
    "pay_no_effect": ("no effect (1)", "ingen effekt (1)"),
    "pay_literature": ("the literature's effect ({e})", "litteraturens effekt ({e})"),
    "pay_range": ("exit effect {e} (range)", "afgangseffekt {e} (interval)"),
    "pay_staff_only": ("extra staff cost alone (gross)", "ekstra lønudgift alene (brutto)"),
    "pay_net_axis": ("Staff + cash benefits, million DKK a year", "Løn + kontanthjælp, mio. kr. om året"),
    "pay_change_axis": ("Change in net cost, million DKK a year", "Ændring i nettoudgift, mio. kr. om året"),
    "pay_caseload_axis": ("Cases per caseworker (without effect)", "Sager pr. sagsbehandler (uden effekt)"),
    "pay_net_panel": ("Net cost per year", "Nettoudgift pr. år"),
    "pay_change_panel": ("Net cost against {w} caseworkers (same seeds); below 0 it pays",
                         "Nettoudgift mod {w} sagsbehandlere (samme seeds); under 0 betaler det sig"),
}
for _i, _lang in enumerate(LANGS):
    PHRASES[_lang].update({key: pair[_i] for key, pair in COMMON_WORDS.items()})
    PHRASES[_lang].update({key: pair[_i] for key, pair in VALIDATION_WORDS.items()})
    PHRASES[_lang].update({key: pair[_i] for key, pair in PAYBACK_WORDS.items()})


def no_break_percent(text: str) -> str:
    """Danish text with a no-break space between a number (or a ``{field}``) and ``%``: "95 %" never breaks.

    >>> no_break_percent("95 %-konfidensinterval") == "95\u00a0%-konfidensinterval"
    True
    """
    return re.sub(r"(\d|\}) %", "\\1\u00a0%", text)


PHRASES["da"] = {k: no_break_percent(v) for k, v in PHRASES["da"].items()}


# --------------------------------------------------------------------------- numbers

#: Danish text swaps the separators of English: 1,234.5 -> 1.234,5.
_DANISH_SEPARATORS = str.maketrans({",": ".", ".": ","})


def num(value: float, lang: str = "en", decimals: int | None = 0, sign: bool = False) -> str:
    """A number with thousands separators: ``1408.2`` -> ``"1,408"`` (``"1.408"`` in Danish).

    ``decimals=None`` gives as few decimals as the value needs (at most two):
    ``2.5`` -> ``"2.5"``, ``40.0`` -> ``"40"``. ``sign=True`` writes ``+`` before
    positive numbers.
    """
    check_lang(lang)
    places = 2 if decimals is None else decimals
    text = f"{float(value):{'+' if sign else ''},.{places}f}"
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "+0", "-0.0", "+0.0", "-0.00", "+0.00"):
        text = text[1:]
    return text if lang == "en" else text.translate(_DANISH_SEPARATORS)


def pct(value: float, lang: str = "en", decimals: int | None = 0, sign: bool = False) -> str:
    """A share as per cent: ``0.41`` -> ``"41%"`` (``"41 %"`` in Danish, no line break before ``%``)."""
    return num(100 * value, lang, decimals, sign) + ("%" if lang == "en" else "\u00a0%")


def span(low: str, high: str) -> str:
    """``"low–high"`` for two formatted numbers, or one of them if they read the same."""
    return low if low == high else f"{low}–{high}"


def and_list(items: list[str], lang: str = "en") -> str:
    """Words joined as a list in ``lang``: ``"a, b and c"`` (Danish ``"a, b og c"``).

    >>> and_list(["'ds_norm'", "'laerkevej'"], "da")
    "'ds_norm' og 'laerkevej'"
    """
    items = [str(i) for i in items]
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {'og' if check_lang(lang) == 'da' else 'and'} {items[-1]}"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


class PhraseFormatter(string.Formatter):
    """Fills a phrase: numbers with a format spec go through :func:`num` or :func:`pct` in the phrase's language."""

    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value: Any, spec: str) -> str:
        if not spec or not _is_number(value):
            return super().format_field(value, spec)
        places = re.search(r"\.(\d+)", spec)
        decimals = int(places.group(1)) if places else 0
        sign = spec.startswith("+")
        if spec.endswith("%"):
            return pct(value, self.lang, decimals, sign)
        if spec.endswith("g"):
            return num(value, self.lang, None, sign)
        return num(value, self.lang, decimals, sign)


# --------------------------------------------------------------------------- lookups

def check_lang(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGS`, else a ``ValueError`` naming the languages allowed."""
    if lang not in LANGS:
        raise ValueError(f"lang: {lang!r} is not supported; allowed: {', '.join(LANGS)}")
    return lang


def kpi_label(name: str, lang: str = "en") -> str:
    """Axis label of a KPI, with its unit."""
    return KPI_LABELS[check_lang(lang)].get(name, f"{name} ({KPIS.get(name, ('', ''))[0]})")


def policy_label(name: str, lang: str = "en") -> str:
    """Legend entry of a preparation policy (custom policies keep their name)."""
    return POLICY_LABELS[check_lang(lang)].get(name, name)


def activity_label(name: str, lang: str = "en") -> str:
    """Legend entry of a caseworker activity."""
    return ACTIVITY_LABELS[check_lang(lang)].get(name, name)


def parameter_label(name: str, lang: str = "en") -> str:
    """Axis label of a scenario parameter."""
    return PARAMETER_LABELS[check_lang(lang)].get(name, name)


def phrase(key: str, lang: str = "en", **fmt: Any) -> str:
    """A word or phrase from :data:`PHRASES` in ``lang``, filled with ``fmt`` (unknown keys come back as they are).

    Numbers are written by :func:`num` and :func:`pct`: the spec in the phrase
    says how (``{x:.0%}`` a per cent, ``{x:,.1f}`` one decimal, ``{x:g}`` as
    few decimals as needed).
    """
    text = PHRASES[check_lang(lang)].get(key, key)
    return PhraseFormatter(lang).format(text, **fmt) if fmt else text


#: A common word (the same lookup as :func:`phrase`).
word = phrase


def value_text(value: Any, lang: str = "en") -> str:
    """A parameter value as text: yes/no for booleans, numbers by :func:`num`, anything else as it is."""
    if isinstance(value, (bool, np.bool_)):
        return phrase("yes" if value else "no", lang)
    if _is_number(value):
        return num(value, lang, None)
    return str(value)


def lower_first(text: str) -> str:
    """``text`` with its first letter in lower case, for a label used mid-sentence; an abbreviation
    (a first word in capitals) stays as it is.

    >>> lower_first("Prepare ahead"), lower_first("SMS reminders")
    ('prepare ahead', 'SMS reminders')
    """
    if text[1:2].isupper():   # "SMS reminders", not "sMS reminders"
        return text
    return text[:1].lower() + text[1:]


def parameter_name(name: str, lang: str = "en") -> str:
    """A scenario parameter's name for use mid-sentence, without the unit its axis label gives in brackets.

    >>> parameter_name("caseload"), parameter_name("caseload", "da")
    ('caseload', 'sagstal')
    """
    return lower_first(parameter_label(name, lang).split(" (")[0])


# --------------------------------------------------------------------------- calibration recovery (jobsim.studies.calibration)
_RECOVERY_WORDS = {
    "recovery_title": ("Does calibration find the true values? 95% intervals from {n} simulated appointment logs",
                       "Finder kalibreringen de sande værdier? 95 %-intervaller fra {n} simulerede bookinglogs"),
    "recovery_panel": ("coverage {share} (95% CI {low}–{high})", "dækning {share} (95 %-KI {low}–{high})"),
    "recovery_covers": ("95% interval holds the true value", "95 %-intervallet rummer den sande værdi"),
    "recovery_misses": ("95% interval misses it", "95 %-intervallet rammer ved siden af"),
    "recovery_truth": ("true value (the scenario)", "sand værdi (scenariet)"),
    "recovery_x_minutes": ("Estimate (minutes)", "Estimat (minutter)"),
    "recovery_x_value": ("Estimate", "Estimat"),
    "recovery_y": ("Replication (sorted by estimate)", "Gentagelse (sorteret efter estimat)"),
    "recovery_caption": ("Scenario '{scenario}' with the true values; {n} replications from seed {seed}, each two runs "
                         "(without and with SMS reminders) joined into one appointment log of about {bookings} "
                         "bookings; jobsim {version}.",
                         "Scenariet '{scenario}' med de sande værdier; {n} gentagelser fra seed {seed}, hver to "
                         "kørsler (uden og med SMS-påmindelser) samlet i én bookinglog med omkring {bookings} "
                         "bookinger; jobsim {version}."),
    "recovery_param_noshow_probability": ("Mean no-show propensity", "Gennemsnitlig tilbøjelighed til udeblivelse"),
    "recovery_param_noshow_spread": ("Spread of propensities between citizens (SD)",
                                     "Spredning i tilbøjelighed mellem borgere (SD)"),
    "recovery_param_noshow_lead_odds_ratio": ("No-show odds ratio per 30 days of lead",
                                              "Odds-ratio for udeblivelse pr. 30 dages varsel"),
    "recovery_param_noshow_lead_odds_ratio_same_day": ("No-show odds ratio, booked the same day (vs. 1-7 days)",
                                                       "Odds-ratio for udeblivelse, booket samme dag (mod 1-7 dage)"),
    "recovery_param_noshow_lead_odds_ratio_8_14_days": ("No-show odds ratio, booked 8-14 days ahead (vs. 1-7)",
                                                        "Odds-ratio for udeblivelse, booket 8-14 dage før (mod 1-7)"),
    "recovery_param_noshow_lead_odds_ratio_15_30_days": ("No-show odds ratio, booked 15-30 days ahead (vs. 1-7)",
                                                         "Odds-ratio for udeblivelse, booket 15-30 dage før (mod 1-7)"),
    "recovery_param_noshow_lead_odds_ratio_31_plus_days": ("No-show odds ratio, booked 31+ days ahead (vs. 1-7)",
                                                           "Odds-ratio for udeblivelse, booket 31+ dage før (mod 1-7)"),
    "recovery_param_sms_effect": ("Relative cut in no-shows from an SMS reminder",
                                  "Relativ nedgang i udeblivelser ved SMS-påmindelse"),
    "recovery_param_conversation_minutes": ("Mean conversation need (minutes)", "Gennemsnitligt samtalebehov (minutter)"),
    "recovery_param_conversation_cv": ("Variation of conversation need (CV)", "Variation i samtalebehov (CV)"),
    "recovery_param_punctuality_mean_minutes": ("Mean arrival vs. slot start (minutes)",
                                                "Gennemsnitligt fremmøde i forhold til tiden (minutter)"),
    "recovery_param_punctuality_sd_minutes": ("SD of arrival (minutes)", "Spredning i fremmødetid (minutter)"),
    "recovery_caption_realistic": ("Realistic booking logs (same-day bookings, odds by lead band, reminders for half "
                                   "the bookings): {n} logs of about {bookings} bookings from seed {seed}; "
                                   "jobsim {version}.",
                                   "Realistiske bookinglogs (bookinger samme dag, odds efter varslingstid, "
                                   "påmindelser for halvdelen af bookingerne): {n} logs med omkring {bookings} "
                                   "bookinger fra seed {seed}; jobsim {version}."),
}
for _i, _lang in enumerate(LANGS):
    PHRASES[_lang].update({key: pair[_i] for key, pair in _RECOVERY_WORDS.items()})
