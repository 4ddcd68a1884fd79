"""In-process timing of the ledger XLSX export (scripts/bench.py --export): every seeded
complaint (100,000 by default) written as the bench manager, in a child process so that its
peak RSS is the export's own. Prints JSON: rows, seconds, file size, peak RSS before and
after (MB). Needs REDRESS_INSTANCE / DATABASE_URL pointing at the bench database."""
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def measure(fmt: str = "xlsx") -> dict:
    from app import create_app
    from extensions import db
    from domain import ledger
    from domain.models import Complaint, User
    from domain.queries import ComplaintFilter
    from domain.settings import load_settings
    from scripts.bench_seed import BENCH_USER

    app = create_app()
    with app.test_request_context():
        db.connect(reuse_if_open=True)
        settings = load_settings()
        user = User.get(User.username == BENCH_USER)
        query = ComplaintFilter().query(user)
        oldest = query.select(Complaint.received_at).order_by(Complaint.received_at).limit(1).scalar()
        from domain.deadlines import local_date
        first = local_date(oldest, settings)
        rows = query.count()
        before = _rss_mb()
        t0 = time.perf_counter()
        sql, params = ledger.ledger_sql(query, settings, first, excel=(fmt == "xlsx"))
        if fmt == "xlsx":
            path = ledger.write_xlsx(sql, params, True, "台账")
            size = os.path.getsize(path)
            os.unlink(path)
        else:
            size = sum(len(chunk.encode()) for chunk in ledger.csv_chunks(sql, params, True))
        seconds = time.perf_counter() - t0
        db.close()
    return {"format": fmt, "rows": rows, "seconds": round(seconds, 1),
            "file_mb": round(size / 2**20, 1), "peak_rss_mb_before": before,
            "peak_rss_mb_after": _rss_mb()}


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1] if len(sys.argv) > 1 else "xlsx")))
