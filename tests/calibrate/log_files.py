"""A small valid appointment log and a writer, shared by the calibration tests (not a test module)."""

#: Four bookings of two citizens: a date-time slot and a date-only slot, attended given four ways.
GOOD = """citizen_id,booked_at,slot_start,attended
c1,2024-01-02T10:00:00,2024-01-09T09:00:00,true
c1,2024-01-09T09:10:00,2024-04-01T09:25:00,false
c2,2024-01-03,2024-01-03,yes
c2,2024-01-03,2024-02-10,no
"""


def write(tmp_path, text, name="log.csv"):
    """``text`` written to ``tmp_path / name`` (UTF-8); its path."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def simulated_log(folder):
    """A simulated appointment log (Lærkevej, 3 caseworkers, half a year, seed 2), with check-in and conversation
    times, written to ``folder / "appointment_log.csv"``; its path."""
    import jobsim
    from jobsim.runner.eventlog import appointment_log
    from jobsim.runner.simulate import simulate

    result = simulate(jobsim.load_scenario("laerkevej", workers=3, horizon_days=182), seed=2)
    path = folder / "appointment_log.csv"
    appointment_log(result).to_csv(path, index=False)
    return path
