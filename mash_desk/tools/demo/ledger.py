"""The demo's books: the rows planned so far, the next id of each table, the hub's people and teams,
the timescale rules, and each value in the form its column stores."""

import random
from datetime import date, datetime

from mash_desk.domain.enums import Rag, TimescaleKey
from mash_desk.domain.names import normalise_name
from mash_desk.domain.timescales import TimescalePolicy, WorkingCalendar, rag_key
from mash_desk.tools.demo.loading import COLUMNS
from mash_desk.tools.demo.vocabulary import STAFF, TEAM_WORKER, Row


class Ledger:
    """What every part of the plan writes to and reads from; the rows wait here until they are loaded."""

    def __init__(
        self,
        *,
        rng: random.Random,
        now: datetime,
        backend: str,
        policy: TimescalePolicy,
        users: dict[str, int],
        teams: dict[str, int],
        agencies: dict[str, int],
        base_ids: dict[str, int],
    ) -> None:
        self.rng = rng
        self.now = now
        self.sqlite = backend == "sqlite"
        self.policy = policy
        self.calendar = WorkingCalendar()
        self.users = users
        self.teams = teams
        self.agencies = agencies
        self.ids = dict(base_ids)
        self.rows: dict[str, list[Row]] = {table: [] for table in COLUMNS}
        self.norm_cache: dict[str, str] = {}
        self.usernames = {uid: name for name, uid in users.items()}
        # the role of each demo login, for checking each planned step against domain.lifecycle
        self.roles = {users[member.username]: member.role for member in STAFF if member.username in users}
        self.counts: dict[str, int] = {
            "open": 0,
            "overdue": 0,
            "referrals": 0,
            "re_referrals": 0,
            "pending_hand_offs": 0,
            "children": 0,
            "adults": 0,
            "dash": 0,
            "gcp": 0,
        }
        self.team_names = {team_id: name for name, team_id in teams.items()}
        self.team_worker = {
            team_id: users[TEAM_WORKER[name]] for team_id, name in self.team_names.items() if name in TEAM_WORKER
        }
        self.rule_decision = policy.rule(TimescaleKey.DECISION)
        self.rule_red = policy.rule(TimescaleKey.RED)
        self.rule_handoff = policy.rule(TimescaleKey.HANDOFF_ACCEPTANCE)
        self.rag_rules = {rag: policy.rule(rag_key(rag)) for rag in Rag}

    # -- storage forms ----------------------------------------------------------------------------

    def ts(self, moment: datetime) -> object:
        """A UTC datetime as the column stores it: SQLAlchemy's naive text on SQLite, aware on PostgreSQL."""
        if self.sqlite:
            # SQLAlchemy's SQLite DATETIME text, naive UTC: "2026-03-10 10:05:00.000000"
            if moment.microsecond:
                return moment.isoformat(" ")[:26]
            return moment.isoformat(" ")[:19] + ".000000"
        return moment

    def norm(self, name: str) -> str:
        """``normalise_name``, remembered: the town has a few hundred names and half a million people."""
        found = self.norm_cache.get(name)
        if found is None:
            found = self.norm_cache[name] = normalise_name(name)
        return found

    def day(self, value: date | None) -> object:
        if value is None:
            return None
        return value.isoformat() if self.sqlite else value

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]
