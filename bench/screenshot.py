"""Save the README's screenshots: docs/chat.png (the chat on the shipped corpus, its filters open),
docs/page.png (a citation opened at its page of the PDF, over tests/samples' PDF inspection) and, with
--full-index, docs/table.png, docs/compare.png, docs/authority.png and docs/reports.png (the
research pages over the whole collection in ../shared/ofsted).

Run from the repository root after `pip install -e ".[test]"`, with Debian's chromium and
chromium-driver installed:

    python bench/screenshot.py [--full-index DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

SHARED = Path(__file__).resolve().parents[2] / "shared"
ANSWERED = ".turn .answers, .turn .not-found, .turn .table-answer"


@contextlib.contextmanager
def serving(*arguments: str):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "qa.cli", "serve", "--port", str(port), *arguments])
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait()


def browser(width: int = 1000, height: int = 900):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless=new", "--no-sandbox", f"--window-size={width},{height}"):
        options.add_argument(argument)
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    return webdriver.Chrome(options=options, service=service)


def ask(driver, question: str) -> None:
    count = len(driver.find_elements(By.CSS_SELECTOR, ANSWERED))
    driver.find_element(By.ID, "question").send_keys(question)
    driver.find_element(By.ID, "send").click()
    WebDriverWait(driver, 60).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ANSWERED)) > count)


def chat() -> None:
    with serving() as base:
        driver = browser()
        driver.get(base + "/")
        driver.find_element(By.CSS_SELECTOR, "#filters-box summary").click()
        Select(driver.find_element(By.NAME, "kind")).select_by_visible_text("focused visit")
        for question in ("How were referrals relating to domestic abuse dealt with?", "And school attendance?"):
            ask(driver, question)
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot("docs/chat.png")
        driver.quit()
    print("saved docs/chat.png")


def page(folder: Path) -> None:
    corpus, index = folder / "corpus", folder / "index"
    corpus.mkdir()
    shutil.copy(Path("tests/samples/worcestershire-inspection-2023.pdf"), corpus)
    subprocess.run([sys.executable, "-m", "qa.cli", "index", "--corpus", str(corpus), "--index", str(index)],
                   check=True)
    with serving("--corpus", str(corpus), "--index", str(index)) as base:
        driver = browser(1000, 1100)
        driver.get(base + "/")
        ask(driver, "How do social workers in the emergency duty team work with daytime services?")
        driver.find_element(By.CSS_SELECTOR, ".answer a.view").click()
        WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#original rect.highlight"))
        WebDriverWait(driver, 60).until(lambda d: d.execute_script(
            "const i = new Image(); i.src = arguments[0]; return i.complete && i.naturalWidth > 0;",
            d.find_element(By.CSS_SELECTOR, "#original svg image").get_attribute("href")))
        driver.execute_script("document.querySelector('rect.highlight').scrollIntoView({block: 'center'})")
        driver.save_screenshot("docs/page.png")
        driver.quit()
    print("saved docs/page.png")


def research(index: Path) -> None:
    with serving("--corpus", str(SHARED / "ofsted"), "--index", str(index)) as base:
        driver = browser(1300, 1000)
        driver.get(base + "/?q=" + urllib.parse.quote("Which councils were judged inadequate in 2024?"))
        WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".table-answer"))
        driver.save_screenshot("docs/table.png")

        driver.get(base + "/compare")
        driver.find_element(By.ID, "survey-question").send_keys(
            "What do the 2024 inspections say about the sufficiency of homes for children in care?")
        driver.find_element(By.ID, "run").click()
        WebDriverWait(driver, 120).until(lambda d: d.find_element(By.ID, "downloads").is_displayed())
        driver.find_element(By.CSS_SELECTOR, "button.sort[data-key='score']").click()
        driver.save_screenshot("docs/compare.png")

        driver.get(base + "/authorities/birmingham")
        driver.save_screenshot("docs/authority.png")

        driver.get(base + "/reports?kind=inspection&sort=grade")
        Select(driver.find_element(By.NAME, "year")).select_by_visible_text("2024")
        driver.find_element(By.CSS_SELECTOR, ".filters button[type=submit]").click()
        driver.save_screenshot("docs/reports.png")
        driver.quit()
    print("saved docs/table.png, docs/compare.png, docs/authority.png and docs/reports.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full-index", type=Path, help="the index of ../shared/ofsted, for the research pages")
    args = parser.parse_args()
    chat()
    with tempfile.TemporaryDirectory() as folder:
        page(Path(folder))
    if args.full_index:
        research(args.full_index)


if __name__ == "__main__":
    main()
