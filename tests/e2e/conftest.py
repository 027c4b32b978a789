"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

They run wherever chromium is installed (`SYNCSITE_CHROMIUM`, default /usr/bin/chromium) and are
skipped, with that reason, elsewhere. Each step's screenshot is kept under test-artifacts/e2e/
(git-ignored), one folder per test.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SYNCSITE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"

# Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make around it
# are plain synchronous ones, which Django refuses in such a thread unless told it is fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium, or set SYNCSITE_CHROMIUM)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


class Screen:
    """A browser tab on the live server that keeps a screenshot of each step."""

    def __init__(self, page, base_url: str, folder: Path) -> None:
        self.page, self.base_url, self.folder, self.step = page, base_url, folder, 0

    def open(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def shot(self, name: str) -> None:
        self.step += 1
        self.page.screenshot(path=str(self.folder / f"{self.step:02d}-{name}.png"), full_page=True)

    def log_in(self, username: str, password: str) -> None:
        self.open("/admin/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("input[type=submit]")

    def messages(self) -> list[str]:
        """What the last action said (Django's messages), not the card's standing warnings."""
        said = self.page.locator("ul.messagelist:not(.shop-card-problems):not(.shop-disabled) li")
        return [text.strip() for text in said.all_inner_texts()]


@pytest.fixture
def screen(chromium, live_server, request):
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield Screen(page, live_server.url, folder)
    context.close()



@pytest.fixture
def live_shopify(simulator_today):
    return simulator_today
