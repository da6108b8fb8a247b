"""The `genius` command: Flask's commands (run, shell, db ...) plus ours."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext


def main() -> None:
    from genius import create_app

    cli = FlaskGroup(
        create_app=lambda: create_app(),
        help=(
            "GenIUS, the open-innovation portal.\n\n"
            "Run it from the project folder (it reads .flaskenv), or set GENIUS_ENV, "
            "SECRET_KEY and DATABASE_URL in the environment."
        ),
    )
    cli.main(prog_name="genius")


def register_commands(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(demo)
    app.cli.add_command(search)
    app.cli.add_command(notifications)
    app.cli.add_command(recount)
    app.cli.add_command(network)
    app.cli.add_command(ideas)
    app.cli.add_command(analyze)


@click.group(help="Manage people's accounts.")
def users() -> None:
    pass


@users.command("create", help="Create a confirmed account, for example the first admin.")
@click.option("--email", required=True, help="Their email address.")
@click.option("--name", "display_name", default=None, help="Display name (default: the part of the email before @).")
@click.option("--role", type=click.Choice(["resident", "staff", "moderator", "admin"]), default="resident", show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Their password (asked for if not given).")
@with_appcontext
def create_user_command(email: str, display_name: str | None, role: str, password: str) -> None:
    from email_validator import EmailNotValidError, validate_email

    from genius.accounts import services
    from genius.accounts.models import Role
    from genius.core.passwords import problem_with
    from genius.extensions import db

    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise click.BadParameter(str(error), param_hint="--email") from None
    problem = problem_with(password)
    if problem:
        raise click.BadParameter(problem, param_hint="--password")
    if services.find_by_email(email):
        raise click.UsageError(f"There is already an account for {email}. Change its role on the admin page instead.")
    user = services.create_user(email, display_name or email.split("@")[0], password, role=Role(role),
                                confirmed=True, granted_by="cli")
    if role != "resident" and user.role != role:
        user.role = role  # an explicit --role wins over the staff-domain rule
    db.session.commit()
    click.echo(f"Created {user.role} account {user.email} (id {user.id}).")


@click.command(help="Load demo data into an empty database (does nothing if there are already people). "
                    "With --scale, load a whole council's worth of generated data instead.")
@click.option("--force", is_flag=True, help="Load even if the database already has people in it.")
@click.option("--scale", type=click.Choice(["small", "york", "x10"]), default=None,
              help="Generated data: small (1,000 people, 1,000 ideas), york (20,000 people, 5,000 ideas, "
                   "300,000 supports) or x10 (ten times york). Refuses a database with people in it unless --force.")
@click.option("--seed", type=int, default=1, show_default=True, help="With --scale: the same seed gives the same data.")
@with_appcontext
def demo(force: bool, scale: str | None, seed: int) -> None:
    if scale is None:
        from genius.demo import load_demo

        load_demo(force=force, echo=click.echo)
        return

    import time

    from genius.demo import DEMO_PASSWORD
    from genius.demodata import DemoRefused, load_scale
    from genius.extensions import db

    def bar(label: str, length: int):
        return click.progressbar(length=length, label=label, show_pos=True)

    started = time.perf_counter()
    try:
        counts = load_scale(scale, seed=seed, force=force, progress=bar)
    except DemoRefused as refused:
        db.session.rollback()
        raise click.ClickException(str(refused)) from None
    db.session.commit()
    click.echo(f"Loaded the {scale} demo (seed {seed}) in {time.perf_counter() - started:.1f} s: "
               + ", ".join(f"{n:,} {table.replace('_', ' ')}" for table, n in counts.items()) + ".")
    from genius.core.database import analyze

    click.echo("Refreshing the query planner's statistics after the bulk load...")
    click.echo(analyze())
    click.echo(f"Every generated person's password is {DEMO_PASSWORD} "
               "(in an empty database the first six are the usual demo sign-ins, such as admin@example.gov.uk).")


@click.command(help="Refresh the query planner's statistics (ANALYZE). `genius demo --scale` runs it after loading; "
                    "on SQLite run it nightly from cron (PostgreSQL's autovacuum does it by itself).")
@with_appcontext
def analyze() -> None:
    from genius.core.database import analyze as refresh

    click.echo(refresh())


@click.group(help="Maintain the search index.")
def search() -> None:
    pass


@search.command("reindex", help="Rebuild the search index from every challenge and idea.")
@with_appcontext
def reindex_command() -> None:
    from genius.extensions import db
    from genius.search.services import rebuild_index

    count = rebuild_index()
    db.session.commit()
    click.echo(f"Indexed {count} challenges and ideas.")


@click.group(help="Email notifications (run these from cron; see the README).")
def notifications() -> None:
    pass


def _report(report) -> None:
    click.echo(f"Sent {report.emails_sent} emails carrying {report.notifications_sent} notifications; "
               f"{report.skipped} skipped (people who want no email); {report.failed_people} people failed "
               "and will be retried on the next run.")
    for line in report.errors:
        click.echo(f"  failed: {line}", err=True)
    if report.errors:
        # Non-zero so cron (or whatever runs this) alerts someone; what failed stays pending.
        raise SystemExit(1)


def _with_progress(label: str):
    def iterate(people):
        with click.progressbar(people, label=label, show_pos=True) as bar:
            yield from bar
    return iterate


@notifications.command("send", help="Email new notifications to people who chose 'immediately'. Run every few minutes.")
@with_appcontext
def send_notifications_command() -> None:
    from genius.notifications.delivery import send_immediate

    _report(send_immediate(progress=_with_progress("Emailing people")))


@notifications.command("send-digests", help="Email daily and weekly summaries that are due, never empty. Run hourly.")
@with_appcontext
def send_digests_command() -> None:
    from genius.notifications.delivery import send_digests

    _report(send_digests(progress=_with_progress("Emailing summaries")))


@click.command(help="Recount the stored counters (supports, comments, ideas, group members) from the rows they count, "
                    "and list every counter it changed. Held and hidden ideas and comments (moderation) are not counted.")
@click.option("--check", is_flag=True, help="Only report differences; change nothing (exit status 1 if any).")
@with_appcontext
def recount(check: bool) -> None:
    from genius.extensions import db
    from genius.maintenance import recount as run_recount

    def bar(label: str, length: int):
        import sys

        # On stderr, so the report on stdout stays clean for scripts and cron mail.
        return click.progressbar(length=length, label=label, show_pos=True, file=sys.stderr)

    report = run_recount(progress=bar, apply=not check)
    for change in report.changes:
        click.echo(str(change))
    for counter in report.skipped:
        click.echo(f"Skipped {counter}: its table does not exist.")
    if check:
        db.session.rollback()
        click.echo(report.summary(applied=False))
        if report.changes:
            raise SystemExit(1)
        return
    db.session.commit()
    click.echo(report.summary())


@click.group(help="The network view.")
def network() -> None:
    pass


@network.command("build", help="Build a network (the whole site unless --scope says otherwise) for the public and for "
                                "staff, and store both in the network cache, so the next readers get them at once. "
                                "Run it after loading or importing data. The web processes share the answers through "
                                "Redis (REDIS_URL) or the network cache folder on this machine.")
@click.option("--scope", default="site", show_default=True, help="site, challenge:<id>, group:<id> or person:<id>")
@with_appcontext
def network_build_command(scope: str) -> None:
    import time

    from flask import current_app
    from flask_login import AnonymousUserMixin
    from sqlalchemy import select

    from genius.accounts.models import STAFF_ROLES, User
    from genius.extensions import db
    from genius.network import services
    from genius.network.scope import ScopeError, parse_scope

    try:
        parsed = parse_scope(scope)
    except ScopeError as error:
        raise click.BadParameter(error.message, param_hint="--scope") from error
    staff = db.session.scalar(select(User).where(User.role.in_(sorted(STAFF_ROLES)), User.deleted_at.is_(None))
                              .order_by(User.id).limit(1))
    readers = [("the public", AnonymousUserMixin())] + ([("staff", staff)] if staff is not None else [])
    for label, viewer in readers:
        click.echo(f"Building the network of {parsed.text} for {label}...", err=True)
        started = time.perf_counter()
        with current_app.test_request_context("/network"):  # for the page addresses in the answer
            try:
                data = services.network_for(viewer, parsed).data
            except services.ScopeNotFound:
                raise click.ClickException(f"There is no network to show for {parsed.text}.") from None
        summary, limit = data["summary"], data.get("limit")
        shown = f" (limited to {limit['max_people']:,} people)" if limit else ""
        click.echo(f"  {summary['people']:,} people{shown}, {summary['groups']:,} groups, {summary['links']:,} links; "
                   f"built {data['generated_at']} in {data['timing_ms']['total'] / 1000:.1f} s; "
                   f"{time.perf_counter() - started:.1f} s now")
        db.session.rollback()
    if not current_app.config.get("REDIS_URL"):
        click.echo("REDIS_URL is not set: the answers are in this machine's network cache folder (or, with "
                   "NETWORK_CACHE_FOLDER=memory, in no process but this one).", err=True)


@click.group(help="Maintain ideas.")
def ideas() -> None:
    pass


@ideas.command("refresh-trending", help="Recount each idea's supports of the last 7 days, the order of the "
                                       "challenge pages' 'Trending' sort. Run hourly.")
@with_appcontext
def refresh_trending_command() -> None:
    import time

    from genius.extensions import db
    from genius.ideas.trending import refresh

    started = time.perf_counter()
    checked, changed = refresh()
    db.session.commit()
    click.echo(f"Refreshed the trending counts: {changed:,} of {checked:,} ideas changed "
               f"({time.perf_counter() - started:.1f} s).")
