"""What every ``otklik`` command does around its work: a migrated database, one unit of work, the
actor it records, and refused input as one ``Error: …`` line with exit status 2.

A refusal that names its input (engine.errors.FieldError: a territory's, a template's) is printed
with the option to fix, from the command's own ``options`` (field → ``--option``); a refused
deployment prints each problem and exits 1, as ``otklik deploy`` does.
"""
from __future__ import annotations

import getpass
import logging
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import NoReturn

import click
from sqlalchemy.orm import Session

from engine.db import database as dbmod
from engine.errors import DeploymentError, FieldError

__all__ = ["BAD_INPUT", "REFUSED", "actor", "database", "fail", "unit_of_work"]

BAD_INPUT, REFUSED = 2, 1


def fail(message: str, code: int = BAD_INPUT) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def actor() -> str:
    """Who the audit log records for a console change: ``cli:<the operating-system user>``."""
    return f"cli:{getpass.getuser()}"


def database() -> dbmod.Database:
    """The configured database, migrated to the newest schema."""
    logging.getLogger("alembic").setLevel(logging.WARNING)  # "Context impl SQLiteImpl" on every command is noise
    found = dbmod.Database()
    dbmod.upgrade(found.engine)
    return found


@contextmanager
def unit_of_work(readonly: bool = False, *, options: Mapping[str, str] | None = None,
                 refusals: tuple[type[Exception], ...] = (),
                 option: Callable[[str], str] = lambda field: field) -> Iterator[Session]:
    """One unit of work on the migrated database. A FieldError prints ``<option>: <message>``
    (``options`` maps its field to the option, else ``option(field)``), any of ``refusals`` its
    message, both exit 2; a DeploymentError prints its problems and exits 1."""
    used = database()
    try:
        with used.session(readonly=readonly) as session:
            yield session
    except FieldError as error:
        fail(f"{(options or {}).get(error.field) or option(error.field)}: {error}")
    except DeploymentError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        sys.exit(REFUSED)
    except refusals as error:
        fail(str(error))
    finally:
        used.engine.dispose()
