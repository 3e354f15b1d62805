"""One error shape for the whole API, in Indonesian, naming the field:

    {"detail": "<ringkasan>", "errors": [{"field": "end_date", "message": "..."}]}

Request validation (pydantic), the services' ValidationError, unknown filters, missing login, CSRF
and rate limits all answer in this shape."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from sinergi.partnerships.selectors import FilterError

# Field → how a person calls it, so a message names the field in words as well as by key.
FIELD_LABELS = {
    "title": "judul",
    "number": "nomor",
    "type": "jenis",
    "scheme": "skema",
    "status": "status",
    "reason": "alasan",
    "topics": "topik",
    "scope": "ruang lingkup",
    "signed_date": "tanggal penandatanganan",
    "signed_place": "tempat penandatanganan",
    "start_date": "tanggal mulai",
    "end_date": "tanggal berakhir",
    "region_code": "kode wilayah",
    "parent_id": "MoU induk",
    "parent": "MoU induk",
    "parties": "pihak",
    "organization_id": "organisasi",
    "role": "peran",
    "signatory_name": "nama penanda tangan",
    "signatory_position": "jabatan penanda tangan",
    "party_number": "nomor pihak",
    "commitments": "komitmen",
    "target": "target",
    "unit": "satuan",
    "deadline": "tenggat",
    "baseline": "nilai awal",
    "weight": "bobot",
    "metric": "metrik",
    "breakdown": "rincian",
    "page": "halaman",
    "page_size": "ukuran halaman",
    "region": "wilayah",
    "partner": "mitra",
    "topic": "topik",
    "sort": "urutan",
    "expiring_soon": "segera berakhir",
    "q": "pencarian",
}


class ApiError(Exception):
    def __init__(self, status: int, detail: str, errors: list[dict[str, str]] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors or []


def field_error(field: str, message: str, status: int = 422) -> ApiError:
    return ApiError(status, _("Data tidak valid."), [{"field": field, "message": _labelled(field, message)}])


def _labelled(field: str, message: str) -> str:
    leaf = field.split(".")[-1].split("[")[0]
    label = FIELD_LABELS.get(leaf)
    name = f"{field} ({label})" if label and label != field else field
    return f"{name}: {message}"


def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("wajib diisi.")
    if kind == "string_too_long":
        return _("terlalu panjang (maks. %(n)s karakter).") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("wajib diisi.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("bukan tanggal yang valid (gunakan TTTT-BB-HH, mis. 2021-12-20).")
    if kind.startswith("int"):
        return _("harus bilangan bulat.")
    if kind.startswith(("decimal", "float")):
        return _("harus angka.")
    if kind.startswith("bool"):
        return _("harus true atau false.")
    if kind in ("enum", "literal_error"):
        return _("nilai tidak dikenal; pilihan: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind == "extra_forbidden":
        return _("kolom tidak dikenal.")
    if kind == "too_short":
        return _("sedikitnya %(n)s butir.") % {"n": ctx.get("min_length")}
    if kind == "too_long":
        return _("paling banyak %(n)s butir.") % {"n": ctx.get("max_length")}
    if kind in ("greater_than_equal", "greater_than"):
        return _("harus lebih besar dari atau sama dengan %(n)s.") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("harus lebih kecil dari atau sama dengan %(n)s.") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind == "json_invalid":
        return _("badan permintaan bukan JSON yang valid.")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("harus berupa objek JSON.")
    if kind == "list_type":
        return _("harus berupa daftar (array).")
    if kind == "string_type":
        return _("harus berupa teks.")
    if kind == "value_error":
        return str(ctx.get("error") or error.get("msg", ""))
    return _("nilai tidak valid.")


def _path(loc: list[Any]) -> str:
    # ninja prefixes the location with where the value came from and the handler's argument name.
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "form", "header", "cookie"):
        parts = parts[1:]
    if parts and parts[0] in ("payload", "filters", "data"):
        parts = parts[1:]
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text or "body"


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, error: ApiError) -> HttpResponse:
        return api.create_response(
            request, {"detail": error.detail, "errors": error.errors}, status=error.status
        )

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return respond(request, exc)

    @api.exception_handler(NinjaValidationError)
    def request_invalid(request, exc: NinjaValidationError):
        errors = [
            {
                "field": _path(e.get("loc", [])),
                "message": _labelled(_path(e.get("loc", [])), _pydantic_message(e)),
            }
            for e in exc.errors
        ]
        return respond(request, ApiError(422, _("Data tidak valid."), errors))

    @api.exception_handler(DjangoValidationError)
    def service_invalid(request, exc: DjangoValidationError):
        if hasattr(exc, "message_dict"):
            errors = [
                {"field": field, "message": _labelled(field, message)}
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            errors = [{"field": "body", "message": m} for m in exc.messages]
        return respond(request, ApiError(422, _("Data tidak valid."), errors))

    @api.exception_handler(FilterError)
    def filter_invalid(request, exc: FilterError):
        return respond(request, field_error(exc.field, exc.message))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, ApiError(404, _("Tidak ditemukan.")))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return respond(
            request,
            ApiError(
                401, _("Masuk terlebih dahulu (sesi login), atau kirim kunci API organisasi (X-API-Key).")
            ),
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 403 and "CSRF" in str(exc):
            detail = _("Pemeriksaan CSRF gagal: kirim token CSRF dalam header X-CSRFToken.")
        elif exc.status_code == 429:
            detail = _("Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.")
        elif exc.status_code == 400 and "parse request body" in str(exc):
            return respond(
                request,
                ApiError(
                    400,
                    _("Data tidak valid."),
                    [
                        {
                            "field": "body",
                            "message": _labelled("body", _("badan permintaan bukan JSON yang valid.")),
                        }
                    ],
                ),
            )
        else:
            detail = str(exc)
        return respond(request, ApiError(exc.status_code, detail))
