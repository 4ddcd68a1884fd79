"""`flask --app app monthly-report`: the complaint analysis report for cron (Part F).

    flask --app app monthly-report                 # last month
    flask --app app monthly-report --month 2024-09
    flask --app app monthly-report --quarter 2024-Q3

Writes DOCUMENT_DIR/reports/complaint-analysis-<period>.pdf (every department, in the
organisation's letter language) and prints its path. The lead wires register(app) into
app.py / cli.py."""
import click
from flask import current_app


def register(app):
    @app.cli.command("monthly-report")
    @click.option("--month", default="", help="YYYY-MM (default: last month)")
    @click.option("--quarter", default="", help="YYYY-Qn, instead of --month")
    def monthly_report_command(month, quarter):
        """Write the complaint analysis report PDF for a month or a quarter."""
        from extensions import db
        from domain import report, stats
        from domain.errors import DomainError
        from domain.settings import load_settings

        if month and quarter:
            raise click.UsageError("give --month or --quarter, not both")
        db.connect(reuse_if_open=True)
        try:
            settings = load_settings()
            today = stats.org_today(settings)
            try:
                if quarter:
                    if "Q" not in quarter.upper():
                        raise DomainError("quarter")
                    period = stats.parse_period(quarter, today)
                elif month:
                    if "Q" in month.upper():
                        raise DomainError("month")
                    period = stats.parse_period(month, today)
                else:
                    period = stats.month_period(today).previous()
            except DomainError:
                raise click.BadParameter("use YYYY-MM for --month or YYYY-Qn for --quarter")
            with current_app.test_request_context():
                path = report.write(period, settings, current_app.config["DOCUMENT_DIR"])
            click.echo(str(path))
        finally:
            db.close()
