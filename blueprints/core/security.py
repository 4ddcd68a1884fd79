"""Security headers on every response.

Pages get a policy that allows only this site's own files (no inline script or style, no
framing). Anything that is not a page or a PDF (uploaded evidence, exports, images, plain
text errors) gets a sandbox policy by default, so even a file a browser might sniff as HTML
could run nothing; views that serve files set their own stricter or PDF-specific policy,
which is kept."""
from flask import request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'self'; object-src 'none'")
# Any other content: nothing loads, nothing runs, no framing.
SANDBOX_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"
# PDFs open in the browser's own viewer: a sandbox or a style policy can stop Chrome's
# viewer from drawing them, so only framing is restricted (as blueprints.web.send_stored_pdf).
PDF_CSP = "frame-ancestors 'self'"
HSTS = "max-age=31536000"


def policy_for(mimetype: str) -> str:
    if mimetype == "text/html":
        return CSP
    if mimetype == "application/pdf":
        return PDF_CSP
    return SANDBOX_CSP


def install_security_headers(app):
    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", policy_for(response.mimetype))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        # Behind TLS only (SESSION_COOKIE_SECURE=1, or the request came over HTTPS through
        # a trusted proxy): browsers then refuse plain HTTP to this host for a year.
        if app.config.get("SESSION_COOKIE_SECURE") or request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response
