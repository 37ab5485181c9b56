"""Words for figures and tables, in English (``en``) and Danish (``da``).

Plots say what is shown in the reader's language: KPI names become axis
labels with units, policy names become legend entries.
"""

from __future__ import annotations

from ..model.kpis import KPIS

LANGS = ("en", "da")

KPI_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "caseload_mean": "Citizens per caseworker",
        "meetings_held_per_worker_week": "Conversations held per caseworker per week",
        "noshow_rate": "No-show rate",
        "prep_minutes_mean": "Preparation per conversation (minutes)",
        "prepared_share": "Share of conversations fully prepared",
        "conversation_minutes_mean": "Conversation length (minutes)",
        "followup_gap_days_mean": "Mean follow-up gap (days)",
        "followup_gap_days_p90": "90th percentile follow-up gap (days)",
        "followup_gap_days_max": "Longest follow-up gap (days)",
        "overdue_share": "Share of conversations overdue",
        "no_contact_over_year_count": "Citizens without a conversation for over a year",
        "wasted_prep_minutes_per_worker_week": "Wasted preparation (minutes per caseworker per week)",
        "casework_coverage": "Share of casework done on time",
        "checkin_wait_minutes_mean": "Wait after check-in (minutes)",
        "utilization": "Busy share of working time",
        "overtime_hours_per_worker_week": "Overtime (hours per caseworker per week)",
        "cost_dkk_per_citizen_year": "Cost per citizen per year (DKK)",
    },
    "da": {
        "caseload_mean": "Borgere pr. sagsbehandler",
        "meetings_held_per_worker_week": "Afholdte samtaler pr. sagsbehandler pr. uge",
        "noshow_rate": "Andel udeblivelser",
        "prep_minutes_mean": "Forberedelse pr. samtale (minutter)",
        "prepared_share": "Andel fuldt forberedte samtaler",
        "conversation_minutes_mean": "Samtalens længde (minutter)",
        "followup_gap_days_mean": "Gennemsnitligt opfølgningsinterval (dage)",
        "followup_gap_days_p90": "90. percentil af opfølgningsinterval (dage)",
        "followup_gap_days_max": "Længste opfølgningsinterval (dage)",
        "overdue_share": "Andel samtaler afholdt for sent",
        "no_contact_over_year_count": "Borgere uden samtale i over et år",
        "wasted_prep_minutes_per_worker_week": "Spildt forberedelse (minutter pr. sagsbehandler pr. uge)",
        "casework_coverage": "Andel sagsarbejde nået til tiden",
        "checkin_wait_minutes_mean": "Ventetid efter check-in (minutter)",
        "utilization": "Andel af arbejdstiden i aktivitet",
        "overtime_hours_per_worker_week": "Overarbejde (timer pr. sagsbehandler pr. uge)",
        "cost_dkk_per_citizen_year": "Omkostning pr. borger pr. år (kr.)",
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
           "idle": "Idle", "no_show": "No-show", "overtime": "Overtime"},
    "da": {"conversation": "Samtale", "skim": "Skimning efter check-in", "prep": "Forberedelse",
           "wasted_prep": "Spildt forberedelse", "documentation": "Dokumentation", "casework": "Sagsarbejde",
           "idle": "Ledig tid", "no_show": "Udeblivelse", "overtime": "Overarbejde"},
}

PARAMETER_LABELS: dict[str, dict[str, str]] = {
    "en": {"caseload": "Caseload (citizens per caseworker)", "noshow_probability": "No-show probability",
           "slot_minutes": "Slot length (minutes)", "workers": "Caseworkers", "prep_policy": "Preparation policy",
           "sms_reminders": "SMS reminders", "interval_days": "Follow-up interval (days)"},
    "da": {"caseload": "Sagstal (borgere pr. sagsbehandler)", "noshow_probability": "Sandsynlighed for udeblivelse",
           "slot_minutes": "Samtaletid (minutter)", "workers": "Sagsbehandlere", "prep_policy": "Forberedelsespolitik",
           "sms_reminders": "SMS-påmindelser", "interval_days": "Opfølgningsinterval (dage)"},
}

WORDS: dict[str, dict[str, str]] = {
    "en": {"replications": "replications", "ci": "95% confidence interval", "scenario": "Scenario",
           "ds_band": "DS recommendation (40–50)", "laerkevej": "Lærkevej (220)", "days": "days",
           "minutes": "minutes", "share": "share", "DKK": "DKK", "yes": "yes", "no": "no"},
    "da": {"replications": "replikationer", "ci": "95 % konfidensinterval", "scenario": "Scenarie",
           "ds_band": "DS' anbefaling (40–50)", "laerkevej": "Lærkevej (220)", "days": "dage",
           "minutes": "minutter", "share": "andel", "DKK": "kr.", "yes": "ja", "no": "nej"},
}


def _check(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang: {lang!r} is not supported; allowed: {', '.join(LANGS)}")
    return lang


def kpi_label(name: str, lang: str = "en") -> str:
    """Axis label of a KPI, with its unit."""
    return KPI_LABELS[_check(lang)].get(name, f"{name} ({KPIS.get(name, ('', ''))[0]})")


def policy_label(name: str, lang: str = "en") -> str:
    """Legend entry of a preparation policy (custom policies keep their name)."""
    return POLICY_LABELS[_check(lang)].get(name, name)


def activity_label(name: str, lang: str = "en") -> str:
    """Legend entry of a caseworker activity."""
    return ACTIVITY_LABELS[_check(lang)].get(name, name)


def parameter_label(name: str, lang: str = "en") -> str:
    """Axis label of a scenario parameter."""
    return PARAMETER_LABELS[_check(lang)].get(name, name)


def word(key: str, lang: str = "en") -> str:
    """A common word or phrase."""
    return WORDS[_check(lang)].get(key, key)
