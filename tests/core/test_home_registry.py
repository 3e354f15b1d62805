"""Later apps put panels and to-dos on the home page through core's registry."""

import pytest
from django.template import Template
from tests.factories import regional_admin

from sinergi.core import registry


@pytest.fixture
def isolated_registry(monkeypatch):
    monkeypatch.setattr(registry, "HOME_PANELS", [])
    monkeypatch.setattr(registry, "TODO_SOURCES", [])
    return registry


@pytest.mark.django_db
def test_home_shows_the_to_dos_and_panels_of_the_users_role_only(
    client, isolated_registry, settings, tmp_path
):
    # {% include %} renders a Template object as well as a name: no template folder to configure.
    panel = Template("<p>Panel uji: {{ panel.jumlah }}</p>")
    isolated_registry.add_home_panel("uji", ("regional_admin",), panel, lambda request: {"jumlah": 7})
    isolated_registry.add_home_panel("tersembunyi", ("regional_admin",), panel, lambda request: None)
    isolated_registry.add_todo_source(
        "uji",
        ("regional_admin",),
        lambda request: [
            registry.Todo("Tawaran belum dijawab", 3, "/alokasi/"),
            registry.Todo("Tidak ada yang perlu", 0, "/kosong/"),
        ],
    )
    isolated_registry.add_todo_source(
        "peserta", ("participant",), lambda request: [registry.Todo("Isi survei", 1, "/survei/")]
    )
    admin = regional_admin("16.71")
    client.force_login(admin)

    page = client.get("/").content.decode()

    assert "Panel uji: 7" in page
    assert page.count("Panel uji") == 1
    assert "Tawaran belum dijawab" in page and 'href="/alokasi/"' in page
    assert "Tidak ada yang perlu" not in page
    assert "Isi survei" not in page
