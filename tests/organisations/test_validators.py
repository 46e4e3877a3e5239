import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from organisations.validators import normalise_orgnr

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "spelling",
    ["556016-0680", "5560160680", "556016 0680", "165560160680", "16556016-0680", " 556016-0680 ", "556016–0680"],
)
def test_common_spellings_of_a_valid_number_are_normalised(spelling):
    assert normalise_orgnr(spelling) == "556016-0680"


def test_wrong_check_digit_is_refused_with_a_message_about_the_check_digit():
    with pytest.raises(ValidationError) as exc:
        normalise_orgnr("556016-0681")
    assert exc.value.code == "checksum"
    assert "kontrollsiffran" in exc.value.messages[0]
    with translation.override("en"):
        assert "check digit" in exc.value.messages[0]


def test_too_few_digits_is_refused():
    with pytest.raises(ValidationError) as exc:
        normalise_orgnr("556016-068")
    assert exc.value.code == "length"


def test_twelve_digits_without_the_16_prefix_are_refused():
    with pytest.raises(ValidationError) as exc:
        normalise_orgnr("195560160680")
    assert exc.value.code == "format"


def test_personal_identity_number_is_refused_as_organisation_number():
    # 811218-9876 is a valid Luhn number, but its third digit (a month) says it is a person.
    with pytest.raises(ValidationError) as exc:
        normalise_orgnr("811218-9876")
    assert exc.value.code == "group"


def test_letters_are_refused():
    with pytest.raises(ValidationError) as exc:
        normalise_orgnr("55601A-0680")
    assert exc.value.code == "format"
