"""Nothing shown to someone logged in stays in a cache (OWASP ASVS 8.2.1, issue 11).

Pages for a citizen or staff member carry personal data ("Meine Daten", case pages,
the office, the mailbox); browsers and proxies must not keep them, and the back button
after logging out must not show them. `PrivateResponseMiddleware` adds
`Cache-Control: private, no-store` to every response to an authenticated request whose
view set no Cache-Control of its own; a view that did (the mailbox: `private,
no-store`; the public receipt keys and open data: `public, max-age=300`) keeps it.
Anonymous requests are left alone, so the anonymous home page cache keeps working.
The short stack of the machine interfaces (api_handler) has no login and no such need.
"""


class PrivateResponseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # Asked after the view: a login in this request counts, a logout does not.
        if (user is not None and user.is_authenticated
                and not response.has_header("Cache-Control")):
            response["Cache-Control"] = "private, no-store"
        return response
