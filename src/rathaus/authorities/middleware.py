from django.shortcuts import render

from .selectors import authority_for_host
from .tenancy import authority_context


class AuthorityMiddleware:
    """Activates the authority that the request's host name belongs to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        authority = authority_for_host(request.get_host())
        if authority is None:
            return render(request, "errors/no_authority.html", status=503)
        request.authority = authority
        with authority_context(authority):
            return self.get_response(request)
