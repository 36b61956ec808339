"""E-mail leaves through the task queue, so a failing mail server never fails or
slows the request that caused the message; the queued task keeps it until it is sent."""

from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(*, to: str, subject: str, body: str) -> None:
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[to])
