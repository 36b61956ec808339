from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import StaffMembership, User


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def staff_memberships(user: User):
    """The user's department roles in the active authority."""
    return StaffMembership.objects.filter(user=user).select_related("department")
