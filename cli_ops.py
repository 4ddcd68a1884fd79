"""Operations commands (Part G): backups and personal data.

    flask --app app backup DEST [--keep N]   # consistent online backup (SQLite), see domain/backup.py
    flask --app app restore SRC              # into an empty instance; verifies hashes and histories
    flask --app app anonymise                # complaints past the retention period (daily, from the timer)
    flask --app app privacy-export PHONE_OR_EMAIL --admin USERNAME [--out FILE]

The lead wires register(app) into cli.py; registering twice is harmless."""
import json
from pathlib import Path

import click
from flask import current_app


def register(app):
    if app.extensions.get("redress_cli_ops"):
        return
    app.extensions["redress_cli_ops"] = True

    @app.cli.command("backup")
    @click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
    @click.option("--keep", type=click.IntRange(min=1), default=None,
                  help="Keep only the newest N complete backups in DEST.")
    def backup_command(dest, keep):
        """Back up the database, uploads and documents into DEST/redress-YYYYmmdd-HHMMSS/
        while the app keeps running (SQLite only; for PostgreSQL use pg_dump)."""
        from domain import backup
        cfg = current_app.config
        try:
            folder = backup.backup(cfg["DATABASE_URL"], cfg["UPLOAD_DIR"], cfg["DOCUMENT_DIR"],
                                   dest, keep=keep)
        except backup.BackupError as e:
            raise click.ClickException(str(e)) from e
        manifest = backup.read_manifest(folder)
        counts = manifest["counts"]
        click.echo(f"backup written to {folder}: {counts['complaints']} complaints, "
                   f"{counts['events']} history events, {len(manifest['files'])} files, "
                   f"database at migration {manifest['app_version'] or '(none)'}")

    @app.cli.command("restore")
    @click.argument("src", type=click.Path(path_type=Path))
    def restore_command(src):
        """Restore a backup folder into this (empty) instance, check every SHA-256 and
        every history hash chain. Stop the app first."""
        from domain import backup
        cfg = current_app.config
        try:
            report = backup.restore(src, cfg["DATABASE_URL"], cfg["UPLOAD_DIR"],
                                    cfg["DOCUMENT_DIR"])
        except backup.BackupError as e:
            click.echo(f"Error: {e}", err=True)
            raise SystemExit(1)
        click.echo(f"restored {report.folder}: {report.complaints} complaints, "
                   f"{report.events} history events, {report.records} other records, "
                   f"{report.files} files")
        if report.pending:
            click.echo("the code is newer than the backup: run `flask --app app migrate` "
                       f"({', '.join(report.pending)})")
        for problem in report.problems:
            click.echo(problem, err=True)
        if report.problems:
            click.echo(f"{len(report.problems)} problems found", err=True)
            raise SystemExit(1)
        click.echo("every SHA-256 and every history hash chain checked: no problems")

    @app.cli.command("anonymise")
    def anonymise_command():
        """Anonymise the complainants of complaints closed longer ago than the retention
        period (Administration → Privacy; 0 years = off). Run daily from the timer."""
        from extensions import db
        from domain import privacy
        from domain.settings import load_settings
        db.connect(reuse_if_open=True)
        try:
            settings = load_settings()
            if not int(settings.get("retention_years") or 0):
                click.echo("retention period is off (Administration → Privacy); "
                           "nothing anonymised")
                return
            count = privacy.anonymise_expired(settings)
            click.echo(f"{count} complaints anonymised (closed more than "
                       f"{settings['retention_years']} years ago)")
        finally:
            db.close()

    @app.cli.command("privacy-export")
    @click.argument("person")
    @click.option("--admin", "admin_username", required=True,
                  help="The administrator doing the export (recorded in the history).")
    @click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="Write the JSON here instead of printing it.")
    def privacy_export_command(person, admin_username, out):
        """Export every complaint of one person (phone or email) as JSON."""
        from extensions import db
        from domain import privacy
        from domain.errors import DomainError
        from domain.models import User
        db.connect(reuse_if_open=True)
        try:
            admin = User.get_or_none((User.username == admin_username) & User.active)
            if admin is None or not privacy.can_manage_personal_data(admin):
                raise click.ClickException(f"{admin_username} is not an active administrator")
            try:
                data = privacy.export_person(person, admin)
            except DomainError as e:
                raise click.ClickException(str(e.message)) from e
        finally:
            db.close()
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if out:
            out.write_text(text, encoding="utf-8")
            click.echo(f"{len(data['complaints'])} complaints written to {out}")
        else:
            click.echo(text)
