"""Extension points other apps fill in from their AppConfig.ready(): navigation and demo data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise as StrPromise


@dataclass(frozen=True)
class NavItem:
    label: str | StrPromise
    url_name: str
    roles: tuple[str, ...]  # "public" for everyone, "authenticated" for any signed-in user
    order: int = 50


NAV_ITEMS: list[NavItem] = []
DEMO_STEPS: list[tuple[int, str, Callable[..., None]]] = []


def add_nav(label: str | StrPromise, url_name: str, roles: tuple[str, ...], order: int = 50) -> None:
    if not any(item.url_name == url_name for item in NAV_ITEMS):
        NAV_ITEMS.append(NavItem(label, url_name, roles, order))
        NAV_ITEMS.sort(key=lambda item: item.order)


def add_demo_step(order: int, name: str, fn: Callable[..., None]) -> None:
    """fn(stdout) builds one app's demo records; steps run in order after the foundation's."""
    if not any(existing == name for _, existing, _ in DEMO_STEPS):
        DEMO_STEPS.append((order, name, fn))
        DEMO_STEPS.sort(key=lambda step: step[0])


@dataclass(frozen=True)
class Todo:
    """One thing a user should resolve, shown on their home page with a link to the page that resolves it."""

    label: str | StrPromise
    count: int
    url: str
    urgent: bool = False


@dataclass(frozen=True)
class HomePanel:
    """A block on a role's home page, contributed by a later app (core never imports those apps).

    context(request) returns the template's context, or None to hide the panel for this user.
    """

    name: str
    roles: tuple[str, ...]
    template: str
    context: Callable[..., dict | None]
    order: int = 50


HOME_PANELS: list[HomePanel] = []
# Each source returns the to-dos of one app for the signed-in user; zero counts are dropped.
TODO_SOURCES: list[tuple[str, tuple[str, ...], Callable[..., list[Todo]]]] = []


def add_home_panel(
    name: str, roles: tuple[str, ...], template: str, context: Callable[..., dict | None], order: int = 50
) -> None:
    if not any(panel.name == name for panel in HOME_PANELS):
        HOME_PANELS.append(HomePanel(name, roles, template, context, order))
        HOME_PANELS.sort(key=lambda panel: panel.order)


def add_todo_source(name: str, roles: tuple[str, ...], source: Callable[..., list[Todo]]) -> None:
    """source(request) -> list[Todo]; roles as in add_nav ("authenticated" for every signed-in role)."""
    if not any(existing == name for existing, _, _ in TODO_SOURCES):
        TODO_SOURCES.append((name, roles, source))


def _applies(roles: tuple[str, ...], role: str) -> bool:
    return "authenticated" in roles or role in roles


def home_panels_for(request) -> list[tuple[str, dict]]:
    """(template, context) of every panel shown to this user, in order."""
    role = "national_admin" if request.user.is_superuser else request.user.role
    shown = []
    for panel in HOME_PANELS:
        if _applies(panel.roles, role):
            context = panel.context(request)
            if context is not None:
                shown.append((panel.template, context))
    return shown


def todos_for(request) -> list[Todo]:
    role = "national_admin" if request.user.is_superuser else request.user.role
    todos: list[Todo] = []
    for _, roles, source in TODO_SOURCES:
        if _applies(roles, role):
            todos.extend(todo for todo in source(request) if todo.count)
    return sorted(todos, key=lambda todo: (not todo.urgent, str(todo.label)))
