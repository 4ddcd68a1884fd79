"""Online backups of a SQLite instance and restoring them (Part G).

    flask --app app backup DEST [--keep N]
    flask --app app restore SRC

A backup is a folder DEST/redress-YYYYmmdd-HHMMSS/ holding

    redress.db       the database, copied with SQLite's backup API from a connection of its
                     own: one read transaction, so the copy is the database as it was at one
                     instant even while the app keeps writing (WAL lets writers go on);
    uploads/         the evidence files (UPLOAD_DIR);
    documents/       issued letters, dossiers, branding images, reports (DOCUMENT_DIR);
    manifest.json    written last: every file with its SHA-256 and size, the database's
                     SHA-256, the app version (the newest migration applied in the copy) and
                     the number of complaints and history events in the copy.

The database is copied first and the files after it. Files are stored before the
transaction that refers to them commits and are never deleted, so every file the copied
database names is on disk when the files are copied (files added later are copied too,
harmlessly). A folder without manifest.json is an interrupted backup: rotation and restore
ignore it.

Restore refuses an instance that already holds data, checks every hash of the backup before
copying anything, copies, then opens the restored database and recomputes every history hash
chain (domain.history.verify_all, domain.record_history.verify_all_records).

PostgreSQL is not handled here: use pg_dump / pg_restore (and copy the two folders).
"""
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

PREFIX = "redress-"
MANIFEST = "manifest.json"
DB_NAME = "redress.db"
FORMAT = 1
POSTGRES_MESSAGE = ("This command backs up SQLite instances only. The database is PostgreSQL: "
                    "use pg_dump (and pg_restore), and copy UPLOAD_DIR and DOCUMENT_DIR "
                    "yourself.")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


@dataclass
class RestoreReport:
    folder: Path
    files: int = 0
    complaints: int = 0
    events: int = 0
    records: int = 0
    app_version: str = ""
    pending: list[str] = field(default_factory=list)  # migrations newer than the backup
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def sqlite_path(database_url: str) -> Path:
    """The database file of a sqlite:/// URL; BackupError for anything else."""
    if database_url.startswith(("postgres://", "postgresql://")):
        raise BackupError(POSTGRES_MESSAGE)
    if not database_url.startswith("sqlite:///"):
        raise BackupError(f"Unsupported DATABASE_URL: {database_url}")
    return Path(database_url.split("sqlite:///", 1)[1])


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files_under(root: Path):
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _snapshot_facts(db_file: Path) -> dict:
    """App version and counts, read from the copied database."""
    con = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        def scalar(sql, default=None):
            try:
                row = con.execute(sql).fetchone()
            except sqlite3.DatabaseError:
                return default
            return row[0] if row else default
        return {
            "app_version": scalar("SELECT name FROM schema_migration ORDER BY name DESC LIMIT 1",
                                  "") or "",
            "counts": {"complaints": scalar("SELECT count(*) FROM complaint", 0),
                       "events": scalar("SELECT count(*) FROM event", 0),
                       "evidence": scalar("SELECT count(*) FROM evidence", 0),
                       "record_events": scalar("SELECT count(*) FROM record_event", 0)},
        }
    finally:
        con.close()


def _new_folder(dest: Path, now: dt.datetime) -> Path:
    base = dest / f"{PREFIX}{now:%Y%m%d-%H%M%S}"
    folder, n = base, 1
    while folder.exists():
        n += 1
        folder = base.with_name(f"{base.name}-{n}")
    folder.mkdir(parents=True)
    return folder


