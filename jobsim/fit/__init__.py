"""Fitting the time budget to published figures (``jobsim fit``): priors, ABC-SMC, the shipped posterior."""
