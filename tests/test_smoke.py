def test_home_page_renders_in_the_layout(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<title>Home – GenIUS</title>" in html
    assert "Skip to main content" in html
    assert "Accessibility statement" in html
