"""Two people of the same organisation send the form at the same moment: one organisation."""

import threading

import pytest
from django.db import connection

from core.region_state import current_region_id
from core.regions import region_scope
from organisations import services
from organisations.models import Contact, InterestSubmission, Organisation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_submissions_of_a_new_number_give_one_organisation():
    barrier = threading.Barrier(4)
    errors = []
    region_id = current_region_id()  # a thread starts with no region: each enters the test's, as a request would

    def send(n):
        try:
            barrier.wait()
            with region_scope(region_id):
                services.interest_submit(
                    organisation_name="Samtidiga föreningen",
                    organisation_number="802002-4280",
                    contact_name=f"Person {n}",
                    contact_email=f"person{n}@example.se",
                    wants_dialogue_meetings=True,
                    consent=True,
                )
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Organisation.objects.count() == 1
    assert InterestSubmission.objects.count() == 4


def _send_at_once(count, make_kwargs):
    """Run ``count`` submissions in real threads released together; return the errors."""
    barrier = threading.Barrier(count)
    errors = []
    region_id = current_region_id()

    def send(n):
        try:
            barrier.wait()
            with region_scope(region_id):
                services.interest_submit(**make_kwargs(n))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_the_same_new_number_at_once_in_two_regions_gives_one_organisation_in_each(region, other_region):
    barrier = threading.Barrier(4)
    errors = []

    def send(n):
        try:
            barrier.wait()
            with region_scope(region if n % 2 else other_region):
                services.interest_submit(
                    organisation_name="Tvåregionsföreningen",
                    organisation_number="802002-4280",
                    contact_name=f"Person {n}",
                    contact_email=f"person{n}@example.se",
                    wants_dialogue_meetings=True,
                    consent=True,
                )
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for each in (region, other_region):
        with region_scope(each):
            assert Organisation.objects.get().organisation_number == "802002-4280"
            assert InterestSubmission.objects.count() == 2


def test_simultaneous_submissions_of_a_new_name_without_number_give_one_organisation():
    errors = _send_at_once(
        10,
        lambda n: {
            "organisation_name": "Nätverket utan nummer",
            "contact_name": f"Person {n}",
            "contact_email": f"person{n}@example.se",
            "wants_dialogue_meetings": True,
            "consent": True,
        },
    )
    assert errors == []
    assert Organisation.objects.count() == 1
    assert InterestSubmission.objects.count() == 10


def test_simultaneous_submissions_give_one_contact_per_address():
    errors = _send_at_once(
        20,
        lambda n: {
            "organisation_name": "Samtidiga föreningen",
            "organisation_number": "802002-4280",
            "contact_name": f"Person {n % 3}",
            # Same three addresses, spelled with different case.
            "contact_email": f"Person{n % 3}@Example.se" if n % 2 else f"person{n % 3}@example.se",
            "wants_dialogue_meetings": True,
            "consent": True,
        },
    )
    assert errors == []
    assert Organisation.objects.count() == 1
    assert Contact.objects.count() == 3
    assert InterestSubmission.objects.count() == 20


def test_simultaneous_different_names_with_the_same_slug_get_different_slugs():
    # "Förening A", "Forening A", "FÖRENING-A" … all slugify to "forening-a" but are different names.
    names = ["Förening A", "Forening A", "Förening-A", "Förening  A", "Förening A!", "Förening A?"]
    errors = _send_at_once(
        len(names),
        lambda n: {
            "organisation_name": names[n],
            "contact_name": f"Person {n}",
            "contact_email": f"person{n}@example.se",
            "wants_dialogue_meetings": True,
            "consent": True,
        },
    )
    assert errors == []
    slugs = list(Organisation.objects.values_list("slug", flat=True))
    assert len(slugs) == len(names) == len(set(slugs))


def test_simultaneous_posts_of_the_form_all_get_the_thanks_page(live_server):
    """Ten people press "Send" at once for the same new network: all see the thanks page."""
    import urllib.parse
    import urllib.request
    from http.cookiejar import CookieJar

    barrier = threading.Barrier(10)
    results = []

    def post(n):
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        url = live_server.url + "/organisationer/anmal-intresse/"
        page = opener.open(url).read().decode()
        token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "organisation_name": "Webbnätverket",
                "legal_form": "natverk",
                "contact_name": f"Person {n}",
                "contact_email": f"webb{n}@example.se",
                "contact_role": "contact",
                "wants_dialogue_meetings": "on",
                "consent": "on",
            }
        ).encode()
        request = urllib.request.Request(url, data=data, headers={"Referer": url})  # noqa: S310 (the live server)
        barrier.wait()
        try:
            response = opener.open(request)
            results.append((response.status, response.url))
        except urllib.error.HTTPError as exc:
            results.append((exc.code, url))

    threads = [threading.Thread(target=post, args=(n,)) for n in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 10
    assert all(status == 200 and url.endswith("/anmal-intresse/tack/") for status, url in results), results
    assert Organisation.objects.count() == 1
