"""Authorisation matrix over every URL pattern (the API's operations included), generated from the URL
resolver: a new URL without an entry in MATRIX fails `test_every_url_has_an_entry`.

One rule for every refusal (sinergi.core.access, README "Keamanan"), asserted for every cell (every
URL x every role and anonymous, with GET and with POST, own region and another region):
- anonymous on a page that needs an account: a redirect to the login page (302 to /akun/masuk/); on
  the API's writes: 401;
- a signed-in user whose role may never use the page: 403, the app's own page, whatever the method;
- a role that may use the page but the wrong HTTP method: 405;
- a record outside the user's scope (another region, organisation or person) or one that does not
  exist: 404, never 403, so a record's existence is not revealed;
- otherwise the page answers (200 for a read of an own record; a form POST with nothing filled in
  is answered with the form again or a redirect), and no cell is ever a server error.
Records are real (built by the apps' services through tests/factories.py) in Palembang (16.71, own)
and in Samarinda (64.72, other): batches, programmes, classes, sessions, draft agreements, duplicate
flags, allocation runs, certificates, participant imports and intake drafts, and the records of one
owner: a participant's seat offer and notification, an officer's allocation step, agreement import
and participant import jobs, a provider's attendance import job."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from tests.factories import (
    BatchFactory,
    ClassSessionFactory,
    OrganizationFactory,
    ParticipantFactory,
    ProgramFactory,
    TrainingClassFactory,
    UserFactory,
    allocation_run,
    credential_in,
    intake_draft,
    national_admin,
    participant_import_check,
    provider_staff,
    region,
    regional_admin,
)

from sinergi.accounts.models import Role

PUBLIC = "public"  # everyone, anonymous included
TOKEN = "token"  # reached by a signed token or number in the URL; a bad one is a 404 for everyone
SKIP = "skip"  # Django's own pages (admin site, i18n, logout): not the app's authorisation
# Who may use a page (sinergi.core.access), as the matrix's roles.
SIGNED_IN = ("national", "regional_city", "regional_province", "provider", "assessor", "participant")
OFFICE = ("national", "regional_city", "regional_province")
NATIONAL = ("national",)
STAFF = ("national", "regional_city", "regional_province", "provider", "assessor")
CLASS_READERS = STAFF  # an assessor follows the classes of their own organisation
PROVIDER = ("provider",)
ASSESSING = ("provider", "assessor")
DELIVERY = ("national", "regional_city", "regional_province", "provider")
ISSUERS = DELIVERY
PARTICIPANT = ("participant",)

ROLES = ["anonymous", "national", "regional_city", "regional_province", "provider", "assessor", "participant"]

# name → (access, record kind in the path or None)
MATRIX: dict[str, tuple[str | tuple[str, ...], str | None]] = {
    "home": (PUBLIC, None),
    "registration:catalogue": (PUBLIC, None),
    "learning:attendance_import_result": (PROVIDER, "class+attendance_import"),
    "partnerships:agreement_import_result": (OFFICE, "agreement_import"),
    "selection:step_progress": (OFFICE, "step_job"),
    "admin": (SKIP, None),  # Django's admin site: its own staff check
    "healthz": (PUBLIC, None),
    "audit_log": (NATIONAL, None),
    "job_status": (SIGNED_IN, "import"),  # a job is its starter's (and the ministry's)
    "notification_inbox": (SIGNED_IN, None),
    "notification_read": (SIGNED_IN, "notification"),
    "notification_read_all": (SIGNED_IN, None),
    "login": (PUBLIC, None),
    "logout": (SKIP, None),
    "password_reset": (PUBLIC, None),
    "password_reset_done": (PUBLIC, None),
    "password_reset_confirm": (SKIP, None),
    "password_reset_complete": (PUBLIC, None),
    "password_change": (SIGNED_IN, None),
    "password_change_done": (SIGNED_IN, None),
    "two_factor": (STAFF, None),  # setup, or status with new recovery codes and switching off
    "two_factor_verify": (STAFF, None),
    "two_factor_recovery_codes": (STAFF, None),
    "two_factor_disable": (STAFF, None),  # a national admin is refused by the form, not the role
    "set_language": (SKIP, None),
    "javascript-catalog": (PUBLIC, None),
    "regions:browser": (PUBLIC, None),
    "regions:search": (PUBLIC, None),
    "accounts:organization_list": (SIGNED_IN, None),
    "accounts:organization_detail": (SIGNED_IN, "organization"),
    "partnerships:agreement_list": (PUBLIC, None),
    "partnerships:agreement_export": (PUBLIC, "fmt"),
    "partnerships:agreement_manage_list": (STAFF, None),
    "partnerships:agreement_manage_export": (STAFF, "fmt"),
    "partnerships:agreement_import": (OFFICE, None),
    "partnerships:region_page": (PUBLIC, "region"),
    "partnerships:agreement_detail": (PUBLIC, "draft_agreement"),  # a draft is the office's
    "partnerships:agreement_create": (OFFICE, None),
    "partnerships:document_search": (OFFICE, None),
    "partnerships:manage_detail": (OFFICE, "agreement"),
    "partnerships:agreement_edit": (OFFICE, "agreement"),
    "partnerships:manage_transition": (OFFICE, "agreement"),
    "partnerships:manage_document_upload": (OFFICE, "agreement"),
    "partnerships:manage_document_download": (OFFICE, "agreement+missing"),
    "partnerships:manage_comment": (OFFICE, "agreement"),
    "partnerships:manage_monev": (OFFICE, "agreement"),
    "partnerships:manage_measurement": (OFFICE, "agreement+missing"),
    "programs:manage_batches": (OFFICE, None),
    "programs:manage_batch_create": (OFFICE, None),
    "programs:manage_batch": (OFFICE, "batch"),
    "programs:manage_batch_edit": (OFFICE, "batch"),
    "programs:manage_batch_close": (OFFICE, "batch"),
    "programs:manage_program_create": (OFFICE, "batch"),
    "programs:manage_program": (OFFICE, "program"),
    "programs:manage_program_edit": (OFFICE, "program"),
    "programs:manage_rule_create": (OFFICE, "program"),
    "programs:manage_rule_edit": (OFFICE, "missing"),
    "programs:manage_rule_delete": (OFFICE, "missing"),
    "programs:manage_class_create": (OFFICE, "program"),
    "programs:manage_class_edit": (OFFICE, "class"),
    "programs:manage_academies": (OFFICE, None),
    "registration:signup": (PUBLIC, None),
    "registration:signup_sent": (PUBLIC, None),
    "registration:resend_verification": (PUBLIC, None),
    "registration:verify_email": (SKIP, "token"),  # a bad token is a 400 page, tested in registration
    "registration:privacy": (PUBLIC, None),
    "registration:profile": (PARTICIPANT, None),
    "registration:my_data": (PARTICIPANT, None),
    "registration:erasure_request": (PARTICIPANT, None),
    "registration:erasure_list": (OFFICE, None),
    "registration:erasure_decide": (OFFICE, "erasure"),
    "registration:my_applications": (PARTICIPANT, None),
    "registration:apply": (PARTICIPANT, "batch"),
    "registration:apply_edit": (PARTICIPANT, "batch"),
    "registration:apply_submit": (PARTICIPANT, "batch"),
    "registration:apply_withdraw": (PARTICIPANT, "batch"),
    "registration:duplicate_list": (OFFICE, None),
    "registration:duplicate_detail": (OFFICE, "duplicate"),
    "registration:import_start": (OFFICE, None),
    "registration:import_template": (OFFICE, None),
    "registration:import_detail": (OFFICE, "import"),
    "registration:import_progress": (OFFICE, "import"),
    "registration:import_report": (OFFICE, "import"),
    "registration:import_decide": (OFFICE, "import"),
    "selection:batch_list": (OFFICE, None),
    "selection:batch_detail": (OFFICE, "batch"),
    "selection:run_detail": (OFFICE, "run"),
    "selection:run_draw_seed": (OFFICE, "run"),
    "selection:run_compute": (OFFICE, "run"),
    "selection:run_publish": (OFFICE, "run"),
    "selection:run_cancel": (OFFICE, "run"),
    "selection:run_input_download": (OFFICE, "run"),
    "selection:run_result_download": (OFFICE, "run"),
    "selection:batch_transparency": (PUBLIC, "batch"),
    "selection:my_results": (PARTICIPANT, None),
    "selection:unanswered_offers": (OFFICE, None),
    "registration:claim": (SKIP, "token"),  # a bad token is the claim page's own 400, tested in registration
    "registration:invitations": (OFFICE, None),
    "learning:schedule_announce": (PROVIDER, "class"),
    "selection:offer_accept": (PARTICIPANT, "offer"),
    "selection:offer_decline": (PARTICIPANT, "offer"),
    "learning:my_classes": (PARTICIPANT, None),
    "learning:check_in": (SIGNED_IN, "token"),
    "learning:class_list": (CLASS_READERS, None),
    "learning:class_detail": (CLASS_READERS, "class"),
    "learning:session_create": (PROVIDER, "class"),
    "learning:session_generate": (PROVIDER, "class"),
    "learning:attendance_import": (PROVIDER, "class"),
    "learning:scores": (PROVIDER, "class"),
    "learning:completion": (PROVIDER, "class"),
    "learning:decide": (PROVIDER, "class+missing"),
    "learning:rule": (DELIVERY, "class"),
    "learning:competency": (ASSESSING, "class"),
    "learning:session_edit": (PROVIDER, "session"),
    "learning:session_delete": (PROVIDER, "session"),
    "learning:session_attendance": (PROVIDER, "session"),
    "learning:attendance_toggle": (PROVIDER, "session+missing"),
    "learning:session_qr": (PROVIDER, "session"),
    "learning:session_qr_image": (PROVIDER, "session+token"),
    "credentials:verify": (PUBLIC, None),
    "credentials:verify_number": (TOKEN, "number"),
    "credentials:issuer_profile": (TOKEN, "missing"),
    "credentials:status_list": (TOKEN, "missing"),
    "credentials:mine": (SIGNED_IN, None),  # whoever holds certificates
    "credentials:pdf": (SIGNED_IN, "credential"),
    "credentials:json": (SIGNED_IN, "credential"),
    "credentials:wallet_json": (TOKEN, "token"),
    "credentials:manage": (ISSUERS, None),
    "credentials:class": (ISSUERS, "class"),
    "credentials:detail": (ISSUERS, "credential"),
    "credentials:revoke": (ISSUERS, "credential"),
    "intake:start": (OFFICE, None),
    "intake:review": (OFFICE, "draft"),
    "intake:reading": (OFFICE, "draft"),
    "intake:discard": (OFFICE, "draft"),
    "intake:source_file": (OFFICE, "draft"),
    "readiness:index": (PUBLIC, None),
    "readiness:framework_detail": (PUBLIC, "missing"),
    "readiness:assessment_detail": (PUBLIC, "missing"),  # final results are public; drafts are scoped
    "readiness:self_score_edit": (OFFICE, "missing"),
    "readiness:assessment_submit": (OFFICE, "missing"),
    "readiness:assessor_assign": (NATIONAL, "missing"),
    "readiness:assessor_scoring": (("assessor",), "missing"),  # only the assigned assessor; others 404
    "readiness:consensus": (("assessor", "national"), "missing"),
    "readiness:selection_list": (PUBLIC, None),
    "reporting:target_list": (OFFICE, None),
    "reporting:target_create": (OFFICE, None),
    "reporting:target_edit": (OFFICE, "missing"),
    "reporting:target_delete": (OFFICE, "missing"),
    "reporting:public_targets": (PUBLIC, "region"),
    "readiness:selection_create": (NATIONAL, None),
    "awards:cycle_create": (NATIONAL, None),
    "awards:category_create": (NATIONAL, "missing"),
    "awards:cycle_list": (PUBLIC, None),
    "awards:cycle_detail": (PUBLIC, "missing"),
    "awards:jury_score": (SIGNED_IN, "missing"),
    "readiness:region_page": (PUBLIC, "region"),
    "readiness:initiative_create": (OFFICE, "region"),
    "readiness:initiative_edit": (OFFICE, "missing"),
    "readiness:masterplan_edit": (OFFICE, "region"),
    "readiness:selection_detail": (PUBLIC, "missing"),
    "api:documentation": (PUBLIC, None),
    "api:v1:openapi-json": (PUBLIC, None),
    "api:v1:list_agreements": (PUBLIC, None),
    "api:v1:create_agreement": (PUBLIC, None),  # same path as the list; the write is tested below
    "api:v1:get_agreement": (PUBLIC, "draft_agreement"),
    "api:v1:update_agreement": (PUBLIC, "draft_agreement"),
    "api:v1:list_calls": (PUBLIC, None),
    "api:v1:get_call": (PUBLIC, "missing"),
    "api:v1:api-root": (SKIP, None),  # ninja's root path, no view behind it
    "api:key_list": (OFFICE, None),
    "api:key_detail": (OFFICE, "api_key"),
    "api:key_revoke": (OFFICE, "api_key"),
    "api:v1:list_programmes": (SIGNED_IN, None),
    "api:v1:get_programme": (SIGNED_IN, "program"),
    "api:v1:list_classes": (SIGNED_IN, None),
    "api:v1:get_class": (SIGNED_IN, "class"),
    "api:v1:list_applications": (SIGNED_IN, None),
    "api:v1:list_runs": (SIGNED_IN, None),
    "api:v1:run_results": (SIGNED_IN, "api_run"),
    "api:v1:class_enrolments": (SIGNED_IN, "delivery_class"),
    # The body is validated before the class is looked up, so a bad POST is a 400 wherever the class
    # is; another provider's class (with a valid body) is a 404, tested in tests/api.
    "api:v1:push_attendance": (PROVIDER, "lms_class"),
    "api:v1:list_credentials": (SIGNED_IN, None),
    "api:v1:get_credential": (SIGNED_IN, "credential"),
    "api:v1:verify_credential": (PUBLIC, None),
    "api:v1:list_metrics": (SIGNED_IN, None),
    "api:v1:list_commitments": (SIGNED_IN, None),
    "reporting:dashboard": (OFFICE, None),
    "reporting:chart_csv": (OFFICE, "missing"),
    "reporting:data_index": (PUBLIC, None),
    "reporting:catalog": (PUBLIC, None),
    "reporting:dataset": (PUBLIC, "missing"),
    "reporting:dataset_download": (PUBLIC, "missing"),
    "outcomes:program_list": (OFFICE, None),
    "outcomes:program": (OFFICE, "program"),
    "outcomes:program_csv": (OFFICE, "program"),
    "outcomes:answer": (SKIP, "token"),  # a bad token is the answer page's own 400, tested in outcomes
}


def url_names(patterns=None, namespace=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            inner = ":".join(n for n in (namespace, p.namespace or "") if n)
            yield from url_names(p.url_patterns, inner)
        elif isinstance(p, URLPattern):
            name = ":".join(n for n in (namespace, p.name or "") if n)
            if not name.startswith("admin:"):  # Django's admin site has its own staff check
                yield name, p


def test_every_url_has_an_entry():
    missing = sorted({name for name, _p in url_names()} - set(MATRIX))
    assert not missing, f"URL tanpa baris di matriks otorisasi: {missing}"
    # And a stale entry is removed, so the matrix stays the list of what exists.
    assert not set(MATRIX) - {name for name, _p in url_names()}


# Views that take only POST (a GET by a role that may use them is a 405) and only GET.
POST_ONLY = {
    "api:key_revoke",
    "api:v1:push_attendance",
    "credentials:revoke",
    "intake:discard",
    "learning:attendance_toggle",
    "learning:decide",
    "learning:schedule_announce",
    "learning:session_delete",
    "notification_read",
    "notification_read_all",
    "partnerships:manage_comment",
    "partnerships:manage_document_upload",
    "partnerships:manage_measurement",
    "partnerships:manage_monev",
    "partnerships:manage_transition",
    "programs:manage_batch_close",
    "programs:manage_rule_delete",
    "registration:apply_edit",
    "registration:apply_submit",
    "registration:apply_withdraw",
    "registration:import_decide",
    "readiness:assessment_submit",
    "readiness:assessor_assign",
    "reporting:target_delete",
    "registration:resend_verification",
    "selection:offer_accept",
    "selection:run_cancel",
    "selection:run_compute",
    "selection:run_draw_seed",
    "selection:run_publish",
    "two_factor_disable",
    "two_factor_recovery_codes",
}
GET_ONLY = {
    "registration:erasure_list",
    "outcomes:program_csv",
    "reporting:catalog",
    "reporting:public_targets",
    "reporting:target_list",
    "reporting:chart_csv",
    "reporting:dashboard",
    "reporting:data_index",
    "reporting:dataset",
    "reporting:dataset_download",
    "api:v1:get_agreement",
    "api:v1:get_call",
    "api:v1:list_calls",
    "api:v1:list_programmes",
    "api:v1:get_programme",
    "api:v1:list_classes",
    "api:v1:get_class",
    "api:v1:list_applications",
    "api:v1:list_runs",
    "api:v1:run_results",
    "api:v1:class_enrolments",
    "api:v1:list_credentials",
    "api:v1:get_credential",
    "api:v1:verify_credential",
    "api:v1:list_metrics",
    "api:v1:list_commitments",
    "healthz",
    "javascript-catalog",
    "partnerships:document_search",
    "partnerships:manage_detail",
    "partnerships:manage_document_download",
    "password_change_done",
    "password_reset_complete",
    "password_reset_done",
}
# A read by a role that may use the page, of its own record, that is not a plain 200.
OWN_READ: dict[str, int | set[int]] = {
    "registration:import_progress": 204,  # polled by htmx: "nothing new", or reload when done
    "intake:reading": 204,
    "programs:manage_rule_create": 404,  # without ?jenis= there is no such rule form
    "learning:check_in": 400,  # a bad check-in token is the check-in's own 400 page
    "credentials:verify_number": 200,  # the number alone says nothing, not even whether it exists
    "login": 200,
    "registration:signup": 200,
    "two_factor_verify": {302},  # a session with no code owed goes on to where it was going
    "api:v1:verify_credential": 422,  # without a number and check code there is nothing to verify
}
# The same for a POST with nothing filled in.
OWN_WRITE: dict[str, int | set[int]] = {
    "registration:import_progress": 204,
    "intake:reading": 204,
    "programs:manage_rule_create": 404,
    "api:v1:push_attendance": 400,  # a form-encoded body is no JSON: named as the body's error
}
# Pages for anonymous visitors that send a signed-in account elsewhere (home), not to the login.
AWAY_WHEN_SIGNED_IN = {"login", "registration:signup"}
# Which of the roles that may use a page see the own region's record of a kind (default: all of them).
SEES: dict[str, tuple[str, ...]] = {
    "import": ("national", "regional_city"),  # an import is its starter's (and the ministry's)
    "credential": STAFF,  # pdf/json: not to a participant who does not hold it
    "organization": STAFF,  # the provider's organisation: not a participant's business
    "draft_agreement": OFFICE,  # a draft agreement on a public page or API path is a 404 to others
    "agreement_import": ("national", "regional_city"),  # the officer who started it (and the ministry)
    "notification": PARTICIPANT,  # a message is its addressee's only
    "offer": PARTICIPANT,  # a seat offer is the offered person's only
    "api_run": OFFICE,  # an allocation run (and its results) is the office's
    "delivery_class": STAFF,  # a class's enrolments: its staff, assessors and the office
}
FORM_ANSWERS = {200, 302, 400}
# The list's path takes the create as its POST.
API_WRITES = {"api:v1:list_agreements", "api:v1:create_agreement", "api:v1:update_agreement"}
# The API's integration endpoints: a session or an organisation key; anonymous is a 401, not a redirect.
API_LOGIN = {
    "api:v1:list_programmes",
    "api:v1:get_programme",
    "api:v1:list_classes",
    "api:v1:get_class",
    "api:v1:list_applications",
    "api:v1:list_runs",
    "api:v1:run_results",
    "api:v1:class_enrolments",
    "api:v1:push_attendance",
    "api:v1:list_credentials",
    "api:v1:get_credential",
    "api:v1:list_metrics",
    "api:v1:list_commitments",
    "api:v1:verify_credential",
}
# Read through the API like the catalogue: a participant (and an assessor) sees every region's
# announced batches, so another region's programme or class is no 404 to them.
CATALOGUE_READS = {"api:v1:get_programme", "api:v1:get_class"}
# The methods probed per cell; the API's update is a PATCH on the agreement's path.
METHODS = {"api:v1:update_agreement": ("GET", "PATCH")}


def _region_records(code: str, accounts: dict) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from sinergi.api.services import create_key
    from sinergi.core.models import Job, Notification
    from sinergi.learning import imports as attendance
    from sinergi.partnerships import imports as agreement_imports
    from sinergi.partnerships.models import Agreement
    from sinergi.registration.models import DuplicateFlag
    from sinergi.registration.privacy import request_erasure
    from sinergi.selection.services import COMPUTE

    batch = BatchFactory(region=region(code), organizer__region=region(code))
    program = ProgramFactory(batch=batch)
    training_class = TrainingClassFactory(program=program, provider=accounts["provider"].organization)
    session = ClassSessionFactory(training_class=training_class)
    agreement = Agreement.objects.create(
        type="mou",
        title=f"Draf MoU {code}",
        region=region(code),
        start_date="2026-01-01",
        end_date="2030-12-31",
    )
    first = ParticipantFactory(full_name="Muhammad Rizki", domicile=region(code))
    second = ParticipantFactory(full_name="Muhamad Rizky", domicile=region(code))
    flag = DuplicateFlag.objects.create(participant=second, similar_to=first, similarity=0.95)
    erasure = request_erasure(first)
    officer, person = accounts["regional_city"], accounts["participant"]
    run = allocation_run(officer, code, published=True, applicant=person.participant)
    running = Job.Status.RUNNING
    records = {
        "batch": batch,
        "program": program,
        "class": training_class,
        "session": session,
        "agreement": agreement,
        "draft_agreement": agreement,
        "duplicate": flag,
        "erasure": erasure,
        "organization": accounts["provider"].organization,
        "run": run,
        "offer": run.offers.get(),
        # A step still running, so its progress is shown rather than a redirect to the run.
        "step_job": Job.objects.create(
            kind=COMPUTE, status=running, params={"batch": run.batch_id}, created_by=officer
        ),
        "agreement_import": Job.objects.create(
            kind=agreement_imports.IMPORT_JOB, status=running, created_by=officer
        ),
        "attendance_import": Job.objects.create(
            kind=attendance.JOB_KIND,
            status=running,
            params={"class_id": training_class.pk},
            created_by=accounts["provider"],
        ),
        "notification": Notification.objects.create(user=person, title="Tawaran kursi", url="/"),
        "credential": credential_in(training_class, accounts["provider"]),
        "import": participant_import_check(accounts["regional_city"]),
        "draft": intake_draft(accounts["regional_city"], uploaded=True),
        "api_run": run,
        "delivery_class": training_class,
        "lms_class": training_class,
        "api_key": create_key(
            user=officer,
            organization=accounts["provider"].organization,
            name=f"LMS {code}",
            scopes=["programs:read"],
            expires_at=timezone.now() + timedelta(days=30),
        ).key,
    }
    return {kind: {"pk": record.pk} for kind, record in records.items()}


def _accounts(city: str, province: str) -> dict:
    provider = provider_staff(city)
    participant = UserFactory(role=Role.PARTICIPANT)
    ParticipantFactory(user=participant, domicile=region(city))
    return {
        "participant": participant,
        "regional_city": regional_admin(city),
        "regional_province": UserFactory(
            role=Role.REGIONAL_ADMIN,
            organization=OrganizationFactory(region=region(province), kind="province_gov"),
        ),
        "provider": provider,
        "assessor": UserFactory(role=Role.ASSESSOR, organization=provider.organization),
    }


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(autouse=True)
def _module_media(settings, media_root, monkeypatch):
    # The module's records (an import's stored file and report, a draft's PDF) outlive a single test;
    # a POST that deletes one (discarding a draft) has its rows rolled back after the test, so its
    # files stay as well.
    from django.core.files.storage import FileSystemStorage

    settings.MEDIA_ROOT = media_root
    monkeypatch.setattr(FileSystemStorage, "delete", lambda self, name: None)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_root):
    """Records and one account per role in Palembang (own) and Samarinda (other)."""
    from django.apps import apps
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(JOBS_SYNCHRONOUS=True, MEDIA_ROOT=media_root):
        from sinergi.regions.models import Region
        from sinergi.regions.services import load_regions

        if not Region.objects.exists():
            load_regions()
        own = {"national": national_admin(), **_accounts("16.71", "16")}
        other = _accounts("64.72", "64")
        world = {
            "accounts": {"own": own, "other": other},
            "records": {"own": _region_records("16.71", own), "other": _region_records("64.72", other)},
        }
        yield world
        # The module's rows stay in the test database only for this module.
        for label in (
            "api.ApiKey",
            "intake.IntakeDraft",
            "core.Notification",
            "credentials.Credential",
            "registration.DuplicateFlag",
            "partnerships.Agreement",
            "core.Job",
            # Last: the deletes above are audited too, and tests/core/test_audit.py counts entries.
            "auditlog.LogEntry",
        ):
            apps.get_model(label).objects.all().delete()


MISSING = 987_654


def path_for(name: str, pattern: URLPattern, kind: str | None, records: dict) -> str:
    keys = list(pattern.pattern.converters)
    if kind is None:
        return reverse(name)
    values: dict = {}
    base, _, extra = kind.partition("+")
    for key in keys:
        converter = type(pattern.pattern.converters[key]).__name__
        if (
            key
            in (
                "pk",
                "batch_pk",
                "program_pk",
                "agreement_id",
                "programme_id",
                "class_id",
                "run_id",
                "credential_id",
            )
            and base in records
        ):
            values[key] = records[base]["pk"]
        elif key != keys[0] and extra in records:  # a second record in the path, e.g. a class's job
            values[key] = records[extra]["pk"]
        elif converter == "IntConverter":
            values[key] = MISSING
        elif key == "fmt":
            values[key] = "csv"
        elif key == "code":
            values[key] = "16.71"
        elif key == "number":
            values[key] = "DTS/2026/PLG/999999"
        else:
            values[key] = "tidak-sah"
    if extra == "missing" or base == "missing":
        for key in keys[1:] if base != "missing" else keys:
            if type(pattern.pattern.converters[key]).__name__ == "IntConverter":
                values[key] = MISSING
    return reverse(name, kwargs=values)


def expected(name: str, role: str, method: str, *, own: bool = True) -> int | set[int]:
    """The status the rule gives a cell: a number, or the set of answers a form POSTed with nothing
    filled in may get (the form again, or a redirect)."""
    access, kind = MATRIX[name]
    base, _, extra = (kind or "").partition("+")
    reads = method == "GET"
    if access == TOKEN:
        return OWN_READ.get(name, 404)
    writes = name in API_WRITES and not reads
    may = access == PUBLIC or role in access
    if name in API_LOGIN:
        # The API answers a method a path does not take with 405 before it looks at who is asking.
        if (reads and name in POST_ONLY) or (method == "POST" and name in GET_ONLY):
            return 405
        if role == "anonymous" and access != PUBLIC:
            return 401
    if role == "anonymous":
        if writes:
            return 401
        if not may:
            return 302
    elif writes and role not in OFFICE:
        return 403
    elif not may:
        return 403
    elif reads and name in AWAY_WHEN_SIGNED_IN:
        return {302}
    if (reads and name in POST_ONLY) or (method == "POST" and name in GET_ONLY):
        return 405
    if base == "missing" or extra in ("missing", "token"):
        return OWN_READ.get(name, 404) if reads and access == SIGNED_IN else 404
    if base and (not own or role not in SEES.get(base, (role,))):
        return 404
    if reads:
        return OWN_READ.get(name, 200)
    return OWN_WRITE.get(name, FORM_ANSWERS | ({422} if writes else set()))


def cells():
    for name, _pattern in url_names():
        access, _kind = MATRIX.get(name, (SKIP, None))
        if access != SKIP:
            for role in ROLES:
                yield pytest.param(name, role, id=f"{name}-{role}")


def _answer(client, method: str, path: str):
    if method == "PATCH":
        return client.patch(path, "{}", content_type="application/json")
    return client.get(path) if method == "GET" else client.post(path, {})


def _check(response, want, path: str, role: str, method: str) -> None:
    status = response.status_code
    where = f"{method} {path} ({role}): {status}, diharapkan {want}"
    assert status < 500, where
    assert status == want if isinstance(want, int) else status in want, where
    if status == 302 and want == 302:
        assert response["Location"].startswith("/akun/masuk/"), where
    if status == 403 and "/api/" not in path:
        assert "bukan untuk peran Anda" in response.content.decode(), where  # the app's own 403 page


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), list(cells()))
def test_matrix_cell(client, world, name, role):
    pattern = dict(url_names())[name]
    _access, kind = MATRIX[name]
    path = path_for(name, pattern, kind, world["records"]["own"])
    if role != "anonymous":
        client.force_login(world["accounts"]["own"][role])
    for method in METHODS.get(name, ("GET", "POST")):
        _check(_answer(client, method, path), expected(name, role, method), path, role, method)


SCOPED = {
    "batch",
    "program",
    "class",
    "session",
    "agreement",
    "duplicate",
    "erasure",
    "run",
    "credential",
    "import",
    "draft",
    "offer",
    "step_job",
    "agreement_import",
    "notification",
    "api_key",
    "api_run",
    "delivery_class",
}


def other_cells():
    for name, (access, kind) in MATRIX.items():
        base = (kind or "").partition("+")[0]
        if access in (TOKEN, SKIP) or base not in SCOPED:
            continue
        for role in ("regional_city", "regional_province", "provider", "assessor", "participant"):
            if role == "participant" and base == "batch":
                continue  # batches are open to every region's applicants (the catalogue)
            if role in ("participant", "assessor") and name in CATALOGUE_READS:
                continue
            if (access == PUBLIC and role in SEES.get(base, ())) or role in access:
                yield pytest.param(name, role, id=f"{name}-{role}")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), list(other_cells()))
def test_another_regions_records_are_404(client, world, name, role):
    """An own-region account asking for Samarinda's record of the same kind: 404 for every method the
    view takes (the method it does not take is a 405 before the record is looked up)."""
    _access, kind = MATRIX[name]
    path = path_for(name, dict(url_names())[name], kind, world["records"]["other"])
    client.force_login(world["accounts"]["own"][role])
    for method in METHODS.get(name, ("GET", "POST")):
        _check(_answer(client, method, path), expected(name, role, method, own=False), path, role, method)
