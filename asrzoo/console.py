"""Terminal output: tables and progress go to stderr so that ``--json`` owns stdout."""

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

# soft_wrap: a warning stays one line in a log, whatever its length
stderr = Console(stderr=True, soft_wrap=True)


def progress() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,  # in logs a live bar is only noise
    )
