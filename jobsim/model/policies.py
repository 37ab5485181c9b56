"""Preparation policies: when does a caseworker read a citizen's case?

A policy answers two questions about one booking (a
:class:`~jobsim.model.citizens.Booking`):

* :meth:`PrepPolicy.prepare_ahead`: asked when the preparation window opens
  (``prep_window_days`` working days before the slot). If true, preparation becomes a desk
  task due at the slot start; whatever is done by then counts, and
  preparation for a citizen who does not show is wasted.
* :meth:`PrepPolicy.skim_after_checkin`: asked when the citizen has checked
  in. The minutes returned are taken from the conversation's time (the model
  caps them so that at least ``min_conversation_minutes`` remain and prep +
  conversation fit in the slot).

Write your own by subclassing :class:`PrepPolicy` and registering it::

    from jobsim.policies import PrepPolicy, register_policy

    class PrepareForRegulars(PrepPolicy):
        name = "regulars_ahead"
        description = "prepare ahead only for citizens who attended their last two conversations"

        def prepare_ahead(self, booking, scenario):
            return booking.citizen.history[-2:] == [True, True]

        def skim_after_checkin(self, booking, scenario):
            return 0.0 if booking.prep_done > 0 else scenario.checkin_prep_minutes

    register_policy(PrepareForRegulars())
    result = jobsim.simulate(jobsim.load_scenario("ds_norm", prep_policy="regulars_ahead"))

What a policy may look at: ``booking.citizen.history`` (list of True/False,
attended or not, oldest first, the last 10 booked conversations),
``booking.citizen.held`` and ``.noshows`` (counts), ``booking.confirmed``
(the answer the citizen gives to an SMS reminder: True, or False for no
answer), ``booking.prep_done`` (minutes already prepared), ``booking.start``
(slot start, minutes) and the scenario. It should not look at
``citizen.propensity``: a caseworker cannot see it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    from .citizens import Booking
    from .scenario import Scenario


class PrepPolicy:
    """Base class of preparation policies. The default never prepares."""

    #: The name used in scenarios (``prep_policy = "..."``).
    name: str = "base"
    #: One line for ``jobsim scenarios``, docs and plots.
    description: str = ""
    #: True if the policy sends an SMS reminder to get confirmations: the reminder then cuts
    #: no-shows by ``sms_effect`` (as ``sms_reminders = true`` does), and preparation ahead
    #: starts when the reply is in, ``min(prep_window_days, reminder_days)`` working days before.
    sends_reminder: bool = False

    def prepare_ahead(self, booking: "Booking", scenario: "Scenario") -> bool:
        """Should preparation for this conversation be a desk task before the slot?"""
        return False

    def skim_after_checkin(self, booking: "Booking", scenario: "Scenario") -> float:
        """Minutes of preparation to take, after check-in, from the conversation's time."""
        return 0.0

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


class AfterCheckin(PrepPolicy):
    """The Lærkevej rule: no preparation before the citizen has checked in; then a short skim."""

    name = "after_checkin"
    description = "no preparation before check-in; skim checkin_prep_minutes from the slot (Lærkevej)"

    def skim_after_checkin(self, booking, scenario):
        return scenario.checkin_prep_minutes


class Ahead(PrepPolicy):
    """Preparation is a desk task due at the slot start; no-shows waste it."""

    name = "ahead"
    description = "prepare ahead as a desk task due at the slot start"

    def prepare_ahead(self, booking, scenario):
        return True


class NoPrep(PrepPolicy):
    """No preparation at all: the conversation gets the whole slot."""

    name = "none"
    description = "no preparation; the conversation gets the whole slot"


class ConfirmedAhead(PrepPolicy):
    """Prepare ahead for citizens who confirmed an SMS reminder; skim after check-in for the rest."""

    name = "confirmed_ahead"
    description = "SMS reminder; prepare ahead for those who confirm, skim after check-in for the rest"
    sends_reminder = True

    def prepare_ahead(self, booking, scenario):
        return bool(booking.confirmed)

    def skim_after_checkin(self, booking, scenario):
        return 0.0 if booking.confirmed else scenario.checkin_prep_minutes


#: Registered policies by name; scenarios refer to these names.
POLICIES: dict[str, PrepPolicy] = {}


def register_policy(policy: PrepPolicy, *, replace: bool = False) -> PrepPolicy:
    """Make ``policy`` available to scenarios as ``prep_policy = policy.name``.

    A sweep sends each registered policy object to its workers with the runs
    (cloudpickle), so a policy defined in a notebook also runs in parallel,
    under any start method and on a Dask cluster.
    """
    if not isinstance(policy, PrepPolicy):
        raise TypeError("register_policy expects an instance of a PrepPolicy subclass")
    if not policy.name or not policy.name.replace("_", "").isalnum():
        raise ValueError(f"policy name {policy.name!r} must be a non-empty identifier")
    if policy.name in POLICIES and not replace and type(POLICIES[policy.name]) is not type(policy):
        raise ValueError(f"a different policy named {policy.name!r} is already registered; "
                         "pass replace=True to replace it")
    POLICIES[policy.name] = policy
    return policy


def get_policy(name: str) -> PrepPolicy:
    """The registered policy called ``name``."""
    try:
        return POLICIES[name]
    except KeyError:
        raise KeyError(f"prep_policy: unknown policy {name!r}; allowed: {', '.join(POLICIES)}") from None


for _p in (AfterCheckin(), Ahead(), NoPrep(), ConfirmedAhead()):
    register_policy(_p)

BUILTIN_POLICIES = ("after_checkin", "ahead", "none", "confirmed_ahead")


class PolicyTraits(NamedTuple):
    """What the model needs to know about a policy, worked out once per run."""

    prepares_ahead: bool    # the policy overrides prepare_ahead
    skims: bool             # the policy overrides skim_after_checkin
    sends_sms: bool         # an SMS reminder goes out (sms_reminders, or the policy needs confirmations)
    window_days: int        # preparation ahead opens this many working days before the slot


def policy_traits(policy: PrepPolicy, scenario: "Scenario") -> PolicyTraits:
    """The traits of ``policy`` in ``scenario``.

    A policy that sends a reminder starts preparing ahead when the reply is
    in: ``min(prep_window_days, reminder_days)`` working days before.
    """
    cls = type(policy)
    reminds = bool(getattr(policy, "sends_reminder", False))
    return PolicyTraits(
        prepares_ahead=cls.prepare_ahead is not PrepPolicy.prepare_ahead,
        skims=cls.skim_after_checkin is not PrepPolicy.skim_after_checkin,
        sends_sms=scenario.sms_reminders or reminds,
        window_days=min(scenario.prep_window_days, scenario.reminder_days) if reminds else scenario.prep_window_days)
