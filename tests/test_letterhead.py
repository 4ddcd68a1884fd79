"""Letterhead settings (contact details, logo, seal) and the letters' editable wording."""
import html
import io
import json
import os
import re

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from domain import letters
from domain.letter_models import LetterText
from domain.settings import load_settings
from tests.factories import make_user


@pytest.fixture
def admin(login_as):
    return login_as("admin")


def field_error(page: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    return html.unescape(match.group(1)) if match else ""


def letterhead_form(**overrides) -> dict:
    data = {"org_address": "8 Harbour Road, Qingdao", "org_address_zh": "青岛市港湾路8号",
            "org_phone": "+86 532 8888 0000", "org_email": "service@harbour.example",
            "org_website": "www.harbour.example", "signatory_name": "Wang Li",
            "signatory_name_zh": "王丽", "signatory_title": "Head of Customer Relations",
            "signatory_title_zh": "客户关系部部长", "letter_prefix": "GW",
            "letter_language": "en", "letter_footer": "Registered office: Qingdao",
            "letter_footer_zh": "注册地址：青岛", "appeal_days": "20"}
    data.update(overrides)
    return data


def image_bytes(size, mode="RGB", fmt="PNG", transparent=False, **save) -> bytes:
    img = Image.new(mode, size, (200, 30, 30, 0) if mode == "RGBA" else (200, 30, 30))
    if transparent:  # an opaque disc on a transparent background
        from PIL import ImageDraw
        ImageDraw.Draw(img).ellipse((0, 0, size[0] - 1, size[1] - 1), fill=(200, 0, 0, 255))
    out = io.BytesIO()
    img.save(out, fmt, **save)
    return out.getvalue()


def upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=name, content_type="application/octet-stream")


def post_letterhead(client, **overrides):
    """The letterhead form as multipart, encoded in memory (the test client's own encoder
    spools big bodies to a temporary file it never closes)."""
    boundary, body = encode_multipart(MultiDict(letterhead_form(**overrides)))
    return client.post("/admin/letterhead", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def branding_files(app) -> list:
    folder = app.config["DOCUMENT_DIR"] / "branding"
    return sorted(folder.iterdir()) if folder.exists() else []


# --- letterhead -----------------------------------------------------------------------------

def test_admin_saves_the_letterhead(admin):
    page = admin.get("/admin/letterhead")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.get_data(as_text=True)
    response = admin.post("/admin/letterhead", data=letterhead_form())
    assert response.status_code == 303, response.get_data(as_text=True)
    settings = load_settings()
    assert settings["org_address_zh"] == "青岛市港湾路8号"
    assert settings["org_phone"] == "+86 532 8888 0000"
    assert settings["signatory_title"] == "Head of Customer Relations"
    assert settings["letter_prefix"] == "GW"
    assert settings["letter_language"] == "en"
    assert settings["letter_footer_zh"] == "注册地址：青岛"
    assert settings["appeal_days"] == 20
    again = admin.get("/admin/letterhead").get_data(as_text=True)
    assert 'value="青岛市港湾路8号"' in again


@pytest.mark.parametrize("field,value", [
    ("letter_prefix", "gw-1"), ("appeal_days", "0"), ("org_email", "not-an-email"),
    ("signatory_name", "<b>Wang</b>"), ("letter_language", "fr")])
def test_bad_letterhead_input_is_refused_beside_the_field(admin, field, value):
    response = admin.post("/admin/letterhead", data=letterhead_form(**{field: value}))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), field)
    assert load_settings()["org_address"] == ""  # nothing saved


@pytest.mark.parametrize("role", ["intake", "manager", "leader", "auditor"])
def test_non_admins_may_not_change_the_letterhead_or_the_letter_texts(login_as, role):
    client = login_as(role)
    assert client.get("/admin/letterhead").status_code == 403
    assert client.post("/admin/letterhead", data=letterhead_form()).status_code == 403
    assert client.get("/admin/letter-texts").status_code == 403
    assert client.get("/admin/letter-texts/acknowledgement/en").status_code == 403
    assert client.post("/admin/letter-texts/acknowledgement/en",
                       data={"opening": "x", "next_steps": "y", "closing": "z"}).status_code == 403
    assert client.get("/admin/letter-texts/acknowledgement/en/preview").status_code == 403
    assert client.post("/admin/letter-texts/acknowledgement/en/default").status_code == 403
    assert client.get("/admin/letter-print.css").status_code == 403
    assert load_settings()["org_address"] == ""
    assert LetterText.select().count() == 0


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get("/admin/letterhead")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_png_logo_is_shrunk_keeping_transparency(app, admin):
    response = post_letterhead(admin, logo=upload(
        image_bytes((1200, 400), "RGBA", transparent=True), "logo.png"))
    assert response.status_code == 303, response.get_data(as_text=True)
    name = load_settings()["logo_file"]
    assert re.fullmatch(r"[0-9a-f]{32}\.png", name)
    with Image.open(app.config["DOCUMENT_DIR"] / "branding" / name) as stored:
        assert stored.format == "PNG" and stored.size == (600, 200)
        assert stored.mode == "RGBA" and stored.getchannel("A").getextrema()[0] == 0
    # Shown on the page through an admin-only route, never from static/.
    page = admin.get("/admin/letterhead").get_data(as_text=True)
    assert f'src="/admin/branding/{name}"' in page
    image = admin.get(f"/admin/branding/{name}")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.get_data().startswith(b"\x89PNG")
    image.close()


