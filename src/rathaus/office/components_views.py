"""The components page for developers: every pattern of the templates, rendered."""

from django.shortcuts import render

from rathaus.accounts.access import staff_required

from .components import sample_context


@staff_required
def components(request):
    return render(request, "office/components.html", sample_context())
