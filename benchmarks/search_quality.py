"""Does search find the child already on record, named the way referrers really write it?

``python benchmarks/search_quality.py --help``. Each pair in ``search_quality_pairs.txt`` is a child
as recorded and the same child as a later referrer names them. The recorded child is entered
through intake (``services.intake.log_contact``, as the demo practitioner ``sam``) with look-alike
children around them, on a demo database (``mash-desk demo``, 250,000 contacts for the figures in
benchmarks/README.md); then the name and date of birth as typed go through
``services.search.find_people`` exactly as the window calls it. Reported: recall (the intended child
in the top 5), mean rank, false positives per search, and p50/p95 latency.

Look-alikes, entered for every pair before any search: a child with the same recorded name born
three years later (a cousin named for the same grandparent), a sibling (same family name, another
given name of the community, in the same contact) and a child with the same given name and date of
birth but another family name of the community. The demo's own 625,000 people (on 250,000
contacts) are look-alikes too: its vocabulary has hundreds of children called Muhammad Khan.

The children are entered once per database: a second run finds them by their contacts' narrative and
searches again without adding more (so the figures stay comparable run to run).
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import statistics
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from mash_desk.domain.birth_dates import near_birth_dates
from mash_desk.domain.enums import Channel, Concern, Gender, ParentsAware, ReferrerKind, RelationshipKind
from mash_desk.domain.name_variants import same_name
from mash_desk.domain.names import normalise_name, sound_code
from mash_desk.services import intake, people
from mash_desk.services.context import ServiceContext
from mash_desk.services.drafts import AdultDraft, ChildDraft, ContactDraft, HouseholdDraft, ReferrerDraft
from mash_desk.services.search import PersonQuery, find_people
from mash_desk.store.database import Database
from mash_desk.store.models import Contact, ContactChild
from mash_desk.store.queries import lookup
from mash_desk.tools.demo import generate_demo

PAIRS_FILE = Path(__file__).with_name("search_quality_pairs.txt")
MARK = "Search quality benchmark"
TOP = 5
RECALL_TARGET = 0.98
P95_TARGET_MS = 100.0
WARM_UP = 5
CHUNK = 25  # pairs entered per progress line


@dataclass(frozen=True)
class Pair:
    index: int
    community: str
    given: str
    family: str
    born: date
    typed_given: str
    typed_family: str
    typed_born: date | None
    slip: str  # "=", "swap", "+1d", "-1d", "+1y", "-1y", "none"
    known_as: tuple[str, str] | None

    @property
    def uses_variant_table(self) -> bool:
        """Whether a typed word meets a recorded one only through ``domain.name_variants`` (not by
        spelling or sound): reported apart, because the same hands wrote the table and the pairs."""
        typed = normalise_name(f"{self.typed_given} {self.typed_family}").split()
        recorded = normalise_name(f"{self.given} {self.family}").split()
        recorded += ["".join(normalise_name(self.given).split()), "".join(normalise_name(self.family).split())]
        for word in typed:
            if any(word == other or sound_code(word) == sound_code(other) for other in recorded):
                continue
            if any(same_name(word, other) for other in recorded):
                return True
        return False


def _typed_date(born: date, slip: str) -> date | None:
    if slip == "=":
        return born
    if slip == "none":
        return None
    if slip == "swap":
        return date(born.year, born.day, born.month)
    if slip in ("+1d", "-1d"):
        return born + timedelta(days=1 if slip == "+1d" else -1)
    if slip in ("+1y", "-1y"):
        return born.replace(year=born.year + (1 if slip == "+1y" else -1))
    raise ValueError(f"unknown date slip {slip!r}")


def load_pairs(path: Path = PAIRS_FILE) -> list[Pair]:
    pairs: list[Pair] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = [field.strip() for field in line.split(";")]
        community, given, family, born_text, typed_given, typed_family, slip = fields[:7]
        known_as = None
        if len(fields) > 7 and fields[7]:
            alias_given, _, alias_family = fields[7].rpartition(" ")
            known_as = (alias_given, alias_family)
        born = date.fromisoformat(born_text)
        typed_born = _typed_date(born, slip)
        if typed_born is not None and slip == "swap":
            assert typed_born in near_birth_dates(born), line
        pairs.append(
            Pair(len(pairs), community, given, family, born, typed_given, typed_family, typed_born, slip, known_as)
        )
    return pairs


# --- entering the children through intake ---------------------------------------------------------


def _draft(ctx: ServiceContext, children: list[ChildDraft], family: str, narrative: str, postcode: str) -> ContactDraft:
    return ContactDraft(
        parents_aware=ParentsAware.YES,
        received_at=ctx.now() - timedelta(hours=1),
        channel=Channel.PHONE,
        referral_source="2A",
        referrer=ReferrerDraft(
            kind=ReferrerKind.PROFESSIONAL,
            name="Jo Bell",
            role="Designated safeguarding lead",
            agency="Hillside Primary School",
            phone="01632 960123",
            email="jo.bell@example.org",
        ),
        children=children,
        adults=[
            AdultDraft(
                given_names="Sam",
                family_name=family,
                relationship=RelationshipKind.MOTHER,
                parental_responsibility=True,
            )
        ],
        household=HouseholdDraft(address_line1="1 Test Street", town="Luton", postcode=postcode),
        concerns={Concern.NEGLECT},
        narrative=narrative,
    )


def _child(given: str, family: str, born: date) -> ChildDraft:
    return ChildDraft(given_names=given, family_name=family, date_of_birth=born, gender=Gender.NOT_KNOWN)


def _lookalike_birth(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return born.replace(year=born.year + years, day=28)


def enter_children(ctx: ServiceContext, pairs: list[Pair], *, quiet: bool) -> dict[int, int]:
    """The recorded child of each pair (entered now, or found from an earlier run): pair index → person id."""
    with ctx.db.session() as session:
        known: dict[str, int] = lookup(
            session,
            select(Contact.narrative, func.min(ContactChild.person_id))
            .join(ContactChild, ContactChild.contact_id == Contact.id)
            .where(Contact.narrative.like(f"{MARK}: pair %"))
            .group_by(Contact.narrative),
        )
    by_community: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        by_community[pair.community].append(pair)
    recorded: dict[int, int] = {}
    started = time.perf_counter()
    for pair in pairs:
        narrative = f"{MARK}: pair {pair.index}"
        if narrative in known:
            recorded[pair.index] = known[narrative]
            continue
        rng = random.Random(pair.index)
        neighbours = [p for p in by_community[pair.community] if p.index != pair.index]
        sibling = rng.choice(neighbours)
        other_family = rng.choice([p for p in neighbours if p.family != pair.family] or neighbours)
        sibling_born = _lookalike_birth(pair.born, rng.choice((-3, -2, 2, 3))) - timedelta(days=rng.randrange(200))
        sibling_born = min(sibling_born, ctx.now().date() - timedelta(days=30))
        postcode = f"LU{rng.randrange(1, 8)} {rng.randrange(1, 10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}A"
        # the child and a sibling in one contact (the child first), as a household is referred
        logged = intake.log_contact(
            ctx,
            _draft(
                ctx,
                [
                    _child(pair.given, pair.family, pair.born),
                    _child(sibling.given.split()[0], pair.family, sibling_born),
                ],
                pair.family,
                narrative,
                postcode,
            ),
        )
        recorded[pair.index] = logged.child_person_ids[0]
        cousin_born = _lookalike_birth(pair.born, 3 if pair.born.year < 2020 else -3)
        intake.log_contact(
            ctx,
            _draft(
                ctx,
                [_child(pair.given, pair.family, cousin_born)],
                pair.family,
                f"{MARK}: look-alikes of pair {pair.index}",
                postcode,
            ),
        )
        intake.log_contact(
            ctx,
            _draft(
                ctx,
                [_child(pair.given, other_family.family, pair.born)],
                other_family.family,
                f"{MARK}: look-alikes of pair {pair.index}",
                postcode,
            ),
        )
        if pair.known_as is not None:
            people.add_alias(ctx, recorded[pair.index], *pair.known_as)
        if not quiet and (pair.index + 1) % CHUNK == 0:
            print(f"  entered {pair.index + 1} pairs ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return recorded


# --- searching and scoring ------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    pair: Pair
    rank: int | None  # 1-based rank of the intended child among the results, None if not returned
    others_above: int
    results: int
    ms: float
    top: tuple[str, ...]


def percentile(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[max(1, min(len(ordered), math.ceil(fraction * len(ordered)))) - 1]


def search_all(ctx: ServiceContext, pairs: list[Pair], recorded: dict[int, int]) -> list[Outcome]:
    queries = [
        PersonQuery(given_names=p.typed_given, family_name=p.typed_family, date_of_birth=p.typed_born) for p in pairs
    ]
    for query in queries[:WARM_UP]:
        find_people(ctx, query)
    gc.collect()
    outcomes = []
    for pair, query in zip(pairs, queries, strict=True):
        started = time.perf_counter()
        matches = find_people(ctx, query)
        ms = (time.perf_counter() - started) * 1000
        ids = [m.person_id for m in matches]
        target = recorded[pair.index]
        rank = ids.index(target) + 1 if target in ids else None
        top = tuple(f"{m.name} {m.date_of_birth} {m.score}" for m in matches[:3])
        outcomes.append(Outcome(pair, rank, (rank - 1) if rank else len(ids), len(ids), ms, top))
    return outcomes


def report(outcomes: list[Outcome], database: str, contacts: int, people_count: int) -> str:
    found = [o for o in outcomes if o.rank is not None and o.rank <= TOP]
    ranks = [o.rank for o in outcomes if o.rank is not None]
    times = [o.ms for o in outcomes]
    recall = len(found) / len(outcomes)
    p95 = percentile(times, 0.95)
    lines = [
        f"Search quality on {database}: {contacts:,} contacts, {people_count:,} people, {len(outcomes)} searches",
        f"recall (intended child in the top {TOP}): {len(found)}/{len(outcomes)} = {recall:.1%} "
        f"(target {RECALL_TARGET:.0%}) {'ok' if recall >= RECALL_TARGET else 'MISS'}",
        f"mean rank when returned: {statistics.mean(ranks):.2f} ({len(ranks)} returned in the first 20; "
        f"{sum(1 for r in ranks if r == 1)} first)",
        f"false positives per search (other people ranked above the intended child; every result when "
        f"the child is not returned): {statistics.mean(o.others_above for o in outcomes):.2f}; "
        f"searches with any: {sum(1 for o in outcomes if o.others_above)}",
        f"results per search: mean {statistics.mean(o.results for o in outcomes):.1f}",
        f"latency ms: p50 {percentile(times, 0.5):.1f}, p95 {p95:.1f}, max {max(times):.1f} "
        f"(target p95 < {P95_TARGET_MS:.0f}) {'ok' if p95 < P95_TARGET_MS else 'MISS'}",
        "",
        "recall by group:",
    ]
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[o.pair.community].append(o)
        groups["date of birth " + ("as recorded" if o.pair.slip == "=" else f"{o.pair.slip}")].append(o)
        table = "meets only through the variants table" if o.pair.uses_variant_table else "no variants table needed"
        groups[table].append(o)
    for name, members in sorted(groups.items()):
        hits = sum(1 for o in members if o.rank is not None and o.rank <= TOP)
        lines.append(f"  {name:<42}{hits:>4}/{len(members):<4}{hits / len(members):7.1%}")
    missed = [o for o in outcomes if o not in found]
    if missed:
        lines.append("")
        lines.append(f"not in the top {TOP}:")
        for o in missed:
            p = o.pair
            lines.append(
                f"  #{p.index} {p.given} {p.family} {p.born} typed {p.typed_given!r} {p.typed_family!r} "
                f"{p.typed_born} -> rank {o.rank}; top: {'; '.join(o.top)}"
            )
    return "\n".join(lines)


def run(url: str, args: argparse.Namespace) -> str:
    db = Database(url)
    try:
        if args.contacts:
            started = time.perf_counter()
            summary = generate_demo(db, contacts=args.contacts, seed=args.seed, skip_if_present=True)
            if summary.added and not args.quiet:
                print(f"demo load: {time.perf_counter() - started:.0f} s", file=sys.stderr)
        pairs = load_pairs()
        ctx = ServiceContext(db, "sam")
        recorded = enter_children(ctx, pairs, quiet=args.quiet)
        with db.session() as session:
            contacts = session.scalar(select(func.count(Contact.id))) or 0
            people_count = session.scalar(text("SELECT count(*) FROM person")) or 0
        outcomes = search_all(ctx, pairs, recorded)
        return report(outcomes, db.engine.dialect.name, contacts, people_count)
    finally:
        db.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", help="database URL, e.g. sqlite:////tmp/search.sqlite3")
    where.add_argument(
        "--pg-server",
        help="a PostgreSQL server URL (a user who may create databases and roles): a fresh "
        "mash_desk_search_<id> database is made there and dropped afterwards unless --keep",
    )
    parser.add_argument(
        "--contacts",
        type=int,
        default=250_000,
        help="demo size to build first if the database has no contacts (0: use the data as it is; "
        "smaller, e.g. 5000, for a quick run)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database made by --pg-server")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    args = parser.parse_args(argv)
    if args.db:
        print(run(args.db, args))
        return 0
    server_url = make_url(args.pg_server).set(drivername="postgresql+psycopg")
    name = f"mash_desk_search_{uuid.uuid4().hex[:8]}"
    server = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        print(run(server_url.set(database=name).render_as_string(hide_password=False), args))
    finally:
        if args.keep:
            print(f"kept database {name}")
        else:
            with server.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
