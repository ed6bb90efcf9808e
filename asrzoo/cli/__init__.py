"""The ``asrzoo`` command line. Each module adds one group of commands; plugins add theirs."""

from __future__ import annotations

import errno
import os
import sqlite3
import sys

import click

from asrzoo import __version__
from asrzoo.errors import UserError

# OSErrors that say something about the machine, not a bug: told in one line
MACHINE_ERRORS = {
    errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT,
    errno.EIO, errno.EMFILE, errno.ENAMETOOLONG, errno.ENOTDIR, errno.EISDIR, errno.EEXIST,
}  # fmt: skip


@click.group()
@click.version_option(__version__, prog_name="asrzoo")
def cli():
    """Fine-tune, evaluate and share CTC speech recognizers for any language."""


def _build() -> click.Group:
    from asrzoo.cli import data, lid, lm, models, plugins, pretrain, zoo
    from asrzoo.cli.common import registry

    for module in (plugins, data, models, pretrain, lid, lm, zoo):
        module.add_commands(cli)
    registry().register_commands(cli)
    if "plugins" not in sys.argv[1:2]:  # which lists them itself, and exits non-zero
        for problem in registry().problems():
            click.echo(f"warning: {problem} (see `asrzoo plugins`)", err=True)
    return cli


def main() -> None:
    # asrzoo draws its own progress bars; the Hub's and transformers' tqdm bars would interleave
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        code = _build().main(prog_name="asrzoo", standalone_mode=False)
        if isinstance(code, int) and code:  # click returns a command's Exit(code)
            sys.exit(code)
    except click.exceptions.Exit as done:  # --help, --version
        sys.exit(done.exit_code)
    except click.exceptions.Abort:
        sys.exit("Aborted.")
    except UserError as error:  # a mistake the user can fix: one line, never a traceback
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    except click.ClickException as error:  # a usage mistake too: one line, no usage block
        click.echo(f"Error: {error.format_message()}", err=True)
        sys.exit(error.exit_code)
    except OSError as error:  # a full disk, a read-only or vanished folder: the machine's state
        if error.errno not in MACHINE_ERRORS:
            raise
        where = f": {error.filename}" if error.filename else ""
        click.echo(f"Error: {error.strerror or error}{where}", err=True)
        sys.exit(1)
    except sqlite3.DatabaseError as error:  # a read-only, locked, damaged or foreign zoo.db
        click.echo(f"Error: the zoo's database cannot be used: {error}", err=True)
        sys.exit(1)
