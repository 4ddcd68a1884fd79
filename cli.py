"""Command-line tasks: flask --app app migrate | seed-demo | create-admin | reminders |
send-mail | fetch-mail | audit verify; monthly-report (cli_analysis.py); backup | restore | anonymise |
privacy-export (cli_ops.py)."""
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
        seed(current_app.config["UPLOAD_DIR"], document_dir=current_app.config["DOCUMENT_DIR"])
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

    @app.cli.command("send-mail")
    def send_mail_command():
        """Send the queued email that is due (from cron or a systemd timer, e.g. every
        minute). Safe to run in parallel: each message is sent by one run only."""
        from domain import outbox
        from domain.settings import load_settings
        settings = load_settings()
        if not outbox.sending_configured(settings):
            click.echo("email is off (Administration → Email); nothing sent")
            return
        report = outbox.send_due(settings=settings,
                                 document_dir=current_app.config["DOCUMENT_DIR"])
        click.echo(f"{report['sent']} sent, {report['retry']} to retry later, "
                   f"{report['failed']} failed")

    @app.cli.command("fetch-mail")
    def fetch_mail_command():
        """Turn new messages in the complaints mailbox into complaints (from cron or a
        systemd timer). A message that fails stays unread for the next run."""
        from domain.mail_fetch import fetch_mail, intake_configured
        from domain.settings import load_settings
        settings = load_settings()
        if not intake_configured(settings):
            click.echo("email intake is off (Administration → Email); nothing fetched")
            return
        report = fetch_mail(settings, upload_dir=current_app.config["UPLOAD_DIR"])
        click.echo(f"{report.registered} complaints registered, {report.duplicates} already "
                   f"registered, {report.ignored} ignored, {len(report.errors)} failed")
        for error in report.errors:
            click.echo(error, err=True)
        if report.errors:
            raise SystemExit(1)

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

    import cli_analysis
    import cli_ops
    cli_analysis.register(app)  # monthly-report
    cli_ops.register(app)       # backup, restore, anonymise, privacy-export
