"""Proving who is at the workstation again: the password check at the idle lock, and signing in with
a new password after the person changed their own (PostgreSQL logins; the embedded database has no
passwords)."""

from __future__ import annotations

import logging

from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from mash_desk.domain.errors import DatabaseUnavailable, InvalidInput, UnknownUser, WrongPassword
from mash_desk.services.context import ServiceContext
from mash_desk.store.database import Database, password_refused
from mash_desk.store.reporting import reports_database

log = logging.getLogger(__name__)


def verify_password(ctx: ServiceContext, password: str) -> None:
    """Prove that whoever is at the workstation knows the signed-in login's password (the idle lock).

    A fresh connection is opened as that login with ``password``; ``WrongPassword`` if the server
    refuses it. A server that does not ask for passwords (trust, certificates, Kerberos) lets the
    connection in, and so does this. The embedded database has no passwords at all.
    """
    db = ctx.db
    if not db.is_postgresql:
        raise InvalidInput.single(
            "password", "The embedded database has no passwords: confirm who you are with the button instead."
        )
    if not password:
        raise InvalidInput.single("password", "Enter your password.")
    actor = ctx.whoami()
    probe = Database(db.url.render_as_string(hide_password=False), login=actor.username, password=password)
    try:
        with probe.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        if not password_refused(exc.orig):
            log.warning("checking %s's password: the database could not be reached (%s)", actor.username, exc.orig)
            raise DatabaseUnavailable(
                "The database could not be reached to check your password. Your work is kept; try again."
            ) from exc
        if not _may_still_sign_in(ctx, actor.username):
            log.warning("checking %s's password: the account has been switched off", actor.username)
            raise UnknownUser(f"The account {actor.username!r} has been switched off.") from exc
        log.info("checking %s's password: the server refused the password typed", actor.username)
        raise WrongPassword(f"That password is not right for {actor.username}.") from exc
    finally:
        probe.dispose()


def use_new_password(db: Database, password: str) -> None:
    """After the person changed their own password, every new connection of this session's pool
    signs in with it (the connections already open stay as they are)."""
    if not db.is_postgresql:
        return

    def _sign_in_with_new_password(_dialect: object, _record: object, _args: object, params: dict[str, object]) -> None:
        params["password"] = password

    for engine in {db.engine, reports_database(db).engine}:  # the reporting server's login is the same
        event.listen(engine, "do_connect", _sign_in_with_new_password)


def _may_still_sign_in(ctx: ServiceContext, login: str) -> bool:
    """Whether the login may still connect here, asked over the session already open (so that a
    refusal for any other reason than the password is not called a wrong password)."""
    with ctx.unit() as (session, _actor):
        return bool(
            session.scalar(
                text(
                    "SELECT rolcanlogin AND has_database_privilege(rolname, current_database(), 'CONNECT') "
                    "FROM pg_roles WHERE rolname = :login"
                ),
                {"login": login},
            )
        )
