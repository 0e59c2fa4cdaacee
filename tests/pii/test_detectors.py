"""Each kind of personal data: what is found, what is left alone, and the exact span."""

import pytest

from tests.pii.helpers import found, kinds_of
from workbench.core.pii import Detector, PiiSettings


@pytest.mark.parametrize("email", [
    "john.smith@gmail.com", "j.doe+orders@mail.example.co.uk", "ANNA_K@Example.ORG", "o'brien@eircom.net",
    "x@y.co", "first_last-123@sub-domain.example-mail.com", "josé@exämple.de",
])
def test_emails_are_found_whole(email):
    assert found(f"Write to {email}, thanks.") == [("email", email)]


@pytest.mark.parametrize("text", [
    "Follow us @acmecloud", "name@localhost is not routable", "see @property in Python", "a.@b.com", "@example.com",
])
def test_not_emails(text):
    assert "email" not in kinds_of(text)


def test_email_in_brackets_and_at_sentence_end():
    assert found("From: Dan <dan@example.com>. Or (carla@example.org).") == [
        ("email", "dan@example.com"), ("email", "carla@example.org")]


@pytest.mark.parametrize("phone,region", [
    ("(415) 555-0132", "US"), ("+1 415 555 0132", "US"), ("+1-415-555-0132", "US"), ("415.555.0132", "US"),
    ("(415)555-0132", "US"), ("1-800-555-0199", "US"), ("+14155550132", "US"), ("+1 (646) 555-3890", "US"),
    ("+44 20 7946 0958", "US"), ("+44 (0)20 7946 0958", "US"), ("+33 1 42 68 53 00", "US"), ("+49 30 901820", "US"),
    ("+91 98765 43210", "US"), ("07911 123456", "GB"), ("089/1234567", "DE"), ("06 12 34 56 78", "FR"),
])
def test_phones_in_many_formats(phone, region):
    assert found(f"Call me on {phone} tomorrow.", region=region) == [("phone", phone)]


def test_the_region_decides_how_local_numbers_read():
    assert found("Ring 07911 123456 after six.", region="GB") == [("phone", "07911 123456")]
    assert "phone" not in kinds_of("Ring 07911 123456 after six.", region="US")


@pytest.mark.parametrize("text", [
    "Order #4839201 shipped.", "Your order number is 48392017.", "order 4155550132 is late",
    "Tracking: 1Z999AA10123456784.", "Invoice INV-2024-000123.", "on 2024-03-15 and 15/03/2024",
    "It cost $1,299.00.", "Update to 10.0.19045.3803.", "Serial number SN 4839-2011-7734.",
    "Booking reference 4829104721.", "The file is 104857600 bytes.", "USPS 9400 1000 0000 0000 0000 00",
])
def test_numbers_that_are_not_phones(text):
    assert "phone" not in kinds_of(text), found(text)


def test_numbers_written_one_after_the_other_are_found_separately():
    assert found("+91 98765 43210 415.555.0132") == [("phone", "+91 98765 43210"), ("phone", "415.555.0132")]
    assert found("4111 1111 1111 1111 09/27") == [("card", "4111 1111 1111 1111")]


@pytest.mark.parametrize("card", [
    "4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "5555 5555 5555 4444", "3782 822463 10005",
    "371449635398431", "6011 1111 1111 1117", "3530111333300000", "2223 0031 2200 3222",
])
def test_cards(card):
    assert found(f"Card: {card}. Thanks") == [("card", card)]


@pytest.mark.parametrize("text", [
    "4111 1111 1111 1112",  # fails Luhn
    "1234 5678 9012 3456",  # no card network starts with 1
    "8111 1111 1111 1112",  # Luhn-valid, but no card network starts with 8
    "4111 1111.1111 1111",  # not laid out like a card
])
def test_not_cards(text):
    assert "card" not in kinds_of(f"Ref {text} here")


@pytest.mark.parametrize("iban", [
    "DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", "GB82 WEST 1234 5698 7654 32",
    "FR14 2004 1010 0505 0001 3M02 606", "NL91ABNA0417164300", "BE68 5390 0754 7034",
])
def test_ibans(iban):
    assert found(f"Pay to {iban}, please.") == [("iban", iban)]


def test_ibans_need_the_right_check_digits_and_length():
    assert "iban" not in kinds_of("Pay to DE00 3704 0044 0532 0130 00 please.")
    assert "iban" not in kinds_of("Pay to DE89 3704 0044 0532 0130 0012 please.")


