"""The GOV.UK error summary links each problem to the box that needs fixing."""

from conftest import post_form


def test_a_missing_date_links_to_its_day_box(signed_in):
    client, _staff = signed_in("staff")
    response = post_form(client, "/challenges/new", {"title": "A title", "summary": "A summary", "background": "Text"},
                         token_from="/challenges/new")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'href="#opens_on-day"' in html and 'href="#closes_on-day"' in html
    assert 'id="opens_on-day"' in html  # the target exists
    assert 'href="#title"' not in html  # fields without problems are not listed
