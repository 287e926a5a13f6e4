"""import_hsds on what publishers actually publish: real feeds vendored under
tests/fixtures/openreferral/real/ (see SOURCE.md there), and records written in the shapes of
the defects those feeds show. Lenient in (a bad field is repaired or dropped with a warning
naming the record, the field and what was done), strict out."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from directory.hsds import read as read_module
from directory.models import Organization, Service
from tests.directory.test_import_hsds import ids, service

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "openreferral" / "real"
VALIDATOR_LIST = REAL / "oruk-validator" / "service_list.json"
HSDS_1_PACKAGE = REAL / "hsds-1-sample-datapackage"


def import_report(path, *args, tmp_path):
    report = tmp_path / f"report-{len(list(tmp_path.iterdir()))}.json"
    out = StringIO()
    call_command(
        "import_hsds", str(path), "--no-progress", "--report", str(report), *args, stdout=out
    )
    return json.loads(report.read_text())


def feed(tmp_path, records, name="feed.json"):
    path = tmp_path / name
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def warnings_for(report, field_name):
    return [w for w in report["warnings"] if w["field"] == field_name]


# -- the ORUK validator's own 3.0 test list ----------------------------------------------------


@pytest.mark.django_db
def test_the_validators_test_list_imports_and_a_dry_run_reports_the_same(tmp_path):
    """128 copies of one service id; later copies name the organisation by id only."""
    dry = import_report(VALIDATOR_LIST, "--dry-run", tmp_path=tmp_path)
    assert Service.objects.count() == 0
    real = import_report(VALIDATOR_LIST, tmp_path=tmp_path)
    assert Service.objects.count() == 1
    assert Organization.objects.filter(pk="d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610").exists()
    dry.pop("dry_run"), real.pop("dry_run")
    assert dry == real
    assert real["created"] == 1 and real["skipped"] == 0


@pytest.mark.django_db
def test_a_repeated_id_is_reported_on_the_later_copy_naming_the_first(tmp_path):
    first = service(1)
    second = service(1, name="Bereavement support (changed)")
    second.pop("organization")
    second["organization_id"] = ids(1)
    report = import_report(feed(tmp_path, [first, service(2), second]), tmp_path=tmp_path)
    repeats = warnings_for(report, "id")
    assert [(w["index"], w["id"]) for w in repeats] == [(2, ids(1001))]
    assert "record 0" in repeats[0]["message"]
    stored = Service.objects.get(pk=ids(1001))
    assert stored.name == "Bereavement support (changed)"
    assert stored.organization.name == "Lewisham Hospice"


@pytest.mark.django_db
def test_a_repeated_id_across_batches_is_reported_too(tmp_path):
    records = [service(1), service(2), service(3), service(1, name="Again")]
    report = import_report(feed(tmp_path, records), "--batch-size", "2", tmp_path=tmp_path)
    assert [(w["index"], w["id"]) for w in warnings_for(report, "id")] == [(3, ids(1001))]
    assert Service.objects.get(pk=ids(1001)).name == "Again"


# -- lenient in ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_organisation_without_a_description_keeps_its_services(tmp_path):
    record = service(1)
    record["organization"]["description"] = ""
    report = import_report(feed(tmp_path, [record]), tmp_path=tmp_path)
    assert report["created"] == 1 and report["skipped"] == 0
    [warning] = warnings_for(report, "organization.description")
    assert warning["id"] == ids(1001) and "empty" in warning["message"]


@pytest.mark.django_db
def test_a_service_naming_no_organisation_is_kept_under_one_of_its_own_name(tmp_path):
    """As in a council's ORUK 1.0 list: a community choir, a warm space, a podiatry clinic
    with no organisation at all. Each is listed under an organisation of its own name, made
    once, the same on a re-import; a service with neither a name nor an organisation is
    still refused."""
    alone = service(1, name="Yate Community Choir")
    alone.pop("organization")
    nameless = service(2, name="")
    nameless.pop("organization")
    path = feed(tmp_path, [alone, nameless, service(3)])
    report = import_report(path, tmp_path=tmp_path)
    assert (report["created"], report["skipped"]) == (2, 1)
    [warning] = warnings_for(report, "organization")
    assert warning["id"] == ids(1001)
    assert "Yate Community Choir" in warning["message"]
    choir = Service.objects.get(pk=ids(1001))
    assert choir.organization.name == "Yate Community Choir"
    assert choir.organization.description == ""
    again = import_report(path, tmp_path=tmp_path)
    assert (again["created"], again["unchanged"], again["skipped"]) == (0, 2, 1)
    assert Organization.objects.filter(name="Yate Community Choir").count() == 1


@pytest.mark.django_db
def test_a_web_address_longer_than_we_store_is_dropped_with_a_warning(tmp_path):
    long_url = "https://www.example.gov.uk/directory/" + "service-details/" * 14 + "?id=42"
    assert len(long_url) > 200
    record = service(1, url=long_url)
    report = import_report(feed(tmp_path, [record]), tmp_path=tmp_path)
    assert report["created"] == 1 and report["skipped"] == 0
    [warning] = warnings_for(report, "url")
    assert "left out" in warning["message"] and str(len(long_url)) in warning["message"]
    assert Service.objects.get().url == ""


@pytest.mark.django_db
def test_invisible_characters_in_an_email_are_removed_with_a_warning(tmp_path):
    record = service(1, email="help\u200b@example.org\u00a0")
    report = import_report(feed(tmp_path, [record]), tmp_path=tmp_path)
    assert report["created"] == 1
    [warning] = warnings_for(report, "email")
    assert "invisible" in warning["message"] and "U+200B" in warning["message"]
    assert Service.objects.get().email == "help@example.org"


def test_html_becomes_text_with_block_boundaries_kept():
    from directory.hsds.cleaning import html_to_text

    assert html_to_text("<p>For people who are</p><p>homeless</p>") == (
        "For people who are\n\nhomeless"
    )
    assert html_to_text("It is affecting us.<br>They said") == "It is affecting us.\nThey said"
    assert html_to_text("<ul><li>Advice</li><li>Support</li></ul>") == "Advice\nSupport"
    assert html_to_text("<div>Open <b>daily</b></div><div>Call&nbsp;us</div>") == (
        "Open daily\nCall us"
    )
    assert html_to_text("<td>Mon</td><td>Tue</td>") == "Mon Tue"
    assert html_to_text("a < b and c > d") == "a < b and c > d"


@pytest.mark.django_db
def test_html_in_a_real_description_does_not_glue_words(tmp_path):
    record = service(1, description="<p>Support for people who are</p><p>homeless.</p>")
    import_report(feed(tmp_path, [record]), tmp_path=tmp_path)
    assert Service.objects.get().description == "Support for people who are\n\nhomeless."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "free"),
    [
        ({"cost_options": [], "fees": "£5 per session"}, False),
        ({"cost_options": []}, False),
        ({"cost_options": [], "fees_description": "Free"}, True),
        ({"cost_options": [], "fees": "No charge"}, True),
        ({"cost_options": [{"id": ids(6001), "amount": 0, "currency": "GBP"}]}, True),
        ({"cost_options": [{"id": ids(6001), "option": "Free"}]}, True),
        ({"cost_options": [{"id": ids(6001), "option": "Weekly class", "amount": 4}]}, False),
    ],
)
def test_a_service_is_free_only_when_the_feed_says_so(tmp_path, changes, free):
    import_report(feed(tmp_path, [service(1, **changes)]), tmp_path=tmp_path)
    assert Service.objects.get().free is free


# -- versions ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_hsds_1_datapackage_is_refused_at_once_naming_its_version(tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command("import_hsds", str(HSDS_1_PACKAGE), "--no-progress", stdout=StringIO())
    message = str(raised.value)
    assert "HSDS 1.x" in message
    assert message.count("\n") <= 2
    assert Service.objects.count() == 0


def oruk_1_service(n, **changes):
    """A service as ORUK 1.0 council feeds publish it (the shape of /services/{id})."""
    data = {
        "id": ids(100 + n),
        "name": f"Carers' drop-in {n}",
        "description": "<p>A weekly drop-in for unpaid carers.</p><p>Tea and a chat.</p>",
        "url": "https://www.example.gov.uk/carers",
        "email": "carers@example.gov.uk",
        "status": "active",
        "fees": "£2 per session",
        "accreditations": "",
        "deliverable_type": "Advice",
        "attending_type": "venue",
        "attending_access": "drop-in",
        "assured_date": "2023-11-01",
        "organization": {
            "id": ids(200),
            "name": "Carers Network",
            "description": "",
            "url": "https://carers.example.org",
            "logo": None,
            "uri": None,
            "reviews": [],
        },
        "service_areas": [{"id": "area-1", "service_area": "Bristol", "extent": None, "uri": None}],
        "fundings": [{"id": "f1", "source": "Council grant"}],
        "regular_schedules": [
            {
                "id": ids(300 + n),
                "freq": "weekly",
                "interval": 1,
                "byday": "WE",
                "opens_at": "10:00:00",
                "closes_at": "12:00:00",
                "description": "Wednesday mornings",
            }
        ],
        "holiday_schedules": [],
        "eligibilitys": [
            {"id": "e1", "eligibility": "Adults caring for someone", "minimum_age": 18}
        ],
        "service_at_locations": [
            {
                "id": ids(400 + n),
                "location": {
                    "id": ids(500 + n),
                    "name": "Community centre",
                    "latitude": 51.4545,
                    "longitude": -2.5879,
                    "physical_addresses": [
                        {
                            "id": ids(600 + n),
                            "address_1": "1 Broad Street",
                            "city": "Bristol",
                            "state_province": "",
                            "postal_code": "BS1 2EJ",
                            "country": "GB",
                        }
                    ],
                    "accessibility_for_disabilities": [
                        {"id": ids(700 + n), "accessibility": "Ramp at the side door"}
                    ],
                },
            }
        ],
        "cost_options": [{"id": ids(800 + n), "option": "Per session", "amount": 2}],
        "contacts": [
            {
                "id": ids(900 + n),
                "name": "Carers team",
                "title": None,
                "phones": [{"id": ids(950 + n), "number": "0117 496 0000", "language": None}],
            }
        ],
        "languages": [{"id": ids(980 + n), "language": "English"}],
        "service_taxonomys": [
            {
                "id": "st-1",
                "taxonomy": {"id": "1188", "name": "Carers", "vocabulary": "esdServiceTypes"},
            }
        ],
        "reviews": [],
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_an_oruk_1_feed_is_recognised_and_mapped_field_by_field(tmp_path):
    page = {"totalElements": 2, "totalPages": 1, "number": 1, "content": []}
    page["content"] = [oruk_1_service(1), oruk_1_service(2, description="Plain text.")]
    report = import_report(feed(tmp_path, page), tmp_path=tmp_path)
    assert report["version"] == "ORUK 1.0"
    assert (report["created"], report["skipped"]) == (2, 0)
    stored = Service.objects.get(pk=ids(101))
    assert stored.description == "A weekly drop-in for unpaid carers.\n\nTea and a chat."
    assert stored.organization.website == "https://carers.example.org"
    assert stored.fees_description == "£2 per session" and stored.free is False
    assert stored.eligibility_description == "Adults caring for someone"
    assert stored.minimum_age == 18
    schedule = stored.schedules.get()
    assert (schedule.freq, schedule.byday, str(schedule.opens_at)) == ("WEEKLY", "WE", "10:00:00")
    location = stored.service_at_locations.get().location
    assert location.addresses.get().postal_code == "BS1 2EJ"
    assert location.accessibility.get().description == "Ramp at the side door"
    assert stored.phones.get().number == "0117 496 0000"
    assert list(stored.languages.values_list("code", flat=True)) == ["en"]
    term = stored.categories.get()
    assert (term.code, term.name, term.taxonomy.name) == ("1188", "Carers", "esdServiceTypes")
    assert stored.service_areas.get().name == "Bristol"
    assert list(stored.funding.values_list("source", flat=True)) == ["Council grant"]
    assert not any("fundings" in name for name in report["ignored_fields"])
    # A non-UUID id is kept under a stable derived one, said once per record.
    assert any(w["field"] == "service_areas[0].id" for w in report["warnings"])


@pytest.mark.django_db
def test_an_oruk_1_services_programme_is_linked(tmp_path):
    """ORUK 1.0 services name their programme by `program_id` (its data model's service table);
    the programme is the organisation's, stored already or listed later in the feed."""
    from directory.models import Program

    organization = Organization.objects.create(
        id=ids(200), name="Carers Network", description="Support for carers."
    )
    program = Program.objects.create(
        id=ids(250), organization=organization, name="Carers' support", description="All of it."
    )
    page = {"totalElements": 2, "totalPages": 1, "number": 1, "content": []}
    page["content"] = [oruk_1_service(1, program_id=ids(250)), oruk_1_service(2)]
    report = import_report(feed(tmp_path, page), tmp_path=tmp_path)
    assert report["version"] == "ORUK 1.0"
    assert (report["created"], report["skipped"]) == (2, 0), report["errors"]
    assert str(Service.objects.get(pk=ids(101)).program_id) == str(program.pk)
    assert Service.objects.get(pk=ids(102)).program_id is None
    assert not any("program_id" in name for name in report["ignored_fields"])
    # One the feed names and nobody has is reported, and the service kept without it.
    page["content"] = [oruk_1_service(3, program_id="carers-support")]
    report = import_report(feed(tmp_path, page, "again.json"), tmp_path=tmp_path)
    assert report["created"] == 1, report["errors"]
    messages = [w["message"] for w in report["warnings"] if w["field"] == "program_id"]
    assert len(messages) == 2, report["warnings"]
    assert "“carers-support” is not a UUID" in messages[0]
    assert "is not in the feed or here" in messages[1]
    assert Service.objects.get(pk=ids(103)).program_id is None


@pytest.mark.django_db
def test_every_imported_service_keeps_its_source_and_a_named_full_feed_retires(tmp_path):
    from directory.models import ServiceOrigin

    first = feed(tmp_path, [service(1), service(2)], "council.json")
    import_report(first, "--source", "Council directory", tmp_path=tmp_path)
    origin = ServiceOrigin.objects.get(pk=ids(1001))
    assert (origin.feed_name, origin.id_in_feed) == ("Council directory", ids(1001))
    second = feed(tmp_path, [service(1)], "council-later.json")
    report = import_report(second, "--source", "Council directory", tmp_path=tmp_path)
    assert report["retired_ids"] == [ids(1002)] and report["unchanged"] == 1
    assert Service.objects.get(pk=ids(1002)).status == "inactive"
    # A file without a source name is not taken as anyone's full list.
    import_report(feed(tmp_path, [service(3)], "other.json"), tmp_path=tmp_path)
    assert Service.objects.get(pk=ids(1001)).status == "active"
    assert ServiceOrigin.objects.get(pk=ids(1003)).feed_name == "other.json"


@pytest.mark.django_db
@pytest.mark.parametrize("reading", ["in this process", "in a reading process"])
def test_half_a_surrogate_pair_is_read_as_a_replacement_character_with_a_warning(
    tmp_path, monkeypatch, reading
):
    """Text cut in the middle of an emoji by a length limit counted in UTF-16, as a
    JavaScript exporter writes it: the half left is read as U+FFFD, and the report names
    the record and each field where that was done (not a field whose U+FFFD the feed gave)."""
    if reading == "in a reading process":
        monkeypatch.setattr(read_module, "IN_PROCESS_BYTES", 0)
    cut = service(2, description="Walks for everyone \ud83d")
    cut["organization"] = {"id": ids(7), "name": "\ude00 Friends of the park"}
    given = service(3, description="A replacement character the feed gave: \ufffd")
    whole = service(4, description="Singing together \U0001f3b6")
    report = import_report(feed(tmp_path, [service(1), cut, given, whole]), tmp_path=tmp_path)

    assert report["created"] == 4 and report["skipped"] == 0
    repairs = [w for w in report["warnings"] if "U+FFFD" in w["message"]]
    assert [(w["index"], w["id"], w["field"]) for w in repairs] == [
        (1, cut["id"], "description"),
        (1, cut["id"], "organization.name"),
    ]
    assert "half of a surrogate pair" in repairs[0]["message"]
    assert Service.objects.get(pk=cut["id"]).description == "Walks for everyone \ufffd"
    assert Service.objects.get(pk=whole["id"]).description == "Singing together \U0001f3b6"
