"""Flash messages show as GOV.UK notification banners: their text escaped, our markup not."""

from conftest import post_form, sign_in


def test_a_success_message_is_a_banner_heading_not_escaped_markup(client, make_user):
    user = make_user()
    sign_in(client, user.email)
    response = post_form(client, "/sign-out", token_from="/account", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "<p class='govuk-notification-banner__heading'>You have signed out.</p>" in html
    assert "&lt;p" not in html


def test_a_message_with_markup_in_it_is_shown_as_text(client, make_user, app):
    user = make_user(name="<b>Bold</b> Name")
    sign_in(client, user.email)
    response = post_form(client, "/account/profile", {"display_name": "<i>x</i>", "organisation": "", "bio": ""},
                         token_from="/account/profile", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "<i>x</i>" not in html and "&lt;i&gt;x&lt;/i&gt;" in html


def test_sign_in_never_follows_next_to_another_site(client, make_user):
    user = make_user()
    for target in ("//evil.example/", "/\\evil.example/", "https://evil.example/", "/\\/evil.example"):
        client.get("/")  # fresh page for the token
        response = post_form(client, f"/sign-in?next={target}", {"email": user.email, "password": "correct horse battery staple"},
                             token_from="/sign-in")
        assert response.status_code == 302
        assert response.headers["Location"] == "/account", target
        post_form(client, "/sign-out", token_from="/account")
