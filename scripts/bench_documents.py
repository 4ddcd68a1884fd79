"""In-process timings of documents (scripts/bench.py --documents): a Chinese formal response
letter and the archive dossier of a complaint with about 200 history events, each measured
after one warm-up on a fresh database of its own."""
import statistics
import tempfile
import time
from pathlib import Path


def measure(rounds: int = 5) -> dict:
    from app import create_app
    from config import TestConfig
    from domain import dossier, intake, letters
    from domain.database import migrate
    from domain.letter_context import build
    from domain.settings import load_settings
    from tests.factories import make_complaint, make_user
    from tests.workflow_helpers import ROUTES, drive, make_cast, run_steps

    app = create_app(TestConfig(Path(tempfile.mkdtemp(prefix="redress-docs-"))))
    migrate()
    with app.test_request_context():
        settings = load_settings()
        cast = make_cast(app)
        complaint = drive(cast, "approved")
        actor = make_user("manager")

        def issue_response():
            context = build(complaint, "response", settings, app.config["DOCUMENT_DIR"],
                            for_pdf=True)
            paragraphs = letters.default_paragraphs("response", complaint.language)
            return letters.issue(complaint, "response", complaint.language, paragraphs, actor,
                                 context=context, document_dir=app.config["DOCUMENT_DIR"],
                                 settings=settings)

        letter_times, letter = _timed(issue_response, rounds)
        # A long history: intake corrections while it is open, then on to closing.
        busy = make_complaint(app, registered_by=cast.intake)
        for i in range(184):
            busy = intake.update(busy.id, {"demand": f"补充诉求第 {i + 1} 次"}, actor,
                                 busy.version)
        busy = run_steps(cast, busy, ROUTES["closed"])
        dossier_times, made = _timed(lambda: dossier.render(
            busy, actor, settings, app.config["DOCUMENT_DIR"]), max(2, rounds // 2))
    return {
        "letter_response_zh": {"median_s": round(statistics.median(letter_times), 3),
                               "max_s": round(max(letter_times), 3), "pages": letter.pages,
                               "bytes": letter.size},
        "dossier_200_events": {"events": busy.history_count,
                               "median_s": round(statistics.median(dossier_times), 3),
                               "max_s": round(max(dossier_times), 3), "pages": made.pages,
                               "bytes": made.size},
    }


def _timed(fn, rounds):
    result = fn()  # warm-up
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return times, result
