"""/verify/ uploads: crafted JSON bombs (built here, small on disk) get a message naming the field
("Berkas kredensial (JSON)") within a time and memory budget, never a 500 or a minute of CPU.

The file is read in the request, unlike the other uploads: it is at most 256 KB, parsing is linear,
and the one costly step (canonicalising the JSON-LD to check the signature) only runs on a document
of bounded depth, number of values and blank nodes."""

from __future__ import annotations

import copy
import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.credentials.test_credentials_views import completed
from tests.factories import ParticipantFactory, UserFactory
from tests.spreadsheets import within_budget

from sinergi.credentials import services

pytestmark = pytest.mark.django_db

FIELD = "Berkas kredensial (JSON)"


@pytest.fixture
def signed():
    participant = ParticipantFactory(full_name="Siti Rahmawati", user=UserFactory())
    return services.issue_credential(completed(participant=participant)).signed


def with_tags(document: dict, count: int) -> bytes:
    """A real credential (its issuer's key id copied, so the signature check runs) with `count` tags:
    5,000 tags took 19 s of CPU to canonicalise before the number of values was limited."""
    bomb = copy.deepcopy(document)
    bomb["credentialSubject"]["achievement"]["tag"] = [f"t{i}" for i in range(count)]
    return json.dumps(bomb).encode()


def blank_node_cycle(document: dict) -> bytes:
    """Blank nodes that name each other: the shape of the graphs that make RDFC-1.0 exponential."""
    bomb = copy.deepcopy(document)
    nodes = [
        {"id": f"_:b{i}", "related": [{"id": f"_:b{(i + k) % 12}"} for k in (1, 2, 3)]} for i in range(12)
    ]
    bomb["credentialSubject"]["achievement"]["related"] = nodes
    return json.dumps(bomb).encode()


def post(client, content: bytes):
    return client.post(reverse("credentials:verify"), {"berkas": SimpleUploadedFile("bom.json", content)})


BOMBS = {
    "nested-100k": (lambda d: b"[" * 100_000 + b"]" * 100_000, "bertingkat terlalu dalam"),
    "nested-objects": (lambda d: b'{"a":' * 20_000 + b"1" + b"}" * 20_000, "bertingkat terlalu dalam"),
    "5000-digits": (lambda d: b'{"n": ' + b"9" * 5000 + b"}", "angka terlalu panjang"),
    "many-long-numbers": (lambda d: b"[" + b",".join([b"9" * 39] * 6000) + b"]", "terlalu banyak nilai"),
    "exponent": (lambda d: b'{"n": 1e999999}', "angka di luar jangkauan"),
    "tags-5000": (lambda d: with_tags(d, 5_000), "terlalu banyak nilai"),
    "tags-500": (lambda d: with_tags(d, 500), "daftar terlalu panjang"),
    "blank-node-cycle": (blank_node_cycle, "simpul kosong bernama"),
}


@pytest.mark.parametrize("kind", list(BOMBS))
def test_a_json_bomb_is_refused_naming_the_field_within_budget(client, signed, kind):
    build, message = BOMBS[kind]
    bomb = build(signed)
    assert len(bomb) <= services.MAX_CREDENTIAL_BYTES
    assert client.get(reverse("credentials:verify")).status_code == 200  # the app loaded: not the bomb's cost
    with within_budget(peak_mb=64, cpu_seconds=2):
        response = post(client, bomb)
    body = response.content.decode()
    assert response.status_code == 200 and message in body and FIELD in body
    assert "verify-result" not in body


def test_a_huge_file_is_refused_before_it_is_read_within_budget(client):
    assert client.get(reverse("credentials:verify")).status_code == 200
    with within_budget(peak_mb=64, cpu_seconds=2):
        response = post(client, b"[" + b"1," * (2 * 1024 * 1024) + b"1]")  # 4 MB
    assert response.status_code == 413 and "terlalu besar (maksimal 256 KB)" in response.content.decode()


def test_a_real_credential_is_well_within_the_limits(client, signed):
    depth, values, _longest, labelled = services._shape(signed)
    assert depth < services.MAX_CREDENTIAL_DEPTH and values < services.MAX_CREDENTIAL_VALUES / 5
    assert not labelled
    # The largest accepted document costs a fraction of a second to check, not minutes (CPU measured
    # without tracemalloc, which slows pure-Python canonicalisation twentyfold).
    at_limit = copy.deepcopy(signed)
    achievement = at_limit["credentialSubject"]["achievement"]
    achievement["tag"] = [f"t{i}" for i in range(services.MAX_CREDENTIAL_LIST)]
    room = services.MAX_CREDENTIAL_VALUES - services._shape(at_limit)[1] - 1
    achievement["alignment"] = [  # six values each
        {
            "type": ["Alignment"],
            "targetCode": f"u{i}",
            "targetName": "Unit",
            "targetUrl": f"https://contoh.id/#{i}",
        }
        for i in range(min(room // 6, services.MAX_CREDENTIAL_LIST))
    ]
    at_limit = json.dumps(at_limit).encode()
    assert client.get(reverse("credentials:verify")).status_code == 200
    started = time.process_time()
    response = post(client, at_limit)
    assert time.process_time() - started < 2
    assert response.status_code == 200 and "telah dimodifikasi" in response.content.decode()
    assert services._shape(json.loads(at_limit))[1] > services.MAX_CREDENTIAL_VALUES - 20
