"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium) against Django's
live server. Set CHROMIUM=/path to use another build."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield browser
        browser.close()


class Session:
    """One person at one browser: signs in through the real sign-in page."""

    def __init__(self, browser: Any, base: str, width: int = 1280, height: int = 900) -> None:
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, locale="vi-VN"
        )
        self.page = self.context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def sign_in(self, username: str, password: str) -> Any:
        self.page.goto(self.base + "/login/")
        self.page.get_by_label("Tên đăng nhập").fill(username)
        self.page.get_by_label("Mật khẩu").fill(password)
        self.page.get_by_role("button", name="Đăng nhập").click()
        self.page.wait_for_load_state()
        return self.page

    def go(self, path: str) -> Any:
        self.page.goto(self.base + path)
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session(browser: Any, live_server: Any) -> Iterator[Any]:
    opened: list[Session] = []

    def open_session(width: int = 1280, height: int = 900) -> Session:
        s = Session(browser, live_server.url, width, height)
        opened.append(s)
        return s

    yield open_session
    for s in opened:
        assert s.errors == [], f"JavaScript errors: {s.errors}"
        s.close()
