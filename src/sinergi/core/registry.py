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
