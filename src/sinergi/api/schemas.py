"""Request and response shapes of the API. Field names are English (code names, see GLOSSARY.md);
every code has its Indonesian label beside it (`*_label`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict

from sinergi.core.validators import control_character_problem, name_problem, nested_text_problem
from sinergi.partnerships.models import AgreementParty, AgreementType, Scheme, Status, Topic


def _checked(find_problem):
    # A ValueError's text becomes the error message (api/errors.py), prefixed with the field's name.
    def check(value: Any) -> Any:
        if problem := find_problem(value):
            raise ValueError(problem)
        return value

    return AfterValidator(check)


# Text a request may carry: NUL would fail on PostgreSQL, other control characters in an export.
SingleLine = Annotated[str, _checked(control_character_problem)]
MultiLine = Annotated[str, _checked(lambda v: control_character_problem(v, multiline=True))]
PersonName = Annotated[str, _checked(lambda v: name_problem(v.strip()))]
JsonObject = Annotated[dict, _checked(nested_text_problem)]


class RegionOut(Schema):
    code: str
    name: str
    level: str


class OrganizationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    region_code: str | None


class PartyOut(Schema):
    organization: OrganizationOut
    role: str
    role_label: str
    signatory_name: str
    signatory_position: str
    party_number: str


class ProgressOut(Schema):
    value: float = Field(description="Nilai saat ini menurut metrik komitmen.")
    percent: float = Field(description="Persen jalan dari nilai awal ke target; dapat melebihi 100.")
    expected_percent: float = Field(description="Persen waktu yang telah berlalu sampai tenggat.")
    status: str = Field(description="on_track, at_risk atau late.")
    status_label: str


class CommitmentOut(Schema):
    id: int
    title: str
    metric: str
    metric_label: str
    target: float
    unit: str
    deadline: date
    baseline: float
    weight: float
    breakdown: dict
    progress: ProgressOut


class RollupOut(Schema):
    percent: float | None = Field(description="Rata-rata berbobot kemajuan komitmen, termasuk PKS pelaksana.")
    status: str | None
    status_label: str | None


class AgreementOut(Schema):
    id: int
    url: str = Field(description="Halaman publik kerja sama.")
    title: str
    number: str
    type: str
    type_label: str
    scheme: str
    status: str
    status_label: str
    is_public: bool
    topics: list[str]
    topic_labels: list[str]
    scope: str
    signed_date: date | None
    signed_place: str
    start_date: date
    end_date: date
    region: RegionOut | None
    parent_id: int | None
    parties: list[PartyOut]
    commitments: list[CommitmentOut]
    progress: RollupOut


class AgreementCreated(AgreementOut):
    warnings: list[str] = Field(description="Peringatan yang tidak menghalangi penyimpanan.")


class AgreementPage(Schema):
    count: int
    page: int
    page_size: int
    num_pages: int
    next: str | None
    previous: str | None
    results: list[AgreementOut]


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem]


class _Strict(Schema):
    # A misspelt field is an error, not silently ignored.
    model_config = ConfigDict(extra="forbid")


class PartyIn(_Strict):
    organization_id: int
    role: AgreementParty.Role = AgreementParty.Role.OTHER
    signatory_name: PersonName = Field("", max_length=120)
    signatory_position: SingleLine = Field("", max_length=120)
    party_number: SingleLine = Field("", max_length=120)


class CommitmentIn(_Strict):
    title: SingleLine = Field(min_length=1, max_length=300)
    target: Decimal = Field(max_digits=14, decimal_places=2)
    unit: SingleLine = Field(min_length=1, max_length=40)
    deadline: date
    metric: SingleLine = Field("manual", max_length=60)
    baseline: Decimal = Field(Decimal(0), max_digits=14, decimal_places=2)
    weight: Decimal = Field(Decimal(1), ge=0, max_digits=6, decimal_places=2)
    breakdown: JsonObject = Field(default_factory=dict)


class AgreementIn(_Strict):
    type: AgreementType
    title: SingleLine = Field(min_length=1, max_length=300)
    number: SingleLine = Field("", max_length=120)
    scheme: Scheme = Scheme.KSDPK
    status: Status = Field(
        Status.USULAN, description="Untuk mencatat kerja sama yang sudah berlaku: berlaku."
    )
    topics: list[Topic] = Field(default_factory=list)
    scope: MultiLine = ""
    signed_date: date | None = None
    signed_place: SingleLine = Field("", max_length=120)
    start_date: date
    end_date: date
    region_code: SingleLine | None = Field(None, description="Kode Kemendagri; kosong = wilayah kerja Anda.")
    parent_id: int | None = Field(None, description="Untuk PKS: id MoU induk.")
    parties: list[PartyIn] = Field(min_length=2)
    commitments: list[CommitmentIn] = Field(default_factory=list)


class AgreementPatch(_Strict):
    title: SingleLine | None = Field(None, min_length=1, max_length=300)
    number: SingleLine | None = Field(None, max_length=120)
    signed_date: date | None = None
    signed_place: SingleLine | None = Field(None, max_length=120)
    start_date: date | None = None
    end_date: date | None = Field(None, description="Untuk status diperpanjang: tanggal berakhir baru.")
    status: Status | None = Field(None, description="Melalui alur status yang diizinkan.")
    reason: MultiLine = Field(
        "", max_length=2000, description="Alasan perubahan status (wajib untuk dihentikan)."
    )
