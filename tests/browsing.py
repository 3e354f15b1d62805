"""Helpers for browser tests."""


def browser_login(page, username: str, password: str, *, totp_secret: str | None = None) -> None:
    """Sign in through the login page; with `totp_secret`, also the two-factor step after it."""
    page.goto(page.base_url + "/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    if totp_secret:
        from tests.two_factor import code_from_secret

        page.fill("#id_kode", code_from_secret(totp_secret))
        page.click("main form:not([action]) button[type=submit]")
        page.wait_for_load_state("networkidle")
