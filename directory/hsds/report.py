"""What an import did: the counts, every problem found, and what the feed had that is not kept."""

import json
from dataclasses import dataclass, field

# The report keeps this many errors and warnings in full; the counts are always exact.
MAX_LISTED = 10_000


@dataclass
class ImportReport:
    """What an import did: counts, every problem found, and the HSDS fields it does not keep."""

    created: int = 0
    updated: int = 0
    skipped: int = 0
    dry_run: bool = False
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    ignored_fields: set = field(default_factory=set)
    version: str | None = None  # the Open Referral version the feed's records show
    unchanged: int = 0  # services the feed gives exactly as last imported: left as they are
    retired: list = field(default_factory=list)  # ids of services no longer in a full feed

    def add(self, kind, index, record_id, field_name, message):
        entry = {"index": index, "id": record_id, "field": field_name, "message": str(message)}
        if kind == "error":
            self.error_count += 1
            if len(self.errors) < MAX_LISTED:
                self.errors.append(entry)
        else:
            self.warning_count += 1
            if len(self.warnings) < MAX_LISTED:
                self.warnings.append(entry)

    def as_dict(self):
        return {
            "dry_run": self.dry_run,
            "version": self.version,
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "unchanged": self.unchanged,
            "retired": len(self.retired),
            "retired_ids": self.retired[:MAX_LISTED],
            "error_count": self.error_count,
            "warning_count": self.warning_count,
            "errors": self.errors,
            "warnings": self.warnings,
            "ignored_fields": sorted(self.ignored_fields),
        }


def write_report(report, path):
    with open(path, "w", encoding="utf-8") as out:
        json.dump(report.as_dict(), out, indent=2, ensure_ascii=False)
