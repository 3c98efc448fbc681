"""Screenshots of the main screens at desktop and phone width, for the README.

    make run &            # the demo on http://127.0.0.1:8000
    .venv/bin/python docs/screenshots.py [http://127.0.0.1:8000]

Drives Debian's Chromium (/usr/bin/chromium, or $CHROMIUM) with Playwright.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent / "screenshots"
PASSWORD = "demo12345"
SCREENS = [
    ("vanphong", "workbench", "/workbench/"),
    ("vanphong", "document-entry", "/documents/new/"),
    ("sotaichinh.canbo", "unit-workspace", "/tasks/workspace/"),
    ("sotaichinh.canbo", "task", None),  # the unit's first task
    ("vanphong", "task-list", "/tasks/?time_status=overdue"),
    ("chutich", "dashboard", "/dashboard/"),
    ("admin", "calendar", "/manage/calendar/?year=2026"),
]
SIZES = {"desktop": (1280, 900), "phone": (360, 740)}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=["--no-sandbox"]
        )
        for size, (width, height) in SIZES.items():
            for user, name, path in SCREENS:
                context = browser.new_context(
                    viewport={"width": width, "height": height}, locale="vi-VN"
                )
                page = context.new_page()
                page.goto(BASE + "/login/")
                page.fill("#id_username", user)
                page.fill("#id_password", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_load_state()
                if path is None:
                    page.goto(BASE + "/tasks/workspace/")
                    page.locator("table.tasks a").first.click()
                else:
                    page.goto(BASE + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / f"{name}-{size}.png"))
                context.close()
                print(f"{name}-{size}.png")
        browser.close()


if __name__ == "__main__":
    main()