@pytest.mark.parametrize("ip", ["192.168.1.20", "203.0.113.7", "2001:db8::8a2e:370:7334", "fe80::1ff:fe23:4567:890a"])
def test_ip_addresses(ip):
    assert found(f"Blocked from {ip}; please check.") == [("ip", ip)]


@pytest.mark.parametrize("text", [
    "version 1.2.3.4", "build 10.0.0.1", "999.1.1.1", "1.2.3.4.5", "at 10:30:00", "127.0.0.1", "::1", "0.0.0.0",
])
def test_not_ip_addresses(text):
    assert "ip" not in kinds_of(f"See {text} here")


@pytest.mark.parametrize("url", [
    "https://app.acme.example/reset?token=9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    "https://acme.example/login/magic?code=Zx81KqP0vY4mN2s7&user=1182",
    "https://admin:S3cretPass@db.acme.example:8443/console",
    "https://help.acme.example/verify#access_token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.abc",
    "https://acme.example/invite/3fa85f64-5717-4562-b3fc-2c963f66afa6",
])
def test_links_carrying_secrets(url):
    assert found(f"Open {url}. It expired.") == [("url", url)]


@pytest.mark.parametrize("url", [
    "https://acme.example/login", "https://acme.example/help/articles/360012345-how-to-reset-your-password-2024",
    "https://status.acme.example/incidents/2024-03-15?lang=en",
])
def test_plain_links_are_left_alone(url):
    assert found(f"See {url} for details.") == []


def test_an_email_inside_a_secret_link_is_one_finding():
    url = "https://acme.example/reset?email=carla@example.com&token=9f8e7d6c5b4a3928"
    assert found(f"Use {url} now") == [("url", url)]


def test_known_names_whole_words_capitalised_and_joined():
    text = "Hi Carla, Carla Moreno here. carla is lowercase, Carlas and McCarla are other words."
    assert found(text, known=("Carla Moreno",)) == [("name", "Carla"), ("name", "Carla Moreno")]


def test_names_that_are_everyday_words_only_count_in_full():
    text = "Will Green asked: will the Green plan renew? Will says yes."
    assert found(text, known=("Will Green",)) == [("name", "Will Green")]


def test_lowercase_and_non_ascii_names_from_an_import():
    text = "Hola José, te escribe José García. ¡Gracias, García!"
    assert found(text, known=("josé garcía",)) == [("name", "José"), ("name", "José García"), ("name", "García")]


def _word(n: int) -> str:
    letters = ""
    for _ in range(4):
        n, r = divmod(n, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[r]
    return "Z" + letters


def test_a_long_list_of_names_is_matched_like_a_short_one():
    many = tuple(f"{_word(n)} {_word(n + 5000)}" for n in range(300)) + ("Ingrid Lindqvist", "Ørjan Håland")
    text = f"Dear Ingrid, Ørjan asked about Ingridson. Mr Lindqvist agrees. {_word(7)} too, not {_word(7)}x."
    assert found(text, names=many) == [("name", "Ingrid"), ("name", "Ørjan"), ("name", "Lindqvist"),
                                       ("name", _word(7))]


def test_custom_pattern_wins_over_a_phone_inside_it():
    settings = PiiSettings(region="US").with_pattern("order number", r"ORD-\d{10}")
    detector = Detector(settings)
    text = "Order ORD-4155550132 and call 415-555-0132."
    assert [(k, text[s:e]) for _, s, e, k in detector.scan([text])] == [
        ("order number", "ORD-4155550132"), ("phone", "415-555-0132")]


def test_allowed_values_are_never_flagged():
    text = "Write to support@acme.example or call +1 800 555 0100 (our line), or carla@example.com."
    got = found(text, allowed=("Support@Acme.example", "(800) 555-0100"))
    assert got == [("email", "carla@example.com")]


def test_kinds_can_be_switched_off():
    assert found("carla@example.com, 415-555-0132", kinds=frozenset({"phone"})) == [("phone", "415-555-0132")]


def test_offsets_are_characters_in_each_text_also_after_non_ascii():
    detector = Detector(PiiSettings(region="US"))
    texts = ["Grüße 🙂 — mail: jürgen@example.de", "", "ok", "call 415-555-0132 ✓"]
    hits = detector.scan(texts)
    assert [(i, texts[i][s:e]) for i, s, e, _k in hits] == [(0, "jürgen@example.de"), (3, "415-555-0132")]


def test_nothing_matches_across_two_messages():
    detector = Detector(PiiSettings(region="US").with_pattern("two lines", r"end\s+start"))
    assert detector.scan(["the end", "start here"]) == []
