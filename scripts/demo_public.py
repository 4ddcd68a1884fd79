"""Demo data for the complainant's side (Part E): two complaints sent through the online
form (one with its acknowledgement letter), information added by a complainant from the
status page, and a complainant's own rating of a complaint whose return visit is due.
Everything goes through domain/public.py, as the public pages do.

seed() returns [(number, lookup code)] of the online complaints so that the demo can be
tried at /track; it also prints them (the codes are stored hashed and shown nowhere else).
"""
from flask import current_app

from domain import public
from domain.models import Complaint
from domain.public_letters import issue_acknowledgement
from domain.settings import load_settings

ONLINE = [
    {"complainant_name": "孙丽", "complainant_phone": "13611112222",
     "complainant_email": "sunli@example.com", "language": "zh_Hans",
     "matter": "11月20日在网上商城购买的空气炸锅，收到时外包装破损，锅体有明显凹痕，无法正常使用。",
     "demand": "更换一台新的空气炸锅，并承担退回运费。", "order_ref": "WX-20261120-3381"},
    {"complainant_name": "周明", "complainant_phone": "", "complainant_email": "zhouming@example.com",
     "language": "zh_Hans",
     "matter": "门店会员积分连续两个月没有到账，多次拨打客服电话都无人接听。",
     "demand": "补发积分，并说明原因。", "order_ref": ""},
]


def seed(users: dict, complaints: list, upload_dir=None,
         document_dir=None) -> list[tuple[str, str]]:
    settings = load_settings()
    upload_dir = upload_dir or current_app.config["UPLOAD_DIR"]
    max_bytes = int(settings["max_upload_mb"]) * 1024 * 1024
    made = []
    for i, data in enumerate(ONLINE):
        complaint, code = public.submit_online(data, [], settings=settings,
                                               upload_dir=upload_dir, max_bytes=max_bytes)
        if i == 0 and document_dir is not None:
            issue_acknowledgement(complaint, code, data["language"], settings=settings,
                                  document_dir=document_dir)
        made.append((complaint.number, code))

    fresh = {c.id: Complaint.get_by_id(c.id) for c in complaints}.values()
    investigating = next((c for c in fresh if c.status == "investigating"), None)
    if investigating is not None:
        public.add_information(
            investigating.id, "补充一下：问题第一次出现是在收货后第二天，我已保留了当时的聊天记录截图。",
            [], upload_dir=upload_dir, max_bytes=max_bytes)
    visiting = [c for c in fresh if c.status == "visiting"
                and public.rating_state(c) == "open"]
    if visiting:
        public.rate(visiting[0].id, 4, True, "处理及时，客服态度很好，希望以后能更快回复。",
                    settings)
    for number, code in made:
        print(f"online demo complaint {number}: lookup code {code}")
    return made
