"""A week in the life of one caseworker: a diary of what they did, and what was left undone.

From :func:`jobsim.simulate` with ``trace=True``: :func:`week_diary`,
:func:`week_noshows` and :func:`week_summary` read one caseworker's week,
:func:`diary_gantt` and :func:`week_figure` draw it, and
:func:`week_in_the_life` does it all for several runs (used by
``experiments/week_in_the_life.py`` and :func:`jobsim.teaching.week_in_the_life`).
Times are minutes after midnight unless said otherwise.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import __version__
from ..model.calendar import DAY_END, DAY_START, MINUTES_PER_DAY, MINUTES_PER_WEEK
from ..report.style import ACTIVITY_COLOURS, OKABE_ITO, caption, house_style, new_figure, wrap_title
from ..report.words import activity_label, and_list, lower_first, phrase, policy_label

#: Activities drawn in a caseworker's diary, in legend order.
DIARY_ACTIVITIES = ("conversation", "skim", "contact", "prep", "wasted_prep", "documentation", "casework", "noncase",
                    "idle")
#: Their colours: the house colours of :mod:`jobsim.report.style`, plus one for the skim after check-in.
DIARY_COLOURS = {**ACTIVITY_COLOURS, "skim": OKABE_ITO["purple"]}
#: Outcomes whose preparation was wasted (the citizen did not come).
WASTED_OUTCOMES = ("no_show", "withdrawn")


def first_full_week(result, worker: int = 0) -> int:
    """The first week (0 = the week of day 0) after the warm-up in which ``worker`` is present Monday to Friday.

    Uses ``result.worker_days`` (rows are kept for the horizon only); raises
    ValueError if there is none.
    """
    return first_full_week_from(result, worker, math.ceil(result.scenario.warmup_days / 7))


def common_full_week(results, worker: int = 0) -> int:
    """The first week after the warm-up in which ``worker`` is present every weekday in all ``results``."""
    results = list(results)
    week = max(first_full_week(r, worker) for r in results)
    for _ in range(60):
        try:
            if all(first_full_week_from(r, worker, week) == week for r in results):
                return week
            week = max(first_full_week_from(r, worker, week) for r in results)
        except ValueError:
            break
    raise ValueError(f"no week in which caseworker {worker} is present every day in every run")


def first_full_week_from(result, worker: int, week: int) -> int:
    """The first week at or after ``week`` in which ``worker`` is present Monday to Friday.

    See :func:`first_full_week`; raises ValueError if there is none before the end of the run.
    """
    wd = result.worker_days
    wd = wd[wd["worker"] == worker]
    last = (result.scenario.warmup_days + result.scenario.horizon_days) // 7
    for w in range(week, last):
        days = wd[(wd["day"] >= 7 * w) & (wd["day"] < 7 * w + 5)]
        if len(days) == 5 and not days["absent"].any():
            return w
    raise ValueError(f"caseworker {worker} is absent at least one day of every week from week {week}")


def week_diary(result, worker: int = 0, week: int | None = None) -> pd.DataFrame:
    """One caseworker's week from ``result.trace`` (run ``simulate(..., trace=True)``).

    One row per trace row of ``worker`` in the week: ``day`` (0 = Monday to
    4 = Friday), ``start`` and ``end`` (minutes after midnight),
    ``minutes``, ``activity`` (the trace's, with preparation for a citizen
    who then did not show, or left, renamed ``wasted_prep``) and ``meeting``.
    ``week`` defaults to :func:`first_full_week`.
    """
    if result.trace is None:
        raise ValueError("the result has no trace; run jobsim.simulate(..., trace=True)")
    if week is None:
        week = first_full_week(result, worker)
    t0 = week * MINUTES_PER_WEEK
    tr = result.trace
    tr = tr[(tr["worker"] == worker) & (tr["start"] >= t0) & (tr["start"] < t0 + MINUTES_PER_WEEK)].copy()
    outcome = result.meetings.set_index("meeting")["outcome"]
    wasted = (tr["activity"] == "prep") & tr["meeting"].map(outcome).isin(WASTED_OUTCOMES)
    tr.loc[wasted, "activity"] = "wasted_prep"
    day = ((tr["start"] - t0) // MINUTES_PER_DAY).astype(int)
    out = pd.DataFrame({"day": day.to_numpy(),
                        "start": (tr["start"] - t0 - day * MINUTES_PER_DAY).to_numpy(dtype=float),
                        "end": (tr["end"] - t0 - day * MINUTES_PER_DAY).to_numpy(dtype=float),
                        "activity": tr["activity"].to_numpy(dtype=object),
                        "meeting": tr["meeting"].to_numpy()})
    out["minutes"] = out["end"] - out["start"]
    return out.reset_index(drop=True)


def week_noshows(result, worker: int = 0, week: int | None = None) -> pd.DataFrame:
    """The slots of ``worker``'s week whose citizen did not show.

    Columns ``day`` (0 = Monday to 4 = Friday), ``start`` and ``end`` (minutes after midnight), ``meeting``.
    """
    if week is None:
        week = first_full_week(result, worker)
    t0 = week * MINUTES_PER_WEEK
    m = result.meetings
    m = m[(m["worker"] == worker) & (m["outcome"] == "no_show") & (m["slot_start"] >= t0)
          & (m["slot_start"] < t0 + MINUTES_PER_WEEK)]
    day = ((m["slot_start"] - t0) // MINUTES_PER_DAY).astype(int)
    start = m["slot_start"] - t0 - day * MINUTES_PER_DAY
    return pd.DataFrame({"day": day.to_numpy(), "start": start.to_numpy(dtype=float),
                         "end": (start + result.scenario.slot_minutes).to_numpy(dtype=float),
                         "meeting": m["meeting"].to_numpy()}).reset_index(drop=True)


def week_summary(result, worker: int = 0, week: int | None = None) -> dict[str, Any]:
    """What ``worker`` did and left undone in the week (minutes, counts).

    ``held`` and ``unprepared`` conversations (preparation short of the
    citizen's need), ``noshows``; minutes by activity (``conversation``,
    ``skim``, ``prep``, ``wasted_prep``, ``documentation``, ``casework``,
    ``idle``); ``citizens`` on the caseload at Monday 8:00; ``casework_due``
    (``casework_minutes`` x those citizens, the week's new casework),
    ``casework_undone`` (due minus casework done in the week, at least 0) and
    its share.
    """
    if week is None:
        week = first_full_week(result, worker)
    s = result.scenario
    t0 = week * MINUTES_PER_WEEK
    diary = week_diary(result, worker, week)
    minutes = diary.groupby("activity")["minutes"].sum()
    m = result.meetings
    m = m[(m["worker"] == worker) & (m["slot_start"] >= t0) & (m["slot_start"] < t0 + MINUTES_PER_WEEK)]
    held = m[m["outcome"] == "held"]
    monday = (t0 + DAY_START) / MINUTES_PER_DAY
    c = result.citizens
    on = c[(c["worker"] == worker) & (c["entry_day"] <= monday) & ~(c["exit_day"] <= monday)]
    due = s.casework_minutes * len(on)
    done = float(minutes.get("casework", 0.0))
    undone = max(0.0, due - done)
    out = {"week": week, "worker": worker, "first_day": 7 * week, "held": int(len(held)),
           "unprepared": int((~held["prepared"].astype(bool)).sum()),
           "noshows": int((m["outcome"] == "no_show").sum()), "citizens": int(len(on)),
           "casework_due": float(due), "casework_done": done, "casework_undone": undone,
           "casework_undone_share": undone / due if due else 0.0}
    out.update({f"{a}_minutes": float(minutes.get(a, 0.0)) for a in DIARY_ACTIVITIES})
    return out


def _clock(minutes: float) -> str:
    return f"{int(minutes // 60)}:{int(minutes % 60):02d}"


def diary_gantt(ax, diary: pd.DataFrame, noshows: pd.DataFrame | None = None, lang: str = "en",
                *, absent_days: Sequence[int] = ()) -> dict[str, Any]:
    """Draw a week's diary: days Monday–Friday down the y axis, 8:00–15:24 along x, a bar per trace row.

    Bars are coloured by activity (:data:`DIARY_COLOURS`); no-show slots
    (``noshows``) are hatched over the bars. Returns ``{activity: BarContainer}``
    (one bar per diary row of that activity) plus ``"no_show"``: the hatched
    patches.
    """
    from matplotlib.patches import Rectangle

    bars: dict[str, Any] = {}
    for activity in DIARY_ACTIVITIES:
        rows = diary[diary["activity"] == activity]
        if rows.empty:
            continue
        bars[activity] = ax.barh(rows["day"].to_numpy(), rows["minutes"].to_numpy(), left=rows["start"].to_numpy(),
                                 height=0.72, color=DIARY_COLOURS[activity], linewidth=0,
                                 label=activity_label(activity, lang), zorder=2)
    hatched = []
    if noshows is not None:
        for i, row in enumerate(noshows.itertuples()):
            patch = Rectangle((row.start, row.day - 0.40), row.end - row.start, 0.80, fill=False, hatch="////",
                              edgecolor="black", linewidth=0.9, zorder=3,
                              label=activity_label("no_show", lang) if i == 0 else "_nolegend_")
            ax.add_patch(patch)
            hatched.append(patch)
    bars["no_show"] = hatched
    for d in absent_days:
        ax.text((DAY_START + DAY_END) / 2, d, phrase("absent", lang), ha="center", va="center", color="#777777")
    days = phrase("weekdays", lang).split(",")
    ax.set_yticks(range(5))
    ax.set_yticklabels(days)
    ax.set_ylim(4.6, -0.6)
    hours = list(range(DAY_START, DAY_END + 1, 60))
    ax.set_xticks(hours + [DAY_END])
    ax.set_xticklabels([_clock(h) for h in hours] + [_clock(DAY_END)])
    ax.set_xlim(DAY_START, DAY_END)
    ax.grid(axis="y", visible=False)
    ax.set_axisbelow(True)
    return bars


def week_figure(panels: Sequence[Mapping[str, Any]], lang: str = "en", *, title: str | None = None,
                caption_text: str = "", width: float = 12.0):
    """Stacked week diaries (same time scale), each with what was left undone written under it.

    Each panel is a dict with ``diary`` (:func:`week_diary`), ``noshows``
    (:func:`week_noshows`), ``summary`` (:func:`week_summary`) and ``label``
    (the panel title). One legend of activities below the panels.
    """
    n = len(panels)
    fig, axes = new_figure(n, 1, width=width, height=3.5 * n + 1.6, sharex=True)
    axes = np.atleast_1d(axes)
    with house_style():
        for ax, p in zip(axes, panels):
            diary_gantt(ax, p["diary"], p.get("noshows"), lang)
            ax.set_title(p["label"], fontsize=11, loc="left")
            s = p["summary"]
            text = phrase("left_undone", lang, undone=s["casework_undone"], demand=s["casework_due"],
                          undone_share=s["casework_undone_share"], unprepared=s["unprepared"], held=s["held"],
                          wasted=s["wasted_prep_minutes"], noshows=s["noshows"],
                          s="" if s["noshows"] == 1 else "s" if lang == "en" else "r")
            ax.set_xlabel(textwrap.fill(text, 140), fontsize=10, color="#222222")
            ax.tick_params(axis="x", labelbottom=True)
        handles: dict[str, Any] = {}
        for ax in axes:
            for h, lab in zip(*ax.get_legend_handles_labels()):
                if not lab.startswith("_"):
                    handles.setdefault(lab, h)
        order = [activity_label(a, lang) for a in (*DIARY_ACTIVITIES, "no_show")]
        labels = [lab for lab in order if lab in handles]
        # anchored to the axes, not the figure: a figure legend "outside" moves when saved with a tight bbox
        axes[0].legend([handles[lab] for lab in labels], labels, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                       fontsize=9.5)
        end = max([DAY_END] + [float(p["diary"]["end"].max()) for p in panels if len(p["diary"])])
        for ax in axes:
            ax.set_xlim(DAY_START, end)
        if title:
            fig.suptitle(wrap_title(title, width))
        if caption_text:
            caption(fig, caption_text)
    return fig


def finding_week(first: Mapping[str, Any], second: Mapping[str, Any], caseloads: tuple[float, float],
                 lang: str = "en") -> str:
    """The title of the week figure: unprepared conversations and hours of casework left, in each panel."""
    return phrase("week_title", lang, c1=caseloads[0], u1=first["unprepared"], h1=first["held"],
                  l1=first["casework_undone"] / 60, c2=caseloads[1], u2=second["unprepared"], h2=second["held"],
                  l2=second["casework_undone"] / 60)


def week_in_the_life(results: Mapping[str, Any], worker: int = 0, week: int | None = None, lang: str = "en", *,
                     width: float = 12.0, scenario_names: str | None = None) -> dict[str, Any]:
    """One caseworker's week in each run (made with ``simulate(..., trace=True)``), drawn as stacked diaries.

    ``results`` maps a name (shown in the panel title, e.g. the scenario's
    name) to a run. ``week`` (0 = the week of day 0) defaults to the first week
    after the warm-up in which the caseworker is at work every day in every
    run (:func:`common_full_week`). With two runs the title states the finding
    (:func:`finding_week`). ``scenario_names`` is how the caption names the
    runs (default: their names, quoted, separated by commas).

    Returns ``figure``, ``week``, ``diaries`` (one table, with a ``scenario``
    column) and ``summaries`` (one dict per run: ``scenario``, ``caseload``,
    ``prep_policy`` and :func:`week_summary`).
    """
    if week is None:
        week = common_full_week(results.values(), worker)
    panels, diaries, summaries = [], [], []
    for name, r in results.items():
        s = r.scenario
        diary = week_diary(r, worker, week)
        summary = week_summary(r, worker, week)
        policy = lower_first(policy_label(s.prep_policy, lang))
        panels.append({"diary": diary, "noshows": week_noshows(r, worker, week), "summary": summary,
                       "label": phrase("panel", lang, caseload=s.caseload, policy=policy, scenario=name)})
        diaries.append(diary.assign(scenario=name))
        summaries.append({"scenario": name, "caseload": s.caseload, "prep_policy": s.prep_policy, **summary})
    title = None
    if len(panels) == 2:
        caseloads = tuple(r.scenario.caseload for r in results.values())
        title = finding_week(summaries[0], summaries[1], caseloads, lang)
    first = next(iter(results.values()))
    names = scenario_names if scenario_names is not None else and_list([repr(n) for n in results], lang)
    text = phrase("week_caption", lang, scenarios=names, worker=worker, week=week + 1, first=7 * week,
                  last=7 * week + 4, warmup=first.scenario.warmup_days, seed=first.seed,
                  replication=first.replication, version=__version__)
    figure = week_figure(panels, lang, title=title, caption_text=text, width=width)
    return {"figure": figure, "week": week, "diaries": pd.concat(diaries, ignore_index=True),
            "summaries": summaries}
