class UserError(Exception):
    """An error the user can act on: the CLI shows its message on one line, without a traceback."""
