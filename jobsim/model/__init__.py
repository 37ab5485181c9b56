"""The simulation: one replication of one jobcenter team, in SimPy. No pandas, no plotting.

Glossary (one word per thing, in code, docs and plots):

* **citizen**: a person on the team's caseload (:class:`~jobsim.model.citizens.Citizen`);
* **caseworker**: a member of the team, with a diary and a desk (:class:`~jobsim.model.caseworker.Caseworker`);
* **booking**: a booked slot in a caseworker's diary for one citizen (:class:`~jobsim.model.citizens.Booking`);
  its outcome is ``held``, ``no_show``, ``withdrawn`` (the citizen left first) or ``pending``;
* **conversation**: what happens in a slot when the citizen comes (a held booking);
* **check-in**: the citizen arriving; under the Lærkevej rule preparation may only start then;
* **preparation** (prep): reading the case, ahead at the desk or skimmed after check-in;
* **desk work**: preparation, documentation and casework, shared out over the time between conversations;
* **due day**: the day by which the next conversation is required by the follow-up rule;
* **follow-up gap**: days between a citizen's held conversations.

(The public table ``meetings`` has one row per booking, and its column ``worker`` names the caseworker;
those public names stay as they are.)

Reading order: the model is made of SimPy processes (docs/model.md §5.3), each a generator function that
reads in the order things happen:

1. :mod:`~jobsim.model.jobcenter` ``Jobcenter.arrivals``: a citizen enters (``admit``: the caseworker with the
   fewest citizens); ``Jobcenter.book`` with :func:`~jobsim.model.jobcenter.earliest_booking_day` books the
   next conversation into :mod:`~jobsim.model.diary` (``Diary.book``: the earliest free slot from that day);
   ``Jobcenter.citizen`` is the citizen's path: on the caseload until the stay ends, then ``leave``;
2. :mod:`~jobsim.model.caseworker` ``Caseworker.working_days`` / ``working_day``: the caseworker's day;
   ``start_day``/``open_prep_window``: the policy (:mod:`~jobsim.model.policies`) decides whether to prepare
   ahead, and the preparation becomes a desk task (:mod:`~jobsim.model.desk`), done between conversations;
3. ``Caseworker.slot``: the slot start, the citizen's check-in or no-show (``Jobcenter.checkin``, the
   citizen's side), the skim (the Lærkevej rule is ``AfterCheckin.skim_after_checkin`` in
   :mod:`~jobsim.model.policies`), the conversation;
4. ``Jobcenter.held`` or ``no_show``: the next booking; the :mod:`~jobsim.model.ledger` counts what
   happened in the measured horizon;
5. :mod:`~jobsim.model.kpis` ``compute_kpis``: the KPIs from the ledger's totals.

Parameters are one validated, immutable :class:`~jobsim.model.scenario.Scenario`; clock constants live in
:mod:`~jobsim.model.calendar`; random numbers come from named streams (:mod:`~jobsim.model.streams`).
"""
