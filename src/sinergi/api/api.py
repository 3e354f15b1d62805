"""The versioned JSON API (django-ninja). The OpenAPI schema is served at /api/v1/openapi.json; the
interactive docs UI is off because it loads its scripts from a CDN and runs inline script, which the
CSP forbids. /api/v1/dokumentasi/ renders the same schema as a plain page."""

from django.urls import reverse
from ninja import NinjaAPI

from sinergi.api import errors
from sinergi.api.agreements import router as agreements_router
from sinergi.api.catalogue import router as catalogue_router
from sinergi.api.delivery import router as delivery_router
from sinergi.api.region_selection import router as region_selection_router
from sinergi.api.results import router as results_router


class SinergiAPI(NinjaAPI):
    def get_root_path(self, path_params: dict) -> str:
        # The root urls.py mounts every app under its own namespace, so this API lives in "api:v1".
        return reverse(f"api:{self.urls_namespace}:api-root", kwargs=path_params)


api = SinergiAPI(
    title="Sinergi API",
    version="1",
    description="Kerja sama daerah dan komitmennya yang terukur. Baca tanpa login untuk data publik; "
    "tulis dengan sesi login dan token CSRF (header X-CSRFToken). Sistem lain (LMS, sistem kepegawaian) "
    "memakai kunci API organisasi: header X-API-Key atau Authorization: Bearer; kunci terikat wilayah "
    "organisasinya dan hanya berlaku untuk cakupan (sumber:baca/tulis) yang diberikan. Pesan dalam "
    "Bahasa Indonesia; kirim Accept-Language: en untuk bahasa Inggris.",
    docs_url=None,
    urls_namespace="v1",
)
errors.install(api)
api.add_router("/agreements/", agreements_router)
api.add_router("/region-selection/", region_selection_router)
api.add_router("/", catalogue_router)
api.add_router("/", delivery_router)
api.add_router("/", results_router)
