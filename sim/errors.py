"""The one exception type for a user's mistake (bad file, key, value)."""


class InputError(ValueError):
    """Bad user input; the command line prints its message on one line and exits with status 2."""
