"""``python -m jobsim`` is the ``jobsim`` command."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