def test_a_jpeg_logo_is_shrunk_and_its_metadata_dropped(app, admin):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    jpeg = image_bytes((2000, 1000), fmt="JPEG", exif=exif.tobytes())
    response = post_letterhead(admin, logo=upload(jpeg, "logo.jpg"))
    assert response.status_code == 303, response.get_data(as_text=True)
    path = app.config["DOCUMENT_DIR"] / "branding" / load_settings()["logo_file"]
    assert path.suffix == ".jpg"
    with Image.open(path) as stored:
        assert stored.format == "JPEG" and stored.size == (600, 300)
        assert not stored.getexif() and "exif" not in stored.info
    assert b"SecretCam" not in path.read_bytes()


def test_a_new_logo_keeps_the_old_file(app, admin):
    for colour in ("first.png", "second.png"):
        post_letterhead(admin, logo=upload(image_bytes((300, 100)), colour))
    files = branding_files(app)
    assert len(files) == 2
    assert load_settings()["logo_file"] in {f.name for f in files}
    # Removing the logo from the letters keeps the file as well.
    post_letterhead(admin, remove_logo="y")
    assert load_settings()["logo_file"] == ""
    assert len(branding_files(app)) == 2


def test_a_seal_with_transparency_is_accepted_and_shrunk(app, admin):
    seal = image_bytes((1600, 1600), "RGBA", transparent=True)
    response = post_letterhead(admin, seal=upload(seal, "seal.png"))
    assert response.status_code == 303, response.get_data(as_text=True)
    with Image.open(app.config["DOCUMENT_DIR"] / "branding" / load_settings()["seal_file"]) as s:
        assert s.format == "PNG" and s.size == (800, 800) and s.mode == "RGBA"
        assert s.getchannel("A").getextrema() == (0, 255)


def _refused(app, admin, field, data, name):
    before = load_settings()
    response = post_letterhead(admin, **{field: upload(data, name)})
    assert response.status_code == 422
    message = field_error(response.get_data(as_text=True), field)
    assert message
    after = load_settings()
    assert after == before  # nothing saved, not even the text fields
    assert branding_files(app) == []
    return message


def test_a_seal_without_transparency_is_refused(app, admin):
    message = _refused(app, admin, "seal", image_bytes((400, 400)), "seal.png")
    assert "transparent background" in message
    # An RGBA image whose every pixel is opaque would print a white box: refused too.
    opaque = Image.new("RGBA", (400, 400), (255, 255, 255, 255))
    out = io.BytesIO()
    opaque.save(out, "PNG")
    assert "transparent background" in _refused(app, admin, "seal", out.getvalue(), "seal.png")


def test_a_jpeg_seal_is_refused(app, admin):
    assert "PNG" in _refused(app, admin, "seal", image_bytes((400, 400), fmt="JPEG"), "seal.png")


def test_an_html_file_named_seal_png_is_refused(app, admin):
    html = b"<html><body><script>alert(1)</script></body></html>"
    assert _refused(app, admin, "seal", html, "seal.png")
    assert "PNG or JPEG" in _refused(app, admin, "logo", html, "logo.png")


def test_a_damaged_png_is_refused(app, admin):
    data = image_bytes((300, 100))
    assert "damaged" in _refused(app, admin, "logo", data[:60] + b"\x00" * 40, "logo.png")


def test_an_image_over_2_mb_is_refused(app, admin):
    noise = Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000))
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert out.tell() > 2 * 1024 * 1024
    assert "2 MB" in _refused(app, admin, "logo", out.getvalue(), "logo.png")


def test_branding_route_serves_only_stored_names(admin):
    assert admin.get("/admin/branding/..%2Fsecret_key").status_code == 404
    assert admin.get("/admin/branding/" + "a" * 32 + ".png").status_code == 404


# --- letter texts ---------------------------------------------------------------------------

ACK = {"opening": "We have your complaint.", "next_steps": "We will look into it.",
       "closing": "Quote your number."}


def paragraphs(app, kind="acknowledgement", language="en") -> dict:
    with app.test_request_context():
        return letters.default_paragraphs(kind, language)


def test_the_list_offers_every_kind_in_both_languages(admin):
    page = admin.get("/admin/letter-texts").get_data(as_text=True)
    for kind in letters.KINDS:
        for language in ("en", "zh_Hans"):
            assert f"/admin/letter-texts/{kind}/{language}" in page


