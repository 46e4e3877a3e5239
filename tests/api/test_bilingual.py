"""The open data API answers in the language asked (``?lang=``, else ``Accept-Language``): the English text
a coordinator wrote, else the Swedish one, and ``<field>_lang`` says which. The fields keep their names."""

import pytest
from django.core.cache import cache

from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgreementFactory,
    ChallengeFactory,
    MeetingFactory,
    ProgrammeItemFactory,
    UpdateFactory,
)
from tests.factories.consultations import ConsultationFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def meeting():
    meeting = MeetingFactory(
        title="Dialogmöte om folkhälsa",
        title_en="Dialogue meeting on public health",
        summary="Vi samtalar om folkhälsan.",
    )
    ProgrammeItemFactory(meeting=meeting, title="Välkommen", title_en="Welcome", description="Kaffe")
    return meeting


def test_lang_en_gives_the_english_texts_and_says_so(client, meeting):
    data = client.get(f"/api/v1/meetings/{meeting.slug}/?lang=en").json()
    assert (data["title"], data["title_lang"]) == ("Dialogue meeting on public health", "en")
    assert (data["summary"], data["summary_lang"]) == ("Vi samtalar om folkhälsan.", "sv")  # no English written
    item = data["programme"][0]
    assert (item["title"], item["title_lang"], item["description"], item["description_lang"]) == (
        "Welcome",
        "en",
        "Kaffe",
        "sv",
    )


def test_lang_sv_and_no_language_give_the_swedish_texts(client, meeting):
    for path in (f"/api/v1/meetings/{meeting.slug}/?lang=sv", f"/api/v1/meetings/{meeting.slug}/"):
        data = client.get(path).json()
        assert (data["title"], data["title_lang"]) == ("Dialogmöte om folkhälsa", "sv")
        assert data["programme"][0]["title"] == "Välkommen"


def test_accept_language_is_respected_and_cached_apart(client, meeting):
    english = client.get("/api/v1/meetings/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").json()["results"][0]
    swedish = client.get("/api/v1/meetings/", HTTP_ACCEPT_LANGUAGE="sv-SE,sv;q=0.9").json()["results"][0]
    again = client.get("/api/v1/meetings/", HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    assert english["title"] == again["title"] == "Dialogue meeting on public health"
    assert swedish["title"] == "Dialogmöte om folkhälsa"


def test_challenges_consultations_and_agreements_answer_in_english(client):
    challenge = ChallengeFactory(title="Flyktingsituationen", title_en="The refugee situation")
    UpdateFactory(challenge=challenge, title="Beslut", title_en="Decision", text="Text", text_en="Text in English")
    consultation = ConsultationFactory(title="Remiss", title_en="Consultation", status="open")
    SectionFactory(consultation=consultation, heading="Syfte", heading_en="Purpose")
    agreement = AgreementFactory(title="Överenskommelsen", title_en="The agreement", status="in_force")
    plan = ActionPlanFactory(agreement=agreement, title="Handlingsplan", title_en="Action plan")
    ActionFactory(action_plan=plan, title="Konferens", title_en="Conference")

    found = client.get(f"/api/v1/challenges/{challenge.slug}/?lang=en").json()
    assert (found["title"], found["title_lang"]) == ("The refugee situation", "en")
    assert (found["updates"][0]["title"], found["updates"][0]["text"]) == ("Decision", "Text in English")
    found = client.get(f"/api/v1/consultations/{consultation.slug}/?lang=en").json()
    assert (found["title"], found["sections"][0]["heading"], found["sections"][0]["heading_lang"]) == (
        "Consultation",
        "Purpose",
        "en",
    )
    found = client.get(f"/api/v1/agreements/{agreement.slug}/?lang=en").json()
    assert found["title"] == "The agreement"
    assert found["action_plans"][0]["title"] == "Action plan"
    assert found["action_plans"][0]["actions"][0]["title"] == "Conference"
    assert client.get(f"/api/v1/agreements/{agreement.slug}/?lang=sv").json()["title"] == "Överenskommelsen"


def test_the_schema_documents_the_language_of_each_text(client):
    schema = client.get("/api/v1/schema/?format=json&lang=en").json()
    components = schema["components"]["schemas"]
    meeting = components["Meeting"]["properties"]
    assert meeting["title_lang"]["allOf"] == [{"$ref": "#/components/schemas/TextLanguageEnum"}]
    assert components["TextLanguageEnum"]["enum"] == ["sv", "en"]
    assert "Swedish text when no English one is written" in meeting["title"]["description"]
