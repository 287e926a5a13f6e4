"""Which version of Open Referral a feed is, and older service records in the current shape.

HSDS 3.0 and its UK profile (ORUK 3.0) are read as they are. Service records in the older API
shape, the first Open Referral UK standard (ORUK 1.0, what most council feeds publish) and the
HSDS 1.x/2.x API it grew from, are mapped onto HSDS 3.0 field by field (the table is in
directory/hsds/README.md), each thing that cannot be kept named once in the report's ignored
fields. HSDS 1.x/2.x CSV datapackages are refused at once, with one message naming the version.
"""

import json
import uuid

HSDS_3 = "HSDS 3.0"
ORUK_1 = "ORUK 1.0"
HSDS_OLD = "HSDS 1.x/2.x"

# Keys of a service record found only in the older shapes; ORUK 1.0 added the last five.
OLD_SERVICE_KEYS = {"regular_schedules", "holiday_schedules", "physical_addresses"}
ORUK_1_SERVICE_KEYS = {
    "service_taxonomys",
    "eligibilitys",
    "fundings",
    "deliverable_type",
    "attending_type",
    "attending_access",
    "reviews",
}
CURRENT_SERVICE_KEYS = {"schedules", "attributes", "organization_id"}

# Files of a CSV datapackage before 3.0, and the ones 3.0 renamed them to.
OLD_TABLES = {
    "physical_addresses.csv",
    "postal_addresses.csv",
    "regular_schedules.csv",
    "holiday_schedules.csv",
    "services_taxonomy.csv",
    "service_taxonomy.csv",
    "accessibility_for_disabilities.csv",
    "payments_accepted.csv",
    "services_at_location.csv",
    "eligibility.csv",
}
CURRENT_TABLES = {"addresses.csv", "schedules.csv", "attributes.csv", "accessibility.csv"}

SHARED_KINDS = {"service", "organization", "location", "program"}
# A namespace for the ids given to records whose own id is not a UUID.
ID_NAMESPACE = uuid.UUID("5a1f2f0e-3b8c-4d4e-9a57-0b6f6c1d9e21")


def record_version(record):
    """The version a service record's shape shows."""
    if not isinstance(record, dict):
        return HSDS_3
    keys = set(record)
    if keys & ORUK_1_SERVICE_KEYS:
        return ORUK_1
    if keys & OLD_SERVICE_KEYS and not keys & CURRENT_SERVICE_KEYS:
        return HSDS_OLD
    return HSDS_3


def package_version(file_names, datapackage_text=None):
    """The version of a CSV datapackage from its file names (base names) and datapackage.json,
    and the files that show it."""
    names = set(file_names)
    old = sorted(names & OLD_TABLES)
    if old and not names & CURRENT_TABLES:
        return HSDS_OLD, old
    if datapackage_text:
        try:
            resources = json.loads(datapackage_text).get("resources") or []
        except (ValueError, AttributeError):
            resources = []
        paths = {
            str(r.get("path", "")).rpartition("/")[2] for r in resources if isinstance(r, dict)
        }
        old = sorted(paths & OLD_TABLES)
        if old and not paths & CURRENT_TABLES:
            return HSDS_OLD, old
    return HSDS_3, []


def old_package_message(source, version, evidence):
    return (
        f"{source} is an {version} CSV datapackage ({', '.join(evidence[:3])}); this importer "
        f"reads HSDS 3.0 and ORUK 3.0 packages, and older feeds only as JSON from their API. "
        "Nothing was imported."
    )


