"""Running ``mash-desk`` against a test database as one of the world's people."""

from __future__ import annotations

from tests.support import World


def as_user(world: World, who: str) -> list[str]:
    """``--db URL --user LOGIN``: on PostgreSQL the login is the database user, so it goes in the URL."""
    login = world.logins[who]
    url = world.db.url.set(username=login) if world.db.is_postgresql else world.db.url
    return ["--db", url.render_as_string(hide_password=False), "--user", login]
