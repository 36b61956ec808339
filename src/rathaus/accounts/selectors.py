from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import StaffMembership, User


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def staff_of_authority():
    """Everyone with a role in a department of the active authority, by name."""
    return (User.objects.filter(memberships__in=StaffMembership.objects.all()).distinct()
            .order_by("last_name", "first_name", "pk"))


def staff_memberships(user: User):
    """The user's department roles in the active authority."""
    return StaffMembership.objects.filter(user=user).select_related("department")
