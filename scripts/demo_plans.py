"""Demo improvement plans (改进计划), made through domain/plans.py like the app does: one in
progress from two complaints (one measure done), one from a root cause whose measures are
all done and that was reviewed as partly effective with a follow-up plan, and one whose
measures are done and that waits for its review. Called by scripts/seed_demo.py with the
demo users by username and the demo complaints."""
import datetime as dt

from domain import plans
from domain.deadlines import local_date
from domain.models import utcnow
from domain.oversight_models import ImprovementPlan, PlanMeasure
from domain.plans_figures import default_periods
from domain.settings import load_settings
from domain.stage_models import RootCause


def _done_all(plan, actor):
    for measure in list(plan.measures):
        if measure.done_at is None:
            plan = ImprovementPlan.get_by_id(plan.id)
            plans.mark_measure_done(measure.id, actor, plan.version, "已按计划完成。")
    return ImprovementPlan.get_by_id(plan.id)


def seed(users: dict, complaints: list) -> None:
    settings = load_settings()
    today = local_date(utcnow(), settings)
    day = dt.timedelta(days=1)
    manager, leader, head = users["manager"], users["leader"], users["head"]
    logistics, investigator = users["logistics"], users["investigator"]
    quality = head.department_id

    delivery = [c for c in complaints if c.department_id == logistics.department_id][:2] \
        or complaints[:2]
    first = plans.create_plan(
        manager, title="配送延误投诉专项整治", settings=settings,
        problem="近两个月配送延误类投诉明显增多，主要集中在周末和促销期间，顾客反映承诺时效未兑现。",
        target="三个月内配送延误类投诉下降50%，平均处理时长不超过5天。",
        department=logistics.department_id, owner=logistics.id,
        starts_on=today - 20 * day, ends_on=today + 70 * day,
        complaint_ids=[c.id for c in delivery],
        measures=[
            {"text": "周末及促销期间增加临时配送班次", "owner_id": logistics.id,
             "department_id": logistics.department_id, "due_on": today - 5 * day},
            {"text": "下单页面如实显示预计送达时间", "owner_id": manager.id,
             "due_on": today + 20 * day},
            {"text": "超时订单由客服主动致电说明并致歉", "owner_id": users["intake"].id,
             "due_on": today + 30 * day},
        ])
    plans.mark_measure_done(first.measures.order_by(PlanMeasure.position).first().id,
                            logistics, first.version, "已与第三方物流签订周末加班协议。")

    cause = RootCause.get_or_none(RootCause.code == "product_defect") or RootCause.select().first()
    second = plans.create_plan(
        manager, title="来料检验补强", settings=settings, root_cause=cause.id,
        problem="因产品缺陷引发的投诉反复出现，来料检验未覆盖渗漏、耐压等关键项目。",
        target="产品缺陷类投诉半年内下降40%。", department=quality, owner=head.id,
        starts_on=today - 120 * day, ends_on=today - 10 * day,
        measures=[
            {"text": "来料检验增加渗漏与耐压测试", "owner_id": investigator.id,
             "department_id": quality, "due_on": today - 90 * day},
            {"text": "对主要供应商开展质量审核", "owner_id": head.id,
             "department_id": quality, "due_on": today - 60 * day},
        ])
    second = _done_all(second, head)
    plans.review(
        second.id, leader, second.version, settings=settings,
        periods=default_periods(second, today), conclusion="partly",
        note="产品缺陷类投诉有所下降，但未达到目标；供应商审核发现的问题尚未全部整改。",
        follow_up={
            "title": "供应商质量问题闭环整改", "problem": "供应商审核发现的问题整改不到位。",
            "target": "三个月内产品缺陷类投诉再下降20%。", "owner": head.id,
            "starts_on": today, "ends_on": today + 90 * day,
            "measures": [{"text": "逐项跟踪供应商整改并复审", "owner_id": head.id,
                          "department_id": quality, "due_on": today + 45 * day}]})

    third = plans.create_plan(
        leader, title="服务用语规范培训", settings=settings, nature="service",
        problem="门店员工服务态度类投诉偏多。", target="服务类投诉两个月内下降30%。",
        owner=manager.id, starts_on=today - 60 * day, ends_on=today - 1 * day,
        complaint_ids=[c.id for c in complaints if c.nature == "service"][:1],
        measures=[{"text": "全体门店员工服务用语培训并考核", "owner_id": manager.id,
                   "due_on": today - 30 * day}])
    _done_all(third, manager)
