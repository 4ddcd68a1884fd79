"""Demo accountability records (责任追究), made through domain/accountability like the app
does: one still under investigation, one proposed, one decided and waiting for the
person's answer, one under appeal, and one final after the appeal was decided.

The lead wires `seed(users, complaints)` into scripts/seed_demo.py (users by username)."""
from domain import accountability as acc

CASES = [  # subject, level, findings, steps, sanction, amount, complaint index
    ("investigator", "direct",
     "调查人员签收投诉后五个工作日内未开展调查，也未申请延期，导致投诉超期，客户再次来电投诉。",
     ("propose", "decide", "appeal", "decide_appeal"), "fine", "300", 0),
    ("logistics", "primary",
     "物流配送部多次发生同类配送延误投诉，部门负责人未组织整改，管理责任明确。",
     ("propose", "decide"), "criticism", None, 1),
    ("head", "leadership",
     "质量管理部对已确认的产品质量问题未按期落实整改措施，造成同类投诉重复发生。",
     ("propose",), "self_criticism", None, 2),
    ("investigator", "direct",
     "回访记录与客户陈述不一致，疑似未实际回访，正在核实通话记录。",
     (), None, None, 3),
]


def seed(users: dict, complaints: list) -> list:
    manager, leader = users["manager"], users["leader"]
    made = []
    for subject, level, findings, steps, sanction, amount, index in CASES:
        complaint = complaints[index] if index < len(complaints) else None
        record = acc.open_record(manager, users[subject], level, findings, complaint=complaint)
        if "propose" in steps:
            record = acc.propose(record, manager, sanction, amount,
                                 "情节属实，按公司投诉责任追究办法提出处理意见。", record.version)
        if "decide" in steps:
            record = acc.decide(record, leader, None, None, "同意投诉管理部门的处理意见。",
                                record.version)
        if "appeal" in steps:
            record = acc.appeal(record, users[subject],
                                "当期调查任务集中，已口头报告部门负责人，请求减轻处理。",
                                record.version)
        if "decide_appeal" in steps:
            record = acc.decide_appeal(record, leader, "varied", "criticism", None,
                                       "考虑到工作量确实集中，改为批评教育。", record.version)
        made.append(record)
    return made
