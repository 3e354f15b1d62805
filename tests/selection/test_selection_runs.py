"""Allocation runs in the application: frozen inputs, hash before seed, dry run, review, publish,
offers and answers, expiry, backfill with kept seats, and the scoping of every page."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from tests.factories import (
    ParticipantFactory,
    ProgramFactory,
    TrainingClassFactory,
    UserFactory,
    apply_to,
    region,
    regional_admin,
)

from sinergi.core.models import Job, Notification
from sinergi.learning.models import Enrolment
from sinergi.programs.models import Batch
from sinergi.registration.models import Participant
from sinergi.selection import selectors, services
from sinergi.selection.engine import allocate, parse_input
from sinergi.selection.models import (
    AllocationRun,
    Offer,
    OfferStatus,
    PublishedRunError,
    RunEntry,
    RunKind,
    RunStatus,
)
from sinergi.selection.services import SelectionError

pytestmark = pytest.mark.django_db


class World:
    """A Palembang batch: class A (2 seats, one reserved for people with a disability), class B (1 seat),
    and five applicants ranking A then B, with distinct scores so the outcome is known."""

    def __init__(self):
        self.admin = regional_admin("16.71")
        program = ProgramFactory(batch__registration_closes=timezone.now() - dt.timedelta(hours=1))
        self.batch = program.batch
        self.a = TrainingClassFactory(program=program, capacity=2, reserved_seats={"disabilitas": 1})
        self.b = TrainingClassFactory(program=program, capacity=1)
        self.people = []
        self.apps = []
        for i, score in enumerate([90, 80, 70, 60, 50]):
            person = ParticipantFactory(user=UserFactory(), has_disability=(i == 3))
            self.people.append(person)
            self.apps.append(apply_to(person, [self.a, self.b], score=score))

    def run_to(self, status, kind=RunKind.MAIN, reason=""):
        run = services.create_run(self.admin, self.batch, kind=kind, reason=reason)
        if status in (RunStatus.SEEDED, RunStatus.COMPUTED, RunStatus.PUBLISHED):
            run = services.draw_seed(self.admin, run)
        if status in (RunStatus.COMPUTED, RunStatus.PUBLISHED):
            run = services.compute(self.admin, run)
        if status == RunStatus.PUBLISHED:
            services.publish(self.admin, run)
            run.refresh_from_db()
        return run

    def offer_of(self, person, status=OfferStatus.OFFERED):
        return Offer.objects.get(participant=person, status=status)


@pytest.fixture
def world():
    return World()


def test_step_one_freezes_inputs_and_publishes_the_hash_before_any_seed(world):
    run = services.create_run(world.admin, world.batch)
    assert run.status == RunStatus.HASH_PUBLISHED
    assert run.seed is None and run.seed_drawn_at is None
    assert len(run.input_sha256) == 64
    applicants = run.engine_input["applicants"]
    assert [a["id"] for a in applicants] == ["p000001", "p000002", "p000003", "p000004", "p000005"]
    assert applicants[3]["categories"] == ["disabilitas", "umum"]
    assert run.engine_input["classes"][0] == {
        "id": world.a.code,
        "capacity": 2,
        "reserved": {"disabilitas": 1},
    }
    # No name, NIK or database id leaks into the engine input.
    text = json.dumps(run.engine_input)
    assert world.people[0].full_name not in text and world.people[0].nik not in text

    # Later profile edits change nothing in the frozen run.
    Participant.objects.filter(pk=world.people[0].pk).update(category="asn", has_disability=True)
    world.apps[0].score = 10
    world.apps[0].save()
    run.refresh_from_db()
    assert run.engine_input["applicants"][0]["categories"] == ["umum"]
    assert run.engine_input["applicants"][0]["score"] == 90.0
    assert parse_input({**run.engine_input, "seed": 0}).sha256 == run.input_sha256


def test_flagged_duplicates_and_withdrawn_applications_are_left_out(world):
    Participant.objects.filter(pk=world.people[4].pk).update(duplicate_status="flagged")
    world.apps[3].status = "withdrawn"
    world.apps[3].save()
    run = services.create_run(world.admin, world.batch)
    assert run.entries.count() == 3


def test_steps_run_in_order_and_the_seed_is_recorded_with_who_and_when(world):
    run = services.create_run(world.admin, world.batch)
    with pytest.raises(SelectionError, match="tahap"):
        services.compute(world.admin, run)
    with pytest.raises(SelectionError, match="tahap"):
        services.publish(world.admin, run)
    run = services.draw_seed(world.admin, run)
    assert run.seed is not None and 0 <= run.seed < 2**63
    assert run.seed_drawn_by == world.admin and run.seed_drawn_at >= run.created_at
    with pytest.raises(SelectionError):
        services.draw_seed(world.admin, run)  # a seed is drawn once


def test_dry_run_matches_the_engine_and_the_review_statistics_add_up(world):
    run = world.run_to(RunStatus.COMPUTED)
    expected = allocate(parse_input({**run.engine_input, "seed": run.seed}))
    assert json.loads(run.result)["assignment"] == expected.assignment
    by_code = {e.code: e for e in run.entries.select_related("assigned_class")}
    # Scores 90 and 80 take A's open seat and … the disabled applicant (60) takes A's reserved seat.
    assert by_code["p000001"].assigned_class == world.a
    assert by_code["p000004"].assigned_class == world.a and by_code["p000004"].seat_kind == "disabilitas"
    assert by_code["p000002"].assigned_class == world.b
    assert by_code["p000003"].assigned_class is None
    # Second on A's waiting list (after 80), first in line for B; explanations are rendered when shown.
    assert by_code["p000003"].waitlist == [2, 1]
    assert not Offer.objects.exists()  # a dry run offers nothing

    stats = selectors.run_statistics(run)
    assert (stats.applicants, stats.assigned, stats.seats, stats.unfilled) == (5, 3, 3, 0)
    assert [row.percent for row in stats.classes] == [100.0, 100.0]
    assert stats.classes[0].extra["reserved"] == [("disabilitas", 1, 1)]
    assert {t.label: (t.seats, t.filled) for t in stats.categories} == {
        "Penyandang disabilitas": (1, 1),
        "Umum": (5, 3),
    }
    assert [(t.label, t.seats, t.filled) for t in stats.regions] == [("Kota Palembang", 5, 3)]
    assert [(t.seats, t.filled) for t in stats.levels] == [(3, 3)]
    assert [e.code for e in stats.unassigned] == ["p000003", "p000005"]


def test_publish_offers_seats_notifies_and_freezes_the_run(world):
    run = world.run_to(RunStatus.PUBLISHED)
    assert run.published_by == world.admin
    offers = Offer.objects.filter(run=run)
    assert offers.count() == 3
    assert set(offers.values_list("status", flat=True)) == {OfferStatus.OFFERED}
    assert all(o.deadline > timezone.now() + dt.timedelta(days=6) for o in offers)
    world.batch.refresh_from_db()
    assert world.batch.status == Batch.Status.ALLOCATED
    titles = Notification.objects.filter(user=world.people[0].user).values_list("title", flat=True)
    assert list(titles) == ["Anda mendapat kursi pelatihan"]
    assert Notification.objects.filter(
        user=world.people[2].user, title="Hasil seleksi kelas pelatihan"
    ).exists()

    run.reason = "ubah"
    with pytest.raises(PublishedRunError):
        run.save()
    with pytest.raises(PublishedRunError):
        AllocationRun.objects.filter(pk=run.pk).update(reason="ubah")
    with pytest.raises(PublishedRunError):
        RunEntry.objects.filter(run=run).update(score=1)
    entry = run.entries.first()
    entry.score = 1
    with pytest.raises(PublishedRunError):
        entry.save()
    with pytest.raises(PublishedRunError):
        run.delete()


def test_re_run_needs_a_reason_and_withdraws_the_earlier_offers(world):
    world.run_to(RunStatus.PUBLISHED)
    with pytest.raises(SelectionError) as err:
        services.create_run(world.admin, world.batch)
    assert err.value.field == "reason"
    rerun = world.run_to(RunStatus.PUBLISHED, reason="Nilai tes peserta p000003 dikoreksi")
    assert rerun.number == 2 and rerun.reason.startswith("Nilai tes")
    assert Offer.objects.filter(status=OfferStatus.WITHDRAWN).count() == 3
    assert Offer.objects.filter(status=OfferStatus.OFFERED, run=rerun).count() == 3


def test_no_run_while_registration_is_still_open(world):
    Batch.objects.filter(pk=world.batch.pk).update(registration_closes=timezone.now() + dt.timedelta(days=1))
    world.batch.refresh_from_db()
    with pytest.raises(SelectionError, match="masih dibuka"):
        services.create_run(world.admin, world.batch)


def test_one_open_run_at_a_time_and_cancel(world):
    run = services.create_run(world.admin, world.batch)
    with pytest.raises(SelectionError, match="belum selesai"):
        services.create_run(world.admin, world.batch)
    services.cancel_run(world.admin, run)
    assert services.create_run(world.admin, world.batch).number == 2


def test_main_re_run_refused_once_someone_accepted(world):
    world.run_to(RunStatus.PUBLISHED)
    services.accept_offer(world.people[0].user, world.offer_of(world.people[0]).pk)
    with pytest.raises(SelectionError, match="alokasi susulan"):
        services.create_run(world.admin, world.batch, reason="ulang")


def test_backfill_before_any_published_run_is_refused(world):
    with pytest.raises(SelectionError, match="setelah alokasi utama"):
        services.create_run(world.admin, world.batch, kind=RunKind.BACKFILL, reason="x")


def test_admin_of_another_region_cannot_run_anything(world):
    other = regional_admin("64.72")
    with pytest.raises(SelectionError):
        services.create_run(other, world.batch)
    run = services.create_run(world.admin, world.batch)
    with pytest.raises(SelectionError):
        services.draw_seed(other, run)


def test_accept_enrols_and_decline_is_final(world):
    world.run_to(RunStatus.PUBLISHED)
    first, second = world.people[0], world.people[1]
    services.accept_offer(first.user, world.offer_of(first).pk)
    assert Enrolment.objects.filter(participant=first, training_class=world.a).exists()
    offer = world.offer_of(second)
    services.decline_offer(second.user, offer.pk)
    with pytest.raises(SelectionError, match="Ditolak"):
        services.accept_offer(second.user, offer.pk)
    with pytest.raises(SelectionError, match="tidak ditemukan"):
        services.accept_offer(first.user, world.offer_of(world.people[3]).pk)  # not theirs


def test_accept_after_the_deadline_is_refused_and_expiry_frees_the_seat(world):
    world.run_to(RunStatus.PUBLISHED)
    offer = world.offer_of(world.people[1])
    Offer.objects.filter(pk=offer.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(SelectionError, match="sudah lewat"):
        services.accept_offer(world.people[1].user, offer.pk)
    call_command("expire_offers", stdout=open("/dev/null", "w"))  # noqa: SIM115
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    assert (
        Notification.objects.filter(user=world.people[1].user, title="Tawaran kursi kedaluwarsa").count() == 1
    )
    assert services.expire_offers() == 0  # nothing twice


def test_a_full_class_refuses_another_acceptance(world):
    world.run_to(RunStatus.PUBLISHED)
    for person in world.people[:2]:
        offer = world.offer_of(person)
        if offer.training_class == world.a:
            services.accept_offer(person.user, offer.pk)
    world.a.capacity = 1  # the provider shrank the class after publication
    world.a.save()
    with pytest.raises(SelectionError, match="penuh"):
        services.accept_offer(world.people[3].user, world.offer_of(world.people[3]).pk)


def test_backfill_keeps_accepted_seats_and_offers_the_freed_one_to_the_waitlist(world):
    world.run_to(RunStatus.PUBLISHED)
    p = world.people
    services.accept_offer(p[0].user, world.offer_of(p[0]).pk)  # A, open seat
    services.decline_offer(p[1].user, world.offer_of(p[1]).pk)  # frees B
    # p[3] (A, reserved) has not answered yet and takes part again.
    with pytest.raises(SelectionError, match="Alasan"):
        services.create_run(world.admin, world.batch, kind=RunKind.BACKFILL)
    run = world.run_to(RunStatus.COMPUTED, kind=RunKind.BACKFILL, reason="Kursi B ditolak")
    assert run.engine_input["kept"] == [{"applicant": "p000001", "class": world.a.code, "seat": "open"}]
    ids = [a["id"] for a in run.engine_input["applicants"]]
    assert ids == ["p000003", "p000004", "p000005"]  # the decliner is out, pseudonyms are stable
    services.publish(world.admin, run)
    new = Offer.objects.get(run=run)
    assert new.participant == p[2] and new.training_class == world.b
    # p[3] got the same seat again: the earlier offer and its deadline stand.
    assert world.offer_of(p[3]).run.number == 1
    assert Notification.objects.filter(user=p[2].user, title__startswith="Anda naik dari").exists()


def test_backfill_replaces_a_waiting_offer_with_a_better_choice(world):
    world.run_to(RunStatus.PUBLISHED)
    p = world.people
    # p[1] holds B (their second choice); p[0] declines A's open seat, so p[1] can move up to A.
    services.decline_offer(p[0].user, world.offer_of(p[0]).pk)
    run = world.run_to(RunStatus.PUBLISHED, kind=RunKind.BACKFILL, reason="Kursi A ditolak")
    old = Offer.objects.get(participant=p[1], run__number=1)
    assert old.status == OfferStatus.SUPERSEDED
    assert world.offer_of(p[1]).training_class == world.a
    assert Offer.objects.get(run=run, participant=p[2]).training_class == world.b


def test_backfill_publish_is_refused_when_answers_moved_since_the_snapshot(world):
    world.run_to(RunStatus.PUBLISHED)
    p = world.people
    services.decline_offer(p[0].user, world.offer_of(p[0]).pk)
    run = world.run_to(RunStatus.COMPUTED, kind=RunKind.BACKFILL, reason="x")
    services.accept_offer(p[1].user, world.offer_of(p[1]).pk)
    with pytest.raises(SelectionError, match="Batalkan alokasi ini"):
        services.publish(world.admin, run)
    assert not Offer.objects.filter(run=run).exists()


def test_publish_refuses_a_silly_response_window(world):
    run = world.run_to(RunStatus.COMPUTED)
    with pytest.raises(SelectionError) as err:
        services.publish(world.admin, run, response_days=0)
    assert err.value.field == "response_days"


# --- pages ---------------------------------------------------------------------------------------


def test_admin_walks_the_four_steps_through_the_pages(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.admin)
    page = client.get(reverse("selection:batch_detail", args=[world.batch.pk]))
    assert page.status_code == 200
    # Each heavy step is a background job; here it runs as soon as the request commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("selection:batch_detail", args=[world.batch.pk]), {"kind": "utama"})
    run = AllocationRun.objects.get()
    # The request only enqueued: it goes back to the batch, whose page polls the job; once the job is
    # done the poll leads to the new run.
    assert response.url == reverse("selection:batch_detail", args=[world.batch.pk])
    job = Job.objects.get(kind="selection.freeze")
    done = client.get(reverse("selection:step_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Redirect"] == reverse("selection:run_detail", args=[run.pk])
    page = client.get(done["HX-Redirect"]).content.decode()
    assert "Masukan alokasi #1 dibekukan" in page
    assert run.input_sha256 in page and "Tarik angka undian" in page
    client.post(reverse("selection:run_draw_seed", args=[run.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("selection:run_compute", args=[run.pk]))
    page = client.get(reverse("selection:run_detail", args=[run.pk])).content.decode()
    assert "Per kelas" in page and "Per wilayah domisili" in page and "Kota Palembang" in page
    bad = client.post(reverse("selection:run_publish", args=[run.pk]), {"response_days": 7})
    assert bad.status_code == 400 and "Saya sudah meninjau" in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("selection:run_publish", args=[run.pk]), {"response_days": 5, "confirm": "on"})
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED
    # A second run without a reason: the form names the field.
    page = client.post(reverse("selection:batch_detail", args=[world.batch.pk]), {"kind": "utama"})
    assert "Alasan: Alasan wajib diisi" in page.content.decode()


def test_pages_are_scoped_to_the_region_and_closed_to_participants(client, world):
    run = world.run_to(RunStatus.PUBLISHED)
    client.force_login(regional_admin("64.72"))
    for name, args in [
        ("selection:batch_detail", [world.batch.pk]),
        ("selection:run_detail", [run.pk]),
        ("selection:run_input_download", [run.pk]),
        ("selection:run_result_download", [run.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404
    assert client.post(reverse("selection:run_draw_seed", args=[run.pk])).status_code == 404
    client.force_login(world.people[0].user)
    assert client.get(reverse("selection:batch_list")).status_code == 403
    assert client.get(reverse("selection:run_detail", args=[run.pk])).status_code == 403
    # Someone else's offer is not there at all.
    other = world.offer_of(world.people[1])
    assert client.post(reverse("selection:offer_accept", args=[other.pk])).status_code == 404
    assert client.get(reverse("selection:offer_decline", args=[other.pk])).status_code == 404


def test_participant_sees_result_with_explanations_and_answers(client, world):
    world.run_to(RunStatus.PUBLISHED)
    third = world.people[2]  # score 70: no seat, both choices explained
    client.force_login(third.user)
    page = client.get(reverse("selection:my_results")).content.decode()
    assert "belum mendapat kursi" in page
    assert page.count("di bawah batas") == 2
    second = world.people[1]  # B, their second choice: A is explained
    client.force_login(second.user)
    page = client.get(reverse("selection:my_results")).content.decode()
    assert world.b.name in page and "Terima kursi" in page and "di bawah batas 90,0" in page
    offer = world.offer_of(second)
    response = client.post(reverse("selection:offer_decline", args=[offer.pk]), {})
    assert response.status_code == 200 and "tidak boleh kosong" in response.content.decode()  # must confirm
    client.post(reverse("selection:offer_decline", args=[offer.pk]), {"confirm": "on"})
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED
    first = world.people[0]
    client.force_login(first.user)
    client.post(reverse("selection:offer_accept", args=[world.offer_of(first).pk]))
    page = client.get(reverse("selection:my_results")).content.decode()
    assert "Anda sudah menerima kursi" in page


def test_auditor_download_reproduces_the_published_result_with_the_command(client, world, tmp_path):
    run = world.run_to(RunStatus.PUBLISHED)
    client.force_login(world.admin)
    input_file = tmp_path / "masukan.json"
    input_file.write_bytes(client.get(reverse("selection:run_input_download", args=[run.pk])).content)
    published = client.get(reverse("selection:run_result_download", args=[run.pk])).content.decode()
    doc = json.loads(input_file.read_text())
    assert doc["seed"] == run.seed
    assert {a["id"] for a in doc["applicants"]} == {f"p00000{i}" for i in range(1, 6)}
    from io import StringIO

    out = StringIO()
    call_command("allocate", str(input_file), stdout=out)
    assert out.getvalue() == published  # byte for byte
    assert json.loads(published)["input_sha256"] == run.input_sha256


def test_result_download_waits_for_publication(client, world):
    run = world.run_to(RunStatus.COMPUTED)
    client.force_login(world.admin)
    assert client.get(reverse("selection:run_result_download", args=[run.pk])).status_code == 404
    assert client.get(reverse("selection:run_input_download", args=[run.pk])).status_code == 200


def test_region_filter_reads_the_frozen_domicile(world):
    person = ParticipantFactory(user=UserFactory(), domicile=region("64.72"))
    apply_to(person, [world.b], score=99)
    run = world.run_to(RunStatus.COMPUTED)
    stats = selectors.run_statistics(run)
    assert {t.label for t in stats.regions} == {"Kota Palembang", "Kota Samarinda"}


def test_public_transparency_page_shows_hash_before_seed_and_nothing_personal(client, world):
    run = services.create_run(world.admin, world.batch)
    url = reverse("selection:batch_transparency", args=[world.batch.pk])
    page = client.get(url).content.decode()  # nobody signed in
    assert run.input_sha256 in page and "belum ditarik" in page
    run = services.draw_seed(world.admin, run)
    page = client.get(url).content.decode()
    assert str(run.seed) in page
    assert world.people[0].full_name not in page and "p000001" not in page
    Batch.objects.filter(pk=world.batch.pk).update(status=Batch.Status.DRAFT)
    assert client.get(url).status_code == 404  # an unannounced batch is not there


def test_every_step_is_in_the_audit_trail_with_its_actor(world):
    from auditlog.models import LogEntry

    run = world.run_to(RunStatus.PUBLISHED)
    services.decline_offer(world.people[1].user, world.offer_of(world.people[1]).pk)
    entries = LogEntry.objects.get_for_object(run).order_by("pk")
    *changes, published_offers = entries
    statuses = [e.changes_dict.get("status", [None, None])[1] for e in changes]
    assert statuses == ["hash_published", "seeded", "computed", "published"]
    assert published_offers.additional_data["operasi"] == "publikasi hasil alokasi"
    assert {e.actor for e in entries} == {world.admin}
    assert "engine_input" not in entries[0].changes_dict  # the big frozen input is not copied
    offer = Offer.objects.get(participant=world.people[1])
    decline = LogEntry.objects.get_for_object(offer).get()
    assert decline.actor == world.people[1].user and decline.changes_dict["status"][1] == "declined"
