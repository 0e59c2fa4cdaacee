"""The Zendesk importer records the requester's name, and the scan finds that person by name."""

from pathlib import Path

from workbench.core.importers import zendesk
from workbench.core.importers.base import ImportReport
from workbench.core.pii import Detector, PiiSettings, findings_in, names_from_source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "zendesk"


def _by_ticket(paths):
    return {item.source["ticket_id"]: item for item in zendesk.run(paths, None, ImportReport())}


def test_admin_export_names_come_from_the_expanded_requester():
    items = _by_ticket([FIXTURES / "admin_export.ndjson"])
    assert items[101].source["customer_names"] == ["Carla Customer"]
    assert items[102].source["customer_names"] == ["Dan Example"]


def test_api_dump_names_come_from_the_users_side_load():
    items = _by_ticket([FIXTURES / "api_dump"])
    assert items[201].source["customer_names"] == ["Carla Customer"]
    assert items[203].source["customer_names"] == ["Erin Colleague"]


def test_the_imported_name_is_found_in_that_conversation_only():
    items = _by_ticket([FIXTURES / "admin_export.ndjson"])
    item = items[101]  # the customer signs "Carla", the agent writes "Hi Carla,"
    names = names_from_source(item.source)
    detector = Detector(PiiSettings(region="US"))
    hits = findings_in(101, item.example, detector, names)
    assert [(f.kind, f.value, f.role) for f in hits] == [("name", "Carla", "user"), ("name", "Carla", "assistant")]
    assert findings_in(101, item.example, detector, ()) == []


def test_names_from_source_ignores_what_is_not_a_list_of_names():
    assert names_from_source(None) == []
    assert names_from_source({"customer_names": "Carla"}) == []
    assert names_from_source({"customer_names": ["Carla", 3, " "]}) == ["Carla"]
