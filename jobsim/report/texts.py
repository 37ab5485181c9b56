"""The words of the HTML report (:mod:`jobsim.report.html`), in English and Danish.

Kept apart from :mod:`jobsim.report.words` (the figures' words) so that both
stay short; numbers in these texts go through the same formatters
(:func:`jobsim.report.words.num` and :func:`~jobsim.report.words.pct`), by way
of :func:`text`, which fills ``{x:.0%}`` and ``{x:,.0f}`` fields the way
:func:`jobsim.report.words.phrase` does.

>>> text("n_runs", "da", n=1200) == "1.200 kørsler"
True
"""

from __future__ import annotations

from typing import Any

from .words import PhraseFormatter, check_lang, no_break_percent

REPORT_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "lang_name": "English",
        "answer": "The answer in brief",
        "quick_mark": "Quick run, not a result",
        "quick_note": ("This report was made from a quick run (few replications, short simulated time) to check "
                       "that everything works. Its numbers show the shape of the answer, not the answer; "
                       "run it again without the quick setting before quoting any number."),
        "unfinished_mark": "Unfinished sweep",
        "unfinished_note": ("Only {runs:,.0f} of the sweep's {total:,.0f} runs are stored, so some scenario points "
                            "rest on fewer replications than planned. To finish it, run the same `jobsim sweep` "
                            "command again (with `--out {folder}`): it continues where it stopped. Then make this "
                            "report again."),
        "replication_range": "{low} to {high}",
        "figures": "What the figures show",
        "how_to_read": "How to read the uncertainty",
        "uncertainty": ("Every point is the average of several runs of the model, each with different random "
                        "numbers (other citizens, no-shows and absences). The shaded band or the whiskers around it "
                        "show the 95% confidence interval: how much that average could move if the model were "
                        "run again. A narrow band means the model's answer is settled; a wide one means more runs "
                        "are needed. The band only covers chance in the model, not whether the model's "
                        "assumptions are right: that is what the validation and the assumptions below are for. "
                        "Shares are never drawn below 0% or above 100%, and points with fewer than 3 runs get "
                        "no band at all."),
        "scenarios": "The scenarios, with 95% confidence intervals",
        "scenarios_note": ("Mean over {n} replications, with the 95% confidence interval in brackets; "
                           "n/a: nothing to measure."),
        "validation": "How the model compares with published figures",
        "validation_note": ("Each row is a figure published about Danish jobcenters and what the model gives for "
                            "the same situation. \u201cInside\u201d: the model's 95% interval overlaps the "
                            "published range. The model can say what it reproduces; where it is outside, or no "
                            "figure exists, its numbers are the model's alone."),
        "validation_missing": "The validation has not been run yet: run `jobsim validate` and make the report again "
                              "with `--validation` pointing at its folder.",
        "validation_counts": "{inside} of {n} published figures lie inside the model's range, {outside} outside, "
                             "{na} could not be compared.",
        "assumptions": "The assumptions that decide the answer",
        "sensitivity_note": ("From the sensitivity study: the parameters whose uncertainty moves each result the "
                             "most (largest index first), with 95% confidence intervals."),
        "sensitivity_missing": "The sensitivity study has not been run yet: run `jobsim sensitivity` and make the "
                               "report again with `--sensitivity` pointing at its sensitivity.csv.",
        "provenance": "Provenance: what made this report",
        "cite": "How to cite",
        "col_target": "Published figure", "col_reference": "Published range", "col_model": "Model (95% CI)",
        "col_verdict": "Verdict", "col_source": "Source", "col_kpi": "Result", "col_parameter": "Parameter",
        "col_method": "Method", "col_index": "Index", "col_value": "Value (95% CI)",
        "inside": "inside", "outside": "outside", "not available": "not available",
        "col_role": "Role", "role_verification": "verification (equals an input)",
        "role_calibration": "calibration (an input was set to meet it)", "role_validation": "validation (held out)",
        "scenario": "Scenario", "seeds": "Seed and replications", "version": "jobsim version",
        "versions": "Other software", "date": "Made on (UTC)", "command": "Command", "folder": "Results folder",
        "n_runs": "{n:,.0f} runs",
        "seed_text": "seed {seed}, {replications} replications per point ({runs})",
        "figure_n": "Figure {n}.",
        "title_staffing": "What caseload, at what cost? Scenario {scenario}",
        "title_sweep": "Results of a sweep of scenario {scenario}",
        "title_validation": "How jobsim compares with published figures",
        "footer": "Made with jobsim {version}. A self-contained file: it needs no internet connection.",
    },
    "da": {
        "lang_name": "Dansk",
        "answer": "Svaret kort",
        "quick_mark": "Hurtig prøvekørsel, ikke et resultat",
        "quick_note": ("Denne rapport er lavet ud fra en hurtig prøvekørsel (få replikationer, kort simuleret tid) "
                       "for at se, at alt virker. Tallene viser svarets form, ikke svaret; kør den igen uden "
                       "den hurtige indstilling, før et tal bruges."),
        "unfinished_mark": "Kørslerne er ikke færdige",
        "unfinished_note": ("Kun {runs:,.0f} af de {total:,.0f} kørsler er gemt, så nogle scenariepunkter bygger "
                            "på færre replikationer end planlagt. Kør den samme `jobsim sweep`-kommando igen (med "
                            "`--out {folder}`) for at gøre dem færdige: den fortsætter, hvor den stoppede. Lav "
                            "derefter rapporten igen."),
        "replication_range": "{low} til {high}",
        "figures": "Hvad figurerne viser",
        "how_to_read": "Sådan læses usikkerheden",
        "uncertainty": ("Hvert punkt er gennemsnittet af flere kørsler af modellen, hver med andre tilfældige tal "
                        "(andre borgere, udeblivelser og fravær). Det skraverede bånd eller stregerne omkring "
                        "punktet viser 95 %-konfidensintervallet: hvor meget gennemsnittet kunne flytte sig, hvis "
                        "modellen blev kørt igen. Et smalt bånd betyder, at modellens svar ligger fast; et bredt, "
                        "at der skal flere kørsler til. Båndet dækker kun tilfældighed i modellen, ikke om "
                        "modellens antagelser holder: det er valideringen og antagelserne nedenfor til. Andele "
                        "tegnes aldrig under 0 % eller over 100 %, og punkter med færre end 3 kørsler får intet "
                        "bånd."),
        "scenarios": "Scenarierne med 95 %-konfidensintervaller",
        "scenarios_note": ("Gennemsnit over {n} replikationer med 95 %-konfidensintervallet i parentes; "
                           "i.t.: intet at måle."),
        "validation": "Sådan passer modellen med offentliggjorte tal",
        "validation_note": ("Hver række er et offentliggjort tal om danske jobcentre og modellens tal for samme "
                            "situation. \u201cInden for\u201d: modellens 95 %-interval overlapper det "
                            "offentliggjorte spænd. Modellen kan udtale sig om det, den genskaber; hvor den ligger "
                            "uden for, eller hvor der ikke findes et tal, er tallene alene modellens."),
        "validation_missing": "Valideringen er ikke kørt endnu: kør `jobsim validate`, og lav rapporten igen med "
                              "`--validation` rettet mod dens mappe.",
        "validation_counts": "{inside} af {n} offentliggjorte tal ligger inden for modellens spænd, {outside} uden "
                             "for, {na} kunne ikke sammenlignes.",
        "assumptions": "De antagelser, der afgør svaret",
        "sensitivity_note": ("Fra følsomhedsanalysen: de parametre, hvis usikkerhed flytter hvert resultat mest "
                             "(største indeks først), med 95 %-konfidensintervaller."),
        "sensitivity_missing": "Følsomhedsanalysen er ikke kørt endnu: kør `jobsim sensitivity`, og lav rapporten "
                               "igen med `--sensitivity` rettet mod dens sensitivity.csv.",
        "provenance": "Oprindelse: hvad rapporten er lavet af",
        "cite": "Sådan citeres",
        "col_target": "Offentliggjort tal", "col_reference": "Offentliggjort spænd", "col_model": "Model (95 % KI)",
        "col_verdict": "Vurdering", "col_source": "Kilde", "col_kpi": "Resultat", "col_parameter": "Parameter",
        "col_method": "Metode", "col_index": "Indeks", "col_value": "Værdi (95 % KI)",
        "inside": "inden for", "outside": "uden for", "not available": "ikke muligt",
        "col_role": "Rolle", "role_verification": "verifikation (lig med et input)",
        "role_calibration": "kalibrering (et input er sat efter den)", "role_validation": "validering (holdt ude)",
        "scenario": "Scenarie", "seeds": "Seed og replikationer", "version": "jobsim-version",
        "versions": "Andre programmer", "date": "Lavet (UTC)", "command": "Kommando", "folder": "Resultatmappe",
        "n_runs": "{n:,.0f} kørsler",
        "seed_text": "seed {seed}, {replications} replikationer pr. punkt ({runs})",
        "figure_n": "Figur {n}.",
        "title_staffing": "Hvilket sagstal, til hvilken pris? Scenarie {scenario}",
        "title_sweep": "Resultater af en række kørsler af scenarie {scenario}",
        "title_validation": "Sådan passer jobsim med offentliggjorte tal",
        "footer": "Lavet med jobsim {version}. En selvstændig fil: den kræver ingen internetforbindelse.",
    },
}


# Danish writes a space before the per cent sign; a no-break one, so "95 %" never breaks across lines
REPORT_TEXTS["da"] = {k: no_break_percent(v) for k, v in REPORT_TEXTS["da"].items()}


def text(key: str, lang: str = "en", **fmt: Any) -> str:
    """A text of the report in ``lang``, with numbers in ``fmt`` written by the language's formatter."""
    raw = REPORT_TEXTS[check_lang(lang)][key]
    return PhraseFormatter(lang).format(raw, **fmt) if fmt else raw
