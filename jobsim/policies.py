"""Preparation policies: the public place to import them from.

``from jobsim.policies import PrepPolicy, register_policy`` is how a student
writes a policy of their own (see README and ``notebooks/04``); the policies
themselves live in :mod:`jobsim.model.policies`.
"""

from .model.policies import (BUILTIN_POLICIES, POLICIES, AfterCheckin, Ahead, ConfirmedAhead, NoPrep, PrepPolicy,
                             get_policy, register_policy)

__all__ = ["BUILTIN_POLICIES", "POLICIES", "AfterCheckin", "Ahead", "ConfirmedAhead", "NoPrep", "PrepPolicy",
           "get_policy", "register_policy"]
