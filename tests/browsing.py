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


def serious_accessibility_problems(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now (the bundled axe.min.js)."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in violations
        if v.get("impact") in ("serious", "critical")
    ]
