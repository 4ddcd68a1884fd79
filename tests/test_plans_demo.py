"""The demo improvement plans (scripts/demo_plans.py) are made through the domain: numbered,
with intact histories, one in progress, one reviewed with a follow-up, one awaiting review."""
from domain.oversight_models import ImprovementPlan, PlanReview
from domain.record_history import verify_record
from scripts.seed_demo import seed


def test_demo_plans_cover_every_status_with_intact_histories(app):
    seed(app.config["UPLOAD_DIR"], complaints=12)  # the demo seeding makes the plans too
    statuses = sorted(p.status for p in ImprovementPlan.select())
    assert statuses == ["active", "active", "completed", "reviewed"]
    review = PlanReview.get()
    assert review.conclusion == "partly" and review.follow_up.parent_id == review.plan_id
    assert all(verify_record(p) == [] for p in ImprovementPlan.select())