def backup(database_url: str, upload_dir: Path, document_dir: Path, dest: Path,
           keep: int | None = None, now: dt.datetime | None = None) -> Path:
    """Make one complete backup under `dest`; returns its folder. With `keep`, then delete
    the oldest complete backups beyond that number."""
    source = sqlite_path(database_url)
    if not source.exists():
        raise BackupError(f"There is no database at {source}.")
    if keep is not None and keep < 1:
        raise BackupError("--keep must be 1 or more.")
    dest = Path(dest)
    now = now or dt.datetime.now()
    folder = _new_folder(dest, now)

    # 1. The database, from a connection of its own (not the app's), in one step: the
    #    backup API reads every page inside one read transaction.
    target = folder / DB_NAME
    src = sqlite3.connect(str(source), timeout=30)
    try:
        src.execute("PRAGMA busy_timeout = 30000")
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)  # pages=-1: all at once, a consistent snapshot
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            dst.close()
    finally:
        src.close()

    # 2. The files, after the database (see the module docstring).
    files = {}
    for label, root in (("uploads", Path(upload_dir)), ("documents", Path(document_dir))):
        for path in _files_under(root):
            rel = Path(label) / path.relative_to(root)
            copy = folder / rel
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)
            files[rel.as_posix()] = {"sha256": sha256_of(copy), "size": copy.stat().st_size}

    # 3. The manifest, last: its presence marks the backup complete.
    facts = _snapshot_facts(target)
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "app_version": facts["app_version"],
        "database": {"file": DB_NAME, "sha256": sha256_of(target),
                     "size": target.stat().st_size},
        "counts": facts["counts"],
        "files": files,
    }
    partial = folder / (MANIFEST + ".part")
    with open(partial, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    partial.replace(folder / MANIFEST)

    if keep is not None:
        rotate(dest, keep)
    return folder


def complete_backups(dest: Path) -> list[Path]:
    """Complete backups under `dest`, oldest first (by the timestamp in their name)."""
    dest = Path(dest)
    if not dest.is_dir():
        return []
    return sorted(p for p in dest.iterdir()
                  if p.is_dir() and p.name.startswith(PREFIX) and (p / MANIFEST).is_file())


def rotate(dest: Path, keep: int) -> list[Path]:
    """Delete the oldest complete backups beyond `keep`; incomplete ones are left alone."""
    backups = complete_backups(dest)
    removed = backups[:-keep] if len(backups) > keep else []
    for folder in removed:
        shutil.rmtree(folder)
    return removed


def read_manifest(folder: Path) -> dict:
    folder = Path(folder)
    path = folder / MANIFEST
    if not folder.is_dir():
        raise BackupError(f"{folder} is not a folder.")
    if not path.is_file():
        raise BackupError(f"{folder} has no {MANIFEST}: the backup is incomplete and cannot "
                          "be restored.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as e:
        raise BackupError(f"{path} is not valid JSON: {e}") from e
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: unknown backup format {manifest.get('format')!r}.")
    return manifest


def check_backup(folder: Path, manifest: dict) -> list[str]:
    """Every hash and size of the backup against its manifest."""
    problems = []
    entries = {manifest["database"]["file"]: manifest["database"]}
    entries.update(manifest["files"])
    for rel, entry in entries.items():
        path = Path(folder) / rel
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            problems.append(f"{rel}: not a path inside the backup")
        elif not path.is_file():
            problems.append(f"{rel}: missing from the backup")
        elif path.stat().st_size != entry["size"]:
            problems.append(f"{rel}: size {path.stat().st_size}, manifest says {entry['size']}")
        elif sha256_of(path) != entry["sha256"]:
            problems.append(f"{rel}: content does not match its SHA-256")
    return problems


def instance_problems(db_file: Path, upload_dir: Path, document_dir: Path) -> list[str]:
    """Why the target instance is not empty (empty list: it is)."""
    problems = []
    if db_file.exists() and db_file.stat().st_size > 0:
        con = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            for table in ("complaint", "user"):
                if table in tables and con.execute(
                        f'SELECT count(*) FROM "{table}"').fetchone()[0]:
                    problems.append(f"the database {db_file} already has data ({table})")
                    break
        finally:
            con.close()
    for root in (upload_dir, document_dir):
        if next(_files_under(Path(root)), None) is not None:
            problems.append(f"{root} already has files")
    return problems


def restore(folder: Path, database_url: str, upload_dir: Path, document_dir: Path
            ) -> RestoreReport:
    """Restore the backup in `folder` into the (empty) instance named by the arguments.

    Raises BackupError when nothing was restored (incomplete or damaged backup, non-empty
    instance); returns a report whose `problems` list what the checks of the restored
    instance found."""
    folder = Path(folder)
    target = sqlite_path(database_url)
    upload_dir, document_dir = Path(upload_dir), Path(document_dir)
    manifest = read_manifest(folder)
    occupied = instance_problems(target, upload_dir, document_dir)
    if occupied:
        raise BackupError("The target instance is not empty, nothing was restored: "
                          + "; ".join(occupied) + ". Restore into a new, empty instance "
                          "(REDRESS_INSTANCE / DATABASE_URL / UPLOAD_DIR / DOCUMENT_DIR).")
    damaged = check_backup(folder, manifest)
    if damaged:
        raise BackupError("The backup is damaged, nothing was restored:\n" + "\n".join(damaged))

    # An empty database file (created by a migrate on the new instance) is replaced.
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(folder / manifest["database"]["file"], target)
    report = RestoreReport(folder=folder, app_version=manifest.get("app_version", ""))
    if sha256_of(target) != manifest["database"]["sha256"]:
        report.problems.append("the restored database does not match the backup's SHA-256")
    for rel, entry in manifest["files"].items():
        label, _, rest = rel.partition("/")
        root = upload_dir if label == "uploads" else document_dir if label == "documents" else None
        if root is None:
            report.problems.append(f"{rel}: not under uploads/ or documents/")
            continue
        copy = root / rest
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(folder / rel, copy)
        if sha256_of(copy) != entry["sha256"]:
            report.problems.append(f"{rel}: the restored copy does not match its SHA-256")
        report.files += 1

    report.problems.extend(_verify_restored(target, manifest, report))
    return report


def _verify_restored(target: Path, manifest: dict, report: RestoreReport) -> list[str]:
    """Open the restored database through the app's models and recompute every chain."""
    from extensions import db
    from domain.database import open_database, pending_migrations
    from domain.history import verify_all
    from domain.models import Complaint, Event
    from domain.record_history import verify_all_records

    previous = db.obj
    database = open_database(f"sqlite:///{target}")
    problems = []
    try:
        database.connect(reuse_if_open=True)
        report.complaints, history_problems = verify_all()
        report.records, record_problems = verify_all_records()
        problems += history_problems + record_problems
        report.events = Event.select().count()
        counts = manifest.get("counts", {})
        if Complaint.select().count() != counts.get("complaints"):
            problems.append(f"{Complaint.select().count()} complaints restored, the manifest "
                            f"says {counts.get('complaints')}")
        if report.events != counts.get("events"):
            problems.append(f"{report.events} history events restored, the manifest says "
                            f"{counts.get('events')}")
        report.pending = pending_migrations(database)
    finally:
        if not database.is_closed():
            database.close()
        if previous is not None and previous is not database:
            db.initialize(previous)
    return problems
