"""The demo regions' public records settings: the format of their case numbers and the disposal decisions
(gallringsbeslut) their retention rules carry out, so that the demo's daily purge runs as in production."""

from __future__ import annotations

import datetime as dt

from .models import DisposalDecision
from .registry import portal

# story key → (case number format, (reference, date, decided by) of the region's disposal decision)
RECORDS = {
    "vasternorrland": ("RS {year}/{number}", ("RS 2021/1187 § 88", dt.date(2021, 11, 16), "Regionstyrelsen")),
    "halland": ("RS{year}/{number}", ("RS2020/0412 § 41", dt.date(2020, 4, 28), "Regionstyrelsen")),
    "vgr": ("RS {year}-{number:5}", ("RS 2019-05532 § 102", dt.date(2019, 9, 3), "Regionstyrelsen")),
}
NOTE = "Gallringsbeslut för personuppgifter i Samverkansportalen (demo)."


def load(region, key: str | None, stdout=None) -> None:
    """Give ``region`` (inside its scope) the demo's format and a decision for every retention rule."""
    if key not in RECORDS:
        return
    fmt, (reference, decided_on, decided_by) = RECORDS[key]
    if not region.case_number_format:
        region.case_number_format = fmt
        region.save(update_fields=["case_number_format"])
    for rule_key in sorted({rule.decision for rule in portal.retention_rules()}):
        DisposalDecision.objects.get_or_create(
            key=rule_key,
            defaults={"reference": reference, "decided_on": decided_on, "decided_by": decided_by, "note": NOTE},
        )
    if stdout:
        stdout.write(f"  case numbers as {region.case_number_format}; disposal decision {reference}")
