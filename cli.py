"""Command-line tasks: flask --app app migrate | seed-demo | create-admin | reminders |
audit verify."""
import click
from flask import current_app
from flask.cli import AppGroup

from domain.database import migrate as run_migrations


def register_cli(app):
    @app.cli.command("migrate")
    def migrate_command():
        """Apply pending database migrations."""
        applied = run_migrations()
        click.echo("applied: " + ", ".join(applied) if applied else "database is up to date")

    @app.cli.command("seed-demo")
    @click.option("--force", is_flag=True, help="Seed even if complaints exist.")
    def seed_demo_command(force):
        """Load demo data into an empty database."""
        from scripts.seed_demo import seed
        from domain.models import Complaint
        if Complaint.select().exists() and not force:
            click.echo("database has complaints; demo data not loaded")
            return
        seed(current_app.config["UPLOAD_DIR"])
        click.echo("demo data loaded")

    @app.cli.command("create-admin")
    @click.option("--username", prompt=True)
    @click.option("--full-name", prompt=True)
    @click.password_option()
    def create_admin_command(username, full_name, password):
        """Create an administrator account."""
        from domain import accounts
        from domain.errors import DomainError
        try:
            user = accounts.create_user(username=username, full_name=full_name, email="",
                                        roles=["admin"], department_id=None, password=password)
        except DomainError as e:
            raise click.ClickException(str(e.message)) from e
        click.echo(f"administrator {user.username} created")

    @app.cli.command("reminders")
    def reminders_command():
        """Notify people of complaints due by the next working day or overdue.

        Meant for cron or a systemd timer: each complaint is reminded to each person at
        most once a day, so running it again the same day creates nothing new."""
        from domain.settings import load_settings
        from domain.work import send_reminders
        created = send_reminders(load_settings())
        click.echo(f"{created} reminders created")
        from domain.accountability import finalise_expired, local_today
        click.echo(f"{finalise_expired(local_today())} accountability decisions became final")

    audit = AppGroup("audit", help="Check the append-only histories.")

    @audit.command("verify")
    def audit_verify():
        """Recompute every history hash chain (complaints, emergency responses,
        accountability records, improvement plans) and report any break."""
        from domain.history import verify_all
        from domain.record_history import verify_all_records
        checked, problems = verify_all()
        records, record_problems = verify_all_records()
        problems += record_problems
        for p in problems:
            click.echo(p)
        click.echo(f"{checked} complaints and {records} other records checked, "
                   f"{len(problems)} problems")
        if problems:
            raise SystemExit(1)

    app.cli.add_command(audit)
