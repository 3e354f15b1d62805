from django.db.models import Q

from sinergi.accounts.models import Organization, OrganizationQuerySet, User
from sinergi.accounts.scoping import get_visible_or_404, scope_for


def organizations_visible_to(user, *, search: str = "", kind: str = "") -> OrganizationQuerySet:
    qs = Organization.objects.visible_to(user).select_related("region", "parent")
    if search:
        qs = qs.filter(
            Q(name__icontains=search) | Q(short_name__icontains=search) | Q(aliases__icontains=search)
        )
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def organization_detail(user, pk: int) -> Organization:
    return get_visible_or_404(organizations_visible_to(user), pk=pk)


def users_visible_to(user):
    return scope_for(user).users(User.objects.select_related("organization", "region")).order_by("username")
