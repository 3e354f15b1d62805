"""One settings module, configured only by environment variables.

The defaults are the embedded mode: an SQLite file under ./var, jobs run in-process, e-mail
printed on the console. Production sets SINERGI_ENV=production, DATABASE_URL, REDIS_URL,
SECRET_KEY and EMAIL_URL; it refuses to start with the development secret key.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
env = environ.Env()

# The project root when running from a checkout; data (SQLite, uploads) lives in ./var unless told otherwise.
VAR_DIR = Path(env.str("SINERGI_VAR_DIR", default=str(Path.cwd() / "var")))

SINERGI_ENV = env.str("SINERGI_ENV", default="development")
PRODUCTION = SINERGI_ENV == "production"
DEV_SECRET_KEY = "sinergi-development-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
# Off unless asked for (`make demo` asks): a debug page shows settings and personal data to anyone.
DEBUG = env.bool("DEBUG", default=False)
if PRODUCTION and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "SECRET_KEY wajib diisi dengan nilai rahasia minimal 32 karakter di mode produksi."
    )
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG tidak boleh aktif di mode produksi.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "sinergi.core",
    "sinergi.regions",
    "sinergi.accounts",
    "sinergi.partnerships",
    "sinergi.programs",
    "sinergi.registration",
    "sinergi.selection",
    "sinergi.learning",
    "sinergi.credentials",
    "sinergi.outcomes",
    "sinergi.readiness",
    "sinergi.awards",
    "sinergi.intake",
    "sinergi.reporting",
    "sinergi.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Serves a certificate's verification page from the cache to anonymous visitors who bring its right
    # check code (the QR link), before everything below (credentials/page_cache.py).
    "sinergi.credentials.page_cache.VerificationPageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sinergi.core.middleware.IndonesianByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks request.user verified once the second step of signing in (a TOTP or recovery code) is done.
    "django_otp.middleware.OTPMiddleware",
    # Logs each request made with an organisation API key, with the status it was answered.
    "sinergi.api.middleware.ApiKeyUseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Turns a blocked request (django-ratelimit's Ratelimited) into the 429 page of RATELIMIT_VIEW.
    "django_ratelimit.middleware.RatelimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Staff with two-factor on reach nothing but the code page until they enter a code; a national
    # admin without it reaches nothing but its setup page (core/two_factor.py).
    "sinergi.core.middleware.TwoFactorMiddleware",
    "sinergi.core.middleware.ClientAddressAuditlogMiddleware",
    # Axes must be last: it inspects the outcome of authentication for lockouts.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sinergi.urls"
WSGI_APPLICATION = "sinergi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sinergi.core.context_processors.navigation",
            ],
        },
    },
]

# An empty DATABASE_URL means the embedded default too (the Makefile's SQLite test run sets it empty).
DATABASES = {
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'sinergi.sqlite3'}"
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the in-process job thread write while a request reads. Transactions
    # take the write lock when they begin: a deferred one that reads first and then writes cannot wait
    # for the lock (SQLite answers "database is locked" at once) while the job thread is writing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    # A kept connection is checked before a request uses it: after PostgreSQL restarts, each process
    # reconnects instead of failing its next request on a dead socket.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A request cut off by a restart waits no longer than this to connect again (then the 503 page).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Redis down must not take the site down: the cache answers from process memory meanwhile, so
    # rate limits still count (per process) and cached pages are built again (core/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "sinergi.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=1.0),
                "socket_timeout": env.float("REDIS_SOCKET_TIMEOUT", default=2.0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background jobs: Celery with Redis when a broker is configured; otherwise in-process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
JOBS_MODE = "celery" if CELERY_BROKER_URL else "in-process"
CELERY_TASK_ALWAYS_EAGER = JOBS_MODE == "in-process"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Jakarta"
# A worker killed mid-job (SIGKILL, OOM, a host lost) must not lose the job: the message is
# acknowledged only when the task has ended, so the broker gives it out again, after the visibility
# timeout, to the next worker. A copy given out while the first run is still alive finds the job
# claimed and does nothing (core/jobs.py), so the timeout need not exceed the longest job.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a worker holds no queued job it is not running
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # A request that enqueues a job while Redis is unreachable must not hang on it (core.jobs).
    "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=1.0),
}
# A running job whose worker is not heard of for this long is taken over by another (core/jobs.py).
SINERGI_JOB_LEASE_SECONDS = env.float("SINERGI_JOB_LEASE_SECONDS", default=120)
# Periodic jobs for `celery -A sinergi beat`; the embedded mode runs `sinergi send_reminders` from cron.
CELERY_BEAT_SCHEDULE = {
    # Jobs the broker could not take (Redis was down) and jobs whose worker died are sent again.
    "core-requeue-stalled-jobs": {
        "task": "sinergi.core.requeue_stalled_jobs",
        "schedule": 60.0,
    },
    "partnerships-daily-reminders": {
        "task": "sinergi.partnerships.daily",
        "schedule": crontab(hour=6, minute=0),  # 06:00 WIB, before the offices open
    },
    # Unanswered seat offers lapse at their deadline; hourly keeps the freed seats visible for backfill.
    # Stored commitment progress: changes are measured on commit; this catches anything left unmarked.
    "partnerships-refresh-metrics": {
        "task": "sinergi.partnerships.refresh_metrics",
        "schedule": crontab(minute="*/30"),
    },
    "selection-expire-offers": {
        "task": "sinergi.selection.expire_offers",
        "schedule": crontab(minute=5),
    },
    # Dashboards and open data read the stored funnel (reporting/funnel.py); hourly keeps it current.
    "reporting-refresh-funnel": {
        "task": "sinergi.reporting.refresh_funnel",
        "schedule": crontab(minute=20),
    },
    # Tracer surveys: invite graduates whose round is due and send reminders, once a day (07:00 WIB).
    "outcomes-send-tracers": {
        "task": "sinergi.outcomes.send_tracers",
        "schedule": crontab(hour=7, minute=0),
    },
    # Hourly, so everyone whose offer lapses within a day hears of it about 24 hours before (once each).
    # Retention (UU 27/2022): records past their period are removed nightly, 02:30 WIB.
    "core-apply-retention": {
        "task": "sinergi.core.apply_retention",
        "schedule": crontab(hour=2, minute=30),
    },
    "selection-remind-expiring-offers": {
        "task": "sinergi.selection.remind_expiring_offers",
        "schedule": crontab(minute=15),
    },
}
# Tests run jobs synchronously so that their effects can be asserted without waiting.
JOBS_SYNCHRONOUS = env.bool("JOBS_SYNCHRONOUS", default=False)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Lockout after repeated failed logins, per account and address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "sinergi.core.http.client_address"

# How many reverse proxies of our own stand in front of the app (each appends to X-Forwarded-For).
# 0: the app is reached directly and the header is ignored. Rate limits and lockouts count the address
# picked by sinergi.core.http.client_address; a wrong count either lets clients forge their address
# (too high) or puts everyone behind the proxy in one bucket (too low).
SINERGI_TRUSTED_PROXIES = env.int("SINERGI_TRUSTED_PROXIES", default=0)
RATELIMIT_IP_META_KEY = "sinergi.core.http.client_address"
RATELIMIT_VIEW = "sinergi.core.views.rate_limited"
# JSON API: per address without login, per account with a session.
SINERGI_API_ANONYMOUS_RATE = env.str("SINERGI_API_ANONYMOUS_RATE", default="120/m")
SINERGI_API_ACCOUNT_RATE = env.str("SINERGI_API_ACCOUNT_RATE", default="600/m")
# "NIK already registered" answers on the profile form, per account and per client address: each
# one confirms that a NIK is in the register, so they are rationed (then the 429 page) and audited.
SINERGI_NIK_CONFLICT_RATE_ACCOUNT = env.str("SINERGI_NIK_CONFLICT_RATE_ACCOUNT", default="3/d")
SINERGI_NIK_CONFLICT_RATE_ADDRESS = env.str("SINERGI_NIK_CONFLICT_RATE_ADDRESS", default="20/d")
# Two-factor sign-in (TOTP with django-otp, core/two_factor.py): optional for every staff role,
# required for national admins. Turning the requirement off is for a closed test installation only:
# a national admin's account opens every region's personal data.
SINERGI_REQUIRE_2FA_NATIONAL = env.bool("SINERGI_REQUIRE_2FA_NATIONAL", default=True)
# Code attempts (sign-in, setup, new recovery codes, switching off) per account, then the 429 page;
# django-otp's back-off (1 s, 2 s, 4 s … after each wrong code) comes on top.
SINERGI_TWO_FACTOR_RATE = env.str("SINERGI_TWO_FACTOR_RATE", default="5/m")
OTP_TOTP_ISSUER = "Sinergi"
# The admin site's device pages show no secret and no QR code: a device is set up by its owner only.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Life of a password-reset link, and of the sign-up confirmation link (same token machinery).
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_HOST = EMAIL_CONFIG.get("EMAIL_HOST", "")
EMAIL_PORT = EMAIL_CONFIG.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = EMAIL_CONFIG.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = EMAIL_CONFIG.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = EMAIL_CONFIG.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = EMAIL_CONFIG.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Sinergi <noreply@sinergi.localhost>")

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest PDF accepted with an agreement (signed text, review attachments, monev evidence).
AGREEMENT_ATTACHMENT_MAX_MB = env.float("AGREEMENT_ATTACHMENT_MAX_MB", default=10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Limits for reading the text of an uploaded PDF or DOCX (core/document_text.py): every upload may be
# a decompression bomb, so they are checked while reading, before anything large is built.
DOCUMENT_MAX_PAGES = env.int("DOCUMENT_MAX_PAGES", default=300)
DOCUMENT_MAX_TEXT_CHARS = env.int("DOCUMENT_MAX_TEXT_CHARS", default=500_000)
DOCUMENT_READ_SECONDS = env.float("DOCUMENT_READ_SECONDS", default=30)
PDF_MAX_STREAM_BYTES = env.int("PDF_MAX_STREAM_BYTES", default=4 * 1024 * 1024)
PDF_MAX_CONTENT_OPERATIONS = env.int("PDF_MAX_CONTENT_OPERATIONS", default=500_000)
DOCX_MAX_MEMBERS = env.int("DOCX_MAX_MEMBERS", default=1000)
DOCX_MAX_MEMBER_BYTES = env.int("DOCX_MAX_MEMBER_BYTES", default=20 * 1024 * 1024)
DOCX_MAX_INFLATED_BYTES = env.int("DOCX_MAX_INFLATED_BYTES", default=40 * 1024 * 1024)

# Every uploaded spreadsheet (participants, attendance, agreements) is checked against these before
# it is parsed (core/tables.py); an import may narrow them (fewer rows). 100,000 rows of the
# participant template measured 50 MB of XML unzipped and 400,000 distinct texts
# (bench/bench_table_limits.py), so 200,000 rows fit with room to spare.
TABLE_LIMITS = {
    "max_bytes": env.int("TABLE_MAX_MB", default=20) * 1024 * 1024,
    "max_unpacked_bytes": env.int("TABLE_MAX_UNPACKED_MB", default=256) * 1024 * 1024,
    "max_member_bytes": env.int("TABLE_MAX_UNPACKED_MB", default=256) * 1024 * 1024,
    "max_members": 1000,
    "max_rows": env.int("TABLE_MAX_ROWS", default=200_000),
    "max_columns": 256,
    "max_cells": env.int("TABLE_MAX_CELLS", default=4_000_000),
    "max_shared_strings": env.int("TABLE_MAX_SHARED_STRINGS", default=1_000_000),
    "max_field_chars": 32_767,  # Excel's own limit for one cell
    "max_seconds": env.float("TABLE_MAX_SECONDS", default=600),
}

# Keyed hash for searchable personal identifiers (NIK); separate from SECRET_KEY so it can be
# rotated independently. The encryption key for NIK at rest derives from it unless set.
PII_HASH_KEY = env.str("PII_HASH_KEY", default=SECRET_KEY + ":pii-hash")
PII_ENCRYPTION_KEY = env.str("PII_ENCRYPTION_KEY", default="")
PRIVACY_NOTICE_VERSION = "2026-11"
# An erasure request is decided within 3 x 24 hours, the period UU 27/2022 gives a controller to act
# on a data subject's request; an office bound by a longer internal rule may set more.
PDP_ERASURE_DECISION_HOURS = env.int("PDP_ERASURE_DECISION_HOURS", default=72)
# How long each kind of record is kept before `sinergi apply_retention` removes it (years).
RETENTION_YEARS = {
    "withdrawn_applications": env.int("RETENTION_WITHDRAWN_APPLICATIONS_YEARS", default=2),
    "rejected_applications": env.int("RETENTION_REJECTED_APPLICATIONS_YEARS", default=2),
    "tracer_answers": env.int("RETENTION_TRACER_ANSWERS_YEARS", default=5),
    "personal_data_views": env.int("RETENTION_PERSONAL_DATA_VIEWS_YEARS", default=5),
}

# Security headers; cookies are secure and HTTPS is enforced in production (plain HTTP in development).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
