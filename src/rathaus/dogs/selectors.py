"""Reading the dog register."""

from .models import Dog


def dogs_of(*, holder):
    """The holder's dogs at the active authority, those still kept first."""
    return Dog.objects.filter(holder=holder).order_by("given_up_on", "name")
