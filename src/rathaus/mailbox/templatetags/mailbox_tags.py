from django import template

from rathaus.mailbox.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_message_count(context) -> int:
    """Unread messages of the logged-in citizen at the authority of this portal."""
    request = context.get("request")
    return unread_count(user=request.user) if request is not None else 0
