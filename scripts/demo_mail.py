"""Demo email intake (邮件受理): two complaints that arrived by email, taken in through
domain/mail_intake.py exactly as `flask --app app fetch-mail` does (one with a receipt
attached, one HTML-only message). Email sending stays off in the demo: there is no mail
server; an administrator turns it on under Administration → Email. Called by
scripts/seed_demo.py with the demo users by username and the demo complaints."""
import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime

from flask import current_app

from domain.mail_intake import register_message
from domain.models import utcnow
from domain.settings import load_settings

RECEIPT = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
           b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _message(sender, subject, when, message_id, text=None, html=None, attachment=None):
    msg = EmailMessage()
    msg["From"], msg["To"] = sender, "complaints@redress.example"
    msg["Subject"], msg["Message-ID"] = subject, message_id
    msg["Date"] = format_datetime(when.replace(tzinfo=dt.timezone.utc))
    if text:
        msg.set_content(text)
    else:
        msg.set_content(html, subtype="html")
    if attachment:
        msg.add_attachment(attachment[1], maintype="application", subtype="pdf",
                           filename=attachment[0])
    return msg.as_bytes()


def seed(users: dict, complaints: list, upload_dir=None) -> None:
    settings = load_settings()
    upload_dir = upload_dir or current_app.config["UPLOAD_DIR"]
    now = utcnow()
    messages = [
        _message("孙丽 <sun.li@example.com>", "会员积分被无故清零", now - dt.timedelta(hours=5),
                 "<demo-points-1@mail.example.com>",
                 text="您好：\n\n我的会员卡（尾号 3317）上月还有 2,860 积分，今天去门店结账时发现积分"
                      "被清零，店员说是系统调整，但我没有收到任何通知。请帮我恢复积分并说明原因。\n\n"
                      "附件是上月的积分账单。\n\n孙丽\n13912345678",
                 attachment=("积分账单.pdf", RECEIPT)),
        _message("周强 <zhou.qiang@example.com>", "网购的空气净化器少发了滤网",
                 now - dt.timedelta(hours=2), "<demo-filter-1@mail.example.com>",
                 html="<p>客服您好，</p><p>11月20日在官网下单的空气净化器（订单号 "
                      "<b>WX20261120-5521</b>）今天到货，包装里没有随机滤网。</p>"
                      "<p>请尽快补发。<br>周强</p>"),
    ]
    for raw in messages:
        register_message(raw, settings=settings, upload_dir=upload_dir)
