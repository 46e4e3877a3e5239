"""Static files, uploaded files (local disk or S3-compatible object storage) and upload sizes."""

from pathlib import Path

from .base import BASE_DIR, DEBUG, env

# Static files from our own folder, served by whitenoise (never a CDN).
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files go through the storage API: local folder by default, outside the static files;
# nothing under MEDIA_ROOT is served publicly (documents are streamed by views that check access).
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"


# Object storage (any S3-compatible service) when a bucket is named, the local disk when not. Either way
# there are two stores: "default" for documents shown on public pages, "private" (another bucket, or the
# same bucket under a prefix) for board decisions, attachments and anything not public. No file is ever
# linked from a bucket URL: views check access and stream it (core.files.file_response).
def file_storages(env) -> dict:
    """The "default" and "private" entries of STORAGES from the environment (a function: tests call it)."""
    bucket = env("AWS_STORAGE_BUCKET_NAME", default="")
    if not bucket:
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {"BACKEND": "core.files.PrivateFileSystemStorage"},  # MEDIA_ROOT/private
        }
    location = env("AWS_LOCATION", default="").strip("/")
    options = {
        "bucket_name": bucket,
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env("AWS_S3_REGION_NAME", default="") or None,
        # Unset: boto3's own chain (instance role, ~/.aws/credentials).
        "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
        "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="") or None,  # "path" for MinIO and the like
        "location": location,
        "default_acl": None,  # the bucket's own policy, which must not allow public reads
        "querystring_auth": True,  # any URL the backend makes is signed and short-lived; we make none
        "querystring_expire": 60,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "private, no-store"},
    }
    private = {
        **options,
        "bucket_name": env("AWS_PRIVATE_STORAGE_BUCKET_NAME", default="") or bucket,
        "location": env("AWS_PRIVATE_LOCATION", default=f"{location}/private".lstrip("/")).strip("/"),
    }
    return {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
        "private": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": private},
    }


# Largest upload of any document (core.files.DocumentValidator).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=25) * 1024 * 1024
STORAGES = {
    **file_storages(env),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