def test_the_form_shows_the_wording_in_use(admin):
    page = admin.get("/admin/letter-texts/rejection/en").get_data(as_text=True)
    assert "market regulator (12315)" in page
    assert admin.get("/admin/letter-texts/nonsense/en").status_code == 404
    assert admin.get("/admin/letter-texts/rejection/fr").status_code == 404


def test_saving_a_letter_text_makes_it_the_wording_in_use(app, admin):
    default = paragraphs(app)
    response = admin.post("/admin/letter-texts/acknowledgement/en", data=ACK)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert paragraphs(app) == ACK
    assert paragraphs(app, language="zh_Hans") != ACK  # the other language is untouched
    assert default != ACK
    page = admin.get("/admin/letter-texts").get_data(as_text=True)
    assert "Own wording" in page


def test_html_in_a_paragraph_is_refused(app, admin):
    response = admin.post("/admin/letter-texts/acknowledgement/en",
                          data=dict(ACK, closing='Thanks <script>alert(1)</script>'))
    assert response.status_code == 422
    assert "Plain text only" in field_error(response.get_data(as_text=True), "closing")
    assert LetterText.select().count() == 0


def test_a_paragraph_over_4000_characters_or_empty_is_refused(admin):
    response = admin.post("/admin/letter-texts/acknowledgement/en",
                          data=dict(ACK, opening="x" * 4001))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "opening")
    response = admin.post("/admin/letter-texts/acknowledgement/en", data=dict(ACK, closing=" "))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "closing")
    assert LetterText.select().count() == 0


def test_back_to_default_restores_the_default(app, admin):
    default = paragraphs(app, "response", "zh_Hans")
    custom = {"opening": "调查已完成。", "follow_up": "我们会回访。", "closing": "谢谢。"}
    admin.post("/admin/letter-texts/response/zh_Hans", data=custom)
    assert paragraphs(app, "response", "zh_Hans") == custom
    response = admin.post("/admin/letter-texts/response/zh_Hans/default")
    assert response.status_code == 303
    assert paragraphs(app, "response", "zh_Hans") == default
    row = LetterText.get()
    assert not row.active and json.loads(row.paragraphs) == custom


def test_rows_are_never_deleted(app, admin):
    for n in range(3):
        admin.post("/admin/letter-texts/extension/en",
                   data={"opening": f"Version {n}.", "closing": "Sorry."})
        assert LetterText.select().count() == n + 1
    rows = list(LetterText.select().order_by(LetterText.id))
    assert [r.active for r in rows] == [False, False, True]
    assert paragraphs(app, "extension")["opening"] == "Version 2."
    admin.post("/admin/letter-texts/extension/en/default")
    assert LetterText.select().count() == 3
    assert LetterText.select().where(LetterText.active).count() == 0
    page = admin.get("/admin/letter-texts/extension/en").get_data(as_text=True)
    assert page.count("No longer in use") == 3


def test_preview_shows_the_letter_with_the_wording_in_use(app, admin):
    admin.post("/admin/letter-texts/acknowledgement/en",
               data=dict(ACK, closing="Fish & chips, 5 > 3."))
    response = admin.get("/admin/letter-texts/acknowledgement/en/preview")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "Fish &amp; chips, 5 &gt; 3." in html  # escaped, never markup
    assert "We have your complaint." in html
    assert 'href="/admin/letter-print.css"' in html
    assert "Sample Complainant" in html
    css = admin.get("/admin/letter-print.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert b"@page" in css.get_data()
    css.close()


def test_preview_of_unsaved_text_saves_nothing(admin):
    response = admin.post("/admin/letter-texts/rejection/zh_Hans/preview",
                          data={"opening": "未保存的开头。", "other_routes": "可拨打12315。",
                                "closing": "此致。"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "未保存的开头。" in html and 'lang="zh-Hans"' in html
    assert LetterText.select().count() == 0
    refused = admin.post("/admin/letter-texts/rejection/zh_Hans/preview",
                         data={"opening": "<img src=x>", "other_routes": "a", "closing": "b"})
    assert refused.status_code == 422


@pytest.mark.parametrize("kind", list(letters.KINDS))
@pytest.mark.parametrize("language", ["en", "zh_Hans"])
def test_every_kind_previews_in_both_languages(app, admin, kind, language):
    post_letterhead(admin, logo=upload(image_bytes((300, 100)), "logo.png"),
                    seal=upload(image_bytes((300, 300), "RGBA", transparent=True), "seal.png"))
    html = admin.get(f"/admin/letter-texts/{kind}/{language}/preview").get_data(as_text=True)
    settings = load_settings()
    assert f'src="/admin/branding/{settings["logo_file"]}"' in html
    assert f'src="/admin/branding/{settings["seal_file"]}"' in html
    assert "<script" not in html


def test_admin_pages_link_to_each_other(admin):
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert 'href="/admin/letterhead"' in page and 'href="/admin/letter-texts"' in page
