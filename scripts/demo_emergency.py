"""Demo group complaints and emergency responses (群体投诉 · 应急响应 · 演练), made through the
domain functions like the app does: the open group complaints get their group details (as a
correction of the intake data), the first one an active emergency response with a team, a
log and a public statement; and a drill of the plan, stood down with its lessons learned.

The lead wires `seed(users, complaints)` into scripts/seed_demo.py (users by username)."""
import datetime as dt

from domain import emergency, intake
from domain.group_models import GroupDetail
from domain.models import Complaint, utcnow
from domain.settings import load_settings
from domain.statuses import EDITABLE_STATUSES

GROUPS = [
    {"group_headcount": 28, "group_location": "浦东旗舰店一楼服务台", "group_mood": "agitated",
     "group_core_demands": "同一批次空气净化器异响，要求统一退货并赔偿往返交通费。",
     "representatives": [{"name": "周建国", "contact": "13816620001"},
                         {"name": "刘海燕", "contact": "13916620002"},
                         {"name": "孙磊", "contact": ""}]},
    {"group_headcount": 9, "group_location": "公司总部接待室", "group_mood": "calm",
     "group_core_demands": "以旧换新活动补贴迟迟未到账，要求说明原因并限期发放。",
     "representatives": [{"name": "何静", "contact": "13621880003"}]},
]
LOG = [  # minutes from activation (negative: written afterwards, it happened before), who, what
    (-30, "leader", "（补记）顾客陆续到服务台聚集，前台报告值班经理。"),
    (None, "investigator", "到达服务台，劝导顾客到二楼会议室，现场秩序平稳。"),
    (None, "head", "与代表周建国、刘海燕座谈，逐项记录诉求；已调取该批次出厂检验记录。"),
    (None, "logistics", "安排饮用水和座位；通知仓库核对该批次库存与在途数量。"),
    (None, "manager", "联系法务确认退货与交通费补偿的处理口径。"),
]
DRILL_LOG = [
    (None, "investigator", "（演练）模拟门店聚集30人，现场组5分钟内到位。"),
    (None, "head", "（演练）与模拟代表沟通，诉求记录完整。"),
    (None, "manager", "（演练）信息发布岗起草告顾客书，审批用时过长。"),
]


def _team(users):
    return [(users["leader"].id, "coordination"), (users["investigator"].id, "on_site"),
            (users["head"].id, "negotiation"), (users["manager"].id, "analysis"),
            (users["manager"].id, "statement"), (users["logistics"].id, "logistics")]


def _open_group_complaints(complaints) -> list:
    return [c for c in complaints if c.severity == "group" and c.status in EDITABLE_STATUSES]


def seed(users: dict, complaints: list) -> list:
    leader, manager = users["leader"], users["manager"]
    made = []
    targets = _open_group_complaints(complaints)
    if not targets:  # a fresh group visit, so that there is something to respond to
        complaint, _code = intake.register(
            {"channel": "group_visit", "received_at": utcnow() - dt.timedelta(hours=1),
             "language": "zh_Hans", "complainant_name": "周建国等28位顾客",
             "complainant_phone": "13816620001", "complainant_email": "",
             "complainant_address": "", "matter": "同一批次空气净化器使用后出现异响。",
             "demand": "统一退货", "order_ref": "", "amount_claimed": None, "nature": "",
             "severity": "group", "urgency": "urgent", "regulator_name": "",
             "regulator_ref": "", "regulator_due": None},
            users["intake"], [], settings=load_settings(), upload_dir=None, max_bytes=0,
            group=dict(GROUPS[0]))
        targets = [complaint]
    for complaint, group in zip(targets, GROUPS):
        complaint = Complaint.get_by_id(complaint.id)
        if GroupDetail.get_or_none(GroupDetail.complaint == complaint.id) is None:
            complaint = intake.update(complaint.id, {}, manager, complaint.version,
                                      group=dict(group))
    first = Complaint.get_by_id(targets[0].id)
    response = emergency.activate(first, leader, "II", f"群体来访 {first.number}：顾客集中到店要求退货",
                                  _team(users))
    start = response.activated_at
    for minutes, who, text in LOG:
        emergency.log(response, users[who], text, happened_at=None if minutes is None
                      else start + dt.timedelta(minutes=minutes))
    emergency.statement(response, manager, "on_site",
                        "各位顾客：我公司已成立专项工作组，正在核查该批次产品，"
                        "将于三个工作日内公布处理方案。")
    made.append(response)
    drill = emergency.start_drill(leader, "III", "模拟：30名顾客在门店聚集，情绪激动，要求集体退货",
                                  _team(users))
    for _minutes, who, text in DRILL_LOG:
        emergency.log(drill, users[who], text)
    drill = emergency.stand_down(drill, leader, "演练按预案完成，各岗位均在规定时间内到位。",
                                 "信息发布审批链条过长，建议授权投诉管理部门先行发布事实性说明；"
                                 "现场组需配备扩音设备。", drill.version)
    made.append(drill)
    return made
