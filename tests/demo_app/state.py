"""What the demo app "holds": kept in memory, so the demo needs no models or migrations."""

from core.pagecache import VersionedCache

pages = VersionedCache("demo_app", timeout=300)

# The word its meeting-page note shows, the times its periodic task ran, the notes it keeps per e-mail.
note = {"word": "hej"}
tidied: list[str] = []
notes_by_email: dict[str, list[str]] = {}
noted: list[int] = []  # what its admin action was given