class Upgrade:
    """Maps older service records onto HSDS 3.0, noting what is not kept and ids it derived."""

    def __init__(self, version, ignored, warn):
        self.version = version
        self.ignored = ignored  # the report's set of ignored fields
        self.warn = warn  # warn(field, message) for the record being mapped
        self.scope = ""

    def _id(self, kind, value, where):
        """A UUID for an id: the id itself if it is one, else one derived from it. Ids of a
        service's own rows are often numbered within the service ("1", "2"), so theirs are
        derived within it; services, organisations, places and programmes keep theirs across
        the feed."""
        if value in (None, ""):
            return None
        try:
            return str(uuid.UUID(str(value)))
        except ValueError:
            scope = "" if kind in SHARED_KINDS else f"{self.scope}:"
            derived = str(uuid.uuid5(ID_NAMESPACE, f"{scope}{kind}:{value}"))
            self.warn(where, f"“{value}” is not a UUID; stored under the id {derived}.")
            return derived

    def _ignore(self, kind, data, keys):
        for key in keys:
            if data.get(key) not in (None, "", [], {}):
                self.ignored.add(f"{self.version} {kind}.{key}")

    def service(self, data):
        self.scope = str(data.get("id"))
        out = {
            "id": self._id("service", data.get("id"), "id"),
            "name": data.get("name"),
            "description": data.get("description"),
            "url": data.get("url"),
            "email": data.get("email"),
            "status": (str(data.get("status") or "active")).lower(),
            "fees_description": data.get("fees"),
            "accreditations": data.get("accreditations"),
            "assured_date": data.get("assured_date"),
            "interpretation_services": data.get("interpretation_services"),
            "application_process": data.get("application_process"),
            "wait_time": data.get("wait_time"),
            "licenses": data.get("licenses"),
        }
        self._ignore(
            "service",
            data,
            [
                "holiday_schedules",
                "reviews",
                "deliverable_type",
                "attending_type",
                "attending_access",
            ],
        )
        organization = data.get("organization")
        if isinstance(organization, dict):
            out["organization"] = self.organization(organization)
        elif data.get("organization_id"):
            out["organization_id"] = self._id(
                "organization", data["organization_id"], "organization_id"
            )
        # The service table of ORUK 1.0 names its programme; its API nests no programme.
        out["program_id"] = self._id("program", data.get("program_id"), "program_id")
        out["service_areas"] = [
            self.area(area, f"service_areas[{i}]")
            for i, area in enumerate(_objects(data.get("service_areas")))
        ]
        out["schedules"] = [
            self.schedule(s, f"regular_schedules[{i}]")
            for i, s in enumerate(_objects(data.get("regular_schedules")))
        ]
        self._eligibility(data, out)
        out["service_at_locations"] = [
            self.service_at_location(sal, f"service_at_locations[{i}]")
            for i, sal in enumerate(_objects(data.get("service_at_locations")))
        ]
        out["cost_options"] = [
            {
                "id": self._id("cost_option", c.get("id"), f"cost_options[{i}].id"),
                "option": c.get("option"),
                "amount": c.get("amount"),
                "amount_description": c.get("amount_description"),
                "valid_from": c.get("valid_from"),
                "valid_to": c.get("valid_to"),
            }
            for i, c in enumerate(_objects(data.get("cost_options")))
        ]
        out["funding"] = [
            {
                "id": self._id("funding", f.get("id"), f"fundings[{i}].id"),
                "source": f.get("source"),
            }
            for i, f in enumerate(_objects(data.get("fundings")))
        ]
        out["contacts"], out["phones"] = self._contacts(data)
        out["languages"] = [
            self.language(item, f"languages[{i}]")
            for i, item in enumerate(_objects(data.get("languages")))
        ]
        out["attributes"] = [
            self.taxonomy_link(link, f"service_taxonomys[{i}]")
            for i, link in enumerate(_objects(data.get("service_taxonomys")))
            if isinstance(link.get("taxonomy"), dict)
        ]
        return {key: value for key, value in out.items() if value not in (None, [])}

    def organization(self, data):
        self._ignore("organization", data, ["reviews", "services"])
        return {
            "id": self._id("organization", data.get("id"), "organization.id"),
            "name": data.get("name"),
            "description": data.get("description"),
            "email": data.get("email"),
            "website": data.get("url") or data.get("website"),
            "logo": data.get("logo"),
            "uri": data.get("uri"),
        }

    def area(self, data, where):
        extent = data.get("extent")
        if isinstance(extent, (dict, list)):
            extent = json.dumps(extent)
        extent = extent or ""
        return {
            "id": self._id("service_area", data.get("id"), f"{where}.id"),
            "name": data.get("service_area") or data.get("name"),
            "extent": extent,
            "extent_type": "geojson" if extent.lstrip().startswith("{") else "text",
            "uri": data.get("uri"),
        }

    def schedule(self, data, where):
        freq = str(data.get("freq") or "").upper() or None
        return {
            "id": self._id("schedule", data.get("id"), f"{where}.id"),
            "freq": freq,
            "interval": data.get("interval"),
            "byday": data.get("byday"),
            "bymonthday": data.get("bymonthday"),
            "dtstart": data.get("dtstart"),
            "description": data.get("description"),
            "opens_at": data.get("opens_at"),
            "closes_at": data.get("closes_at"),
            "valid_from": data.get("valid_from"),
            "valid_to": data.get("valid_to"),
        }

    def _eligibility(self, data, out):
        texts, minimums, maximums = [], [], []
        for item in _objects(data.get("eligibilitys")):
            if item.get("eligibility"):
                texts.append(str(item["eligibility"]).strip())
            if item.get("minimum_age") not in (None, ""):
                minimums.append(item["minimum_age"])
            if item.get("maximum_age") not in (None, ""):
                maximums.append(item["maximum_age"])
            self._ignore("eligibility", item, ["taxonomys"])
        if texts:
            out["eligibility_description"] = "; ".join(dict.fromkeys(texts))
        try:
            if minimums:
                out["minimum_age"] = min(float(m) for m in minimums)
            if maximums:
                out["maximum_age"] = max(float(m) for m in maximums)
        except (TypeError, ValueError):
            out["minimum_age"] = minimums[0] if minimums else None  # reported as not a number
            out["maximum_age"] = maximums[0] if maximums else None
        for key in ("minimum_age", "maximum_age"):
            value = out.get(key)
            if isinstance(value, float) and value.is_integer():
                out[key] = int(value)
            if value is None:
                out.pop(key, None)
        for key in ("minimum_age", "maximum_age"):
            if key not in out and data.get(key) not in (None, ""):
                out[key] = data[key]

    def service_at_location(self, data, where):
        location = data.get("location") if isinstance(data.get("location"), dict) else {}
        schedules = _objects(data.get("regular_schedules") or data.get("regular_schedule"))
        self._ignore("service_at_location", data, ["holiday_schedules", "holiday_schedule"])
        return {
            "id": self._id("service_at_location", data.get("id"), f"{where}.id"),
            "location": self.location(location, f"{where}.location") if location else None,
            "schedules": [
                self.schedule(s, f"{where}.regular_schedules[{i}]") for i, s in enumerate(schedules)
            ],
        }

    def location(self, data, where):
        addresses = _objects(data.get("physical_addresses")) or _objects(data.get("addresses"))
        return {
            "id": self._id("location", data.get("id"), f"{where}.id"),
            "location_type": "physical",
            "name": data.get("name"),
            "description": data.get("description"),
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "addresses": [
                {
                    "id": self._id("address", a.get("id"), f"{where}.physical_addresses[{i}].id"),
                    "address_type": "physical",
                    "attention": a.get("attention"),
                    "address_1": a.get("address_1"),
                    "address_2": a.get("address_2"),
                    "city": a.get("city"),
                    "state_province": a.get("state_province"),
                    "postal_code": a.get("postal_code"),
                    "country": a.get("country"),
                }
                for i, a in enumerate(addresses)
            ],
            "accessibility": [
                {
                    "id": self._id(
                        "accessibility", a.get("id"), f"{where}.accessibility_for_disabilities[{i}]"
                    ),
                    "description": a.get("accessibility"),
                    "details": a.get("details"),
                }
                for i, a in enumerate(_objects(data.get("accessibility_for_disabilities")))
            ],
        }

    def _contacts(self, data):
        contacts, phones = [], []
        for i, contact in enumerate(_objects(data.get("contacts"))):
            where = f"contacts[{i}]"
            if contact.get("name") or contact.get("title") or contact.get("email"):
                contacts.append(
                    {
                        "id": self._id("contact", contact.get("id"), f"{where}.id"),
                        "name": contact.get("name"),
                        "title": contact.get("title"),
                        "department": contact.get("department"),
                        "email": contact.get("email"),
                    }
                )
            for j, phone in enumerate(_objects(contact.get("phones"))):
                # ORUK 1.0 gives a service's numbers only through its contacts.
                phones.append(
                    {
                        "id": self._id("phone", phone.get("id"), f"{where}.phones[{j}].id"),
                        "number": phone.get("number"),
                        "description": contact.get("name") or contact.get("title"),
                    }
                )
                self._ignore("phone", phone, ["language"])
        for i, phone in enumerate(_objects(data.get("phones"))):
            phones.append(
                {
                    "id": self._id("phone", phone.get("id"), f"phones[{i}].id"),
                    "number": phone.get("number"),
                    "extension": phone.get("extension"),
                    "type": phone.get("type"),
                    "description": phone.get("description"),
                }
            )
        return contacts, phones

    def language(self, data, where):
        value = str(data.get("language") or data.get("name") or data.get("code") or "").strip()
        item = {"id": self._id("language", data.get("id"), f"{where}.id")}
        if 2 <= len(value) <= 3 and value.isalpha():
            item["code"] = value.lower()
        else:
            item["name"] = value
        return item

    def taxonomy_link(self, link, where):
        term = link["taxonomy"]
        vocabulary = str(term.get("vocabulary") or "Imported terms")
        code = str(term.get("id") or term.get("name") or "")
        term_id = str(uuid.uuid5(ID_NAMESPACE, f"taxonomy_term:{vocabulary}:{code}"))
        return {
            "id": self._id("attribute", link.get("id"), f"{where}.id"),
            "taxonomy_term": {
                "id": term_id,
                "code": code,
                "name": term.get("name") or code,
                "description": "",
                "taxonomy_detail": {
                    "id": str(uuid.uuid5(ID_NAMESPACE, f"taxonomy:{vocabulary}")),
                    "name": vocabulary,
                    "description": "",
                },
            },
        }


def _objects(value):
    if isinstance(value, dict):
        return [value]
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]
