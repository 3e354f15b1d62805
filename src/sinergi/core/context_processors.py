from django.urls import NoReverseMatch, reverse

from sinergi.core import two_factor
from sinergi.core.registry import NAV_ITEMS


def navigation(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    role = getattr(user, "role", None) if signed_in else None
    items = []
    for item in NAV_ITEMS:
        allowed = "public" in item.roles or (
            signed_in and ("authenticated" in item.roles or role in item.roles)
        )
        if not allowed:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "active": request.path.startswith(url) and url != "/"})
    # One indexed count per signed-in page view: the unread badge beside "Notifikasi".
    unread = user.notifications.filter(read_at__isnull=True).count() if signed_in else 0
    return {
        "nav_items": items,
        "unread_notifications": unread,
        "two_factor_link": two_factor.applies_to(user),
    }
