"""The command line: real databases, one clear line and a non-zero exit for anything that goes wrong."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from mash_desk.cli import build_parser, main
from mash_desk.cli.output import StageProgress
from mash_desk.domain.enums import Role
from mash_desk.store import migrate
from mash_desk.store.database import Database
from tests.support import World, contact_draft


def _url(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


def test_version_is_quick_and_says_the_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mash_desk.cli", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.startswith("MASH Desk ")
    assert "PySide6" not in done.stderr


def test_the_version_the_program_says_is_the_one_it_is_built_as() -> None:
    """The version is written twice, in ``pyproject.toml`` (which the installers read) and in ``mash_desk``
    (which the program says, without reading installed metadata at start-up): this keeps them one."""
    import tomllib

    import mash_desk

    built_as = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert mash_desk.__version__ == built_as["project"]["version"]


def test_report_lists_open_work(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    from mash_desk.services import intake

    intake.log_contact(world.sam, contact_draft(world.clock))
    assert main(["--db", _url(world.db), "--user", world.logins["sam"], "report"]) == 0
    out = capsys.readouterr().out
    assert "received, waiting for screening" in out
    assert "all open work" in out


def test_db_upgrade_then_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    assert main(["--db", url, "db", "upgrade"]) == 0
    assert main(["--db", url, "db", "status"]) == 0
    assert f"schema:   {migrate.head_revision()}" in capsys.readouterr().out


def test_unreachable_database_is_one_line_and_non_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", "postgresql://nobody@127.0.0.1:1/none", "report"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0
    assert len(err) == 1
    assert err[0].startswith("mash-desk: ")
    assert "could not be reached" in err[0]


def test_not_a_database_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", "mysql://x/y", "report"]) == 2
    assert "SQLite or PostgreSQL" in capsys.readouterr().err


def test_database_not_set_up_says_run_db_upgrade(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", f"sqlite:///{tmp_path / 'empty.sqlite3'}", "report"]) == 1
    assert "mash-desk db upgrade" in capsys.readouterr().err


def test_newer_database_is_refused(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    assert main(["--db", _url(db), "report"]) == 1
    assert "newer version of MASH Desk" in capsys.readouterr().err


def test_unknown_user_is_refused(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    if world.db.is_postgresql:
        # a role that exists but is no MASH Desk staff account: the server itself refuses it
        assert main(["--db", _url(world.db), "--user", "pg_monitor", "report"]) == 1
        assert "not a MASH Desk staff account" in capsys.readouterr().err
    else:
        assert main(["--db", _url(world.db), "--user", "nobody", "report"]) == 1
        assert "not a MASH Desk user" in capsys.readouterr().err


def test_user_add_refuses_a_bad_role(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", _url(db), "user", "add", "--username", "first", "--name", "First", "--role", "wizard"])
    assert code == 2
    assert "role" in capsys.readouterr().err


def test_an_administrator_manages_people_from_the_command_line(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    admin_args = ["--db", _url(world.db), "--user", world.logins["admin"]]
    sam = world.logins["sam"]
    assert main([*admin_args, "user", "set-role", "--username", sam, "--role", "manager", "--team", "MASH Team"]) == 0
    assert world.sam.whoami().role is Role.MANAGER
    assert main([*admin_args, "user", "disable", "--username", sam, "--reason", "Left the service"]) == 0
    assert main([*admin_args, "user", "enable", "--username", sam, "--reason", "Came back"]) == 0
    assert world.sam.whoami().role is Role.MANAGER
    capsys.readouterr()
    # a practitioner cannot, and a bad role is a usage message at the field
    assert (
        main(
            [
                "--db",
                _url(world.db),
                "--user",
                world.logins["priya"],
                "user",
                "disable",
                "--username",
                sam,
                "--reason",
                "x",
            ]
        )
        != 0
    )
    assert main([*admin_args, "user", "set-role", "--username", sam, "--role", "wizard"]) == 2
    assert "role" in capsys.readouterr().err
    # passwords are typed, never given as arguments; mismatched typing changes nothing
    answers = iter(["first phrase long enough", "second phrase long enough"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": next(answers))
    assert main([*admin_args, "user", "password", "--username", sam]) == 2
    assert "differ" in capsys.readouterr().err


# --- progress: a line per stage in a pipe or a log, redrawn in place on a terminal -------------------

# what the demo reports: one stage stops one short of its total, one reports its total twice
STAGES = [
    ("preparing the database", 0, 1),
    ("preparing the database", 1, 1),
    *(("adding contacts", n, 3000) for n in range(1, 3000)),
    ("adding people", 4000, 8000),
    ("adding people", 8000, 8000),
    ("adding people", 8000, 8000),
]
STAGE_LINES = ["preparing the database: 1/1", "adding contacts: 2,999/3,000", "adding people: 8,000/8,000"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_to_a_pipe_or_a_log_is_one_line_per_stage() -> None:
    out = io.StringIO()
    progress = StageProgress(out)
    for stage in STAGES:
        progress(*stage)
    progress.finish()
    assert "\r" not in out.getvalue()
    assert out.getvalue().splitlines() == STAGE_LINES


def test_progress_on_a_terminal_is_redrawn_in_place_and_each_stage_ends_its_line() -> None:
    out = _Terminal()
    progress = StageProgress(out)
    for stage in STAGES:
        progress(*stage)
    progress.finish()
    text = out.getvalue()
    assert text.count("\r") > 2999
    assert text.endswith("\n")
    assert [line.rsplit("\r", 1)[-1].rstrip() for line in text.split("\n")[:-1]] == STAGE_LINES


def test_demo_progress_in_a_log_is_a_line_per_stage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", f"sqlite:///{tmp_path / 'demo.sqlite3'}", "demo", "--contacts", "12"]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err
    stages = [line.split(":")[0] for line in err.splitlines()]
    assert "adding contacts" in stages
    assert len(stages) == len(set(stages))  # one line each


# --- argparse refuses a value that is wrong on its own, before anything is opened or written --------


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["user", "add", "--username", "x", "--name", "X", "--role", "wizard"], "argument --role: invalid choice"),
        (["user", "set-role", "--username", "x", "--role", "Manager"], "argument --role: invalid choice"),
        (["letters", "--contact", "MASH-0000001", "--out", "out", "--method", "pigeon"], "argument --method"),
        (["letters", "--date", "yesterday", "--out", "out"], "argument --date: 'yesterday' is not a date"),
        (["letters", "--out", "out"], "one of the arguments --contact --date is required"),
        (["letters", "--contact", "MASH-0000001", "--date", "2026-03-10", "--out", "out"], "not allowed with"),
        (["letter-holds", "--set", "outcome:NFA", "--holds", "maybe"], "argument --holds: invalid choice"),
        (["export", "annex-a", "--date", "2026-02-30", "--out", "out.xlsx"], "'2026-02-30' is not a date"),
        (["report", "--period", "2026-03-01:2026-02-01"], "after it ends"),
        (["demo", "--contacts", "0"], "argument --contacts: '0' is not a whole number from 1 to 2,000,000"),
        (["db", "backup"], "the following arguments are required: --out"),
        (["--quit-after", "-1"], "argument --quit-after: '-1' is not a whole number 0 or more"),
        (["gui", "--quit-after", "soon"], "argument --quit-after"),
        (["screenshots", "--out", "out", "--scale", "0"], "argument --scale"),
    ],
)
def test_a_bad_value_is_one_argparse_line_exit_2_and_nothing_written(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    words: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    database = tmp_path / "never-opened.sqlite3"
    assert main(["--db", f"sqlite:///{database}", *arguments]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith("mash-desk: ")
    assert words in line
    assert line.endswith("--help")  # and where to read more
    assert list(tmp_path.iterdir()) == []  # no database opened, no file or folder made


def test_role_and_method_choices_come_from_the_domain() -> None:
    from mash_desk.domain.enums import LetterMethod, Role

    parser = build_parser()
    for role in Role:
        args = parser.parse_args(["user", "set-role", "--username", "x", "--role", role.value])
        assert args.role == role.value
    for method in LetterMethod:
        args = parser.parse_args(["letters", "--contact", "MASH-0000001", "--out", "o", "--method", method.value])
        assert args.method == method.value
    assert parser.parse_args(["letters", "--date", "2026-03-10", "--out", "o"]).method == "post"


def test_quit_after_is_declared_once_and_read_before_or_after_gui() -> None:
    parser = build_parser()
    assert "quit_after" not in vars(parser.parse_args([]))
    assert parser.parse_args(["--quit-after", "500", "gui"]).quit_after == 500  # gui does not reset it
    assert parser.parse_args(["gui", "--quit-after", "7"]).quit_after == 7
    assert parser.parse_args(["--quit-after", "0"]).quit_after == 0
    cli = Path(sys.modules[build_parser.__module__].__file__ or "").parent
    assert sum(path.read_text(encoding="utf-8").count('"--quit-after"') for path in cli.glob("*.py")) == 1


def test_report_counts_the_risk_tools_and_lists_overdue_gcp2_reviews(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command line works on today's clock: the GCP2 is written as recorded 10 weeks ago."""
    from datetime import timedelta

    from sqlalchemy import select

    from mash_desk.domain.periods import london_date
    from mash_desk.domain.risk import CarerParticipation
    from mash_desk.services import intake, risk_tools
    from mash_desk.services.context import utc_now
    from mash_desk.store.models import GcpAssessment, User

    logged = intake.log_contact(world.sam, contact_draft(world.clock))
    risk_tools.record_dash(world.sam, logged.id, [True] * 15 + [False] * 9)
    now = utc_now()
    with world.db.session(write=True) as session:
        sam = session.scalars(select(User.id).where(User.username == world.logins["sam"])).one()
        session.add(
            GcpAssessment(
                contact_id=logged.id,
                child_id=logged.child_person_ids[0],
                physical_care=5,
                safety=3,
                love_and_belonging=2,
                esteem=3,
                carer_consent=True,
                carer_participation=CarerParticipation.FULL,
                review_on=london_date(now) - timedelta(days=3),
                assessor_id=sam,
                assessed_at=now - timedelta(weeks=10),
            )
        )
    assert main(["--db", _url(world.db), "--user", world.logins["maria"], "report"]) == 0
    out = capsys.readouterr().out
    assert "DASH checklists: 1 (standard 0, medium 0, high 1;" in out
    assert "MARAC referrals made: 0 (high-risk DASH with no referral yet: 1)" in out
    assert "Graded Care Profile 2 reviews overdue now: 1" in out
    assert "(3 days overdue), worst area 5" in out


def test_the_command_imports_its_code_with_the_collector_paused_then_collects_as_before() -> None:
    """``mash-desk`` is ``mash_desk.launch.main``: the command line imported with the garbage collector paused
    (a sixth of start-up's CPU went on walking objects that live as long as the program), then frozen, and
    the collector on again for everything made afterwards."""
    import tomllib

    pyproject = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["scripts"]["mash-desk"] == "mash_desk.launch:main"
    probe = (
        "import gc, sys\n"
        "from mash_desk.launch import command_line\n"
        "run = command_line()\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 10_000, 'mash_desk.cli' in sys.modules)\n"
        "sys.exit(run(['--version']))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    first, version = done.stdout.splitlines()
    assert first == "True True True"
    assert version.startswith("MASH Desk ")


def test_a_pause_of_the_collector_leaves_it_as_it_found_it() -> None:
    import gc

    from mash_desk.collector import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # someone else had it off: still off
    finally:
        gc.enable()
