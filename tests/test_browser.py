"""The chat page in headless Chromium (Debian's chromium and chromium-driver) against a real server."""

import shutil
import socket
import threading

import pytest

from qa.config import Settings
from qa.pipeline import QA
from tests.conftest import CORPUS
from web import create_app

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs Debian's chromium and chromium-driver")

HOSTILE = """Hostile test report about Exampleshire fostering panels

The fostering panel in Exampleshire met <script>window.pwned = 1</script> every month to approve carers.

The panel chair wrote <img src=x onerror="window.pwned = 2"> in the minutes of each meeting.
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory, real_embedder):
    from waitress import create_server

    folder = tmp_path_factory.mktemp("browser")
    shutil.copytree(CORPUS, folder / "corpus")
    (folder / "corpus" / "hostile.txt").write_text(HOSTILE)
    qa = QA(Settings.load(environ={}, corpus=folder / "corpus", index=folder / "index"), real_embedder)
    qa.refresh()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = create_server(create_app(qa=qa), host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.close()


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=DRIVER))
    yield driver
    driver.quit()


def _ask(browser, question, turns):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    field = browser.find_element(By.ID, "question")
    field.send_keys(question)
    browser.find_element(By.ID, "send").click()
    WebDriverWait(browser, 30).until(
        lambda driver: len(driver.find_elements(By.CSS_SELECTOR, ".turn")) == turns
        and driver.find_elements(By.CSS_SELECTOR, ".turn")[-1].find_elements(
            By.CSS_SELECTOR, ".answers, .not-found, .error")
        and not driver.find_element(By.ID, "send").get_attribute("disabled"))
    return browser.find_elements(By.CSS_SELECTOR, ".turn")[-1]


def test_chat_answers_follow_up_not_found_and_report_link(server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server + "/")
    turn = _ask(browser, "How were referrals relating to domestic abuse dealt with?", 1)
    # Two reports answer it (the news article and the focused visit); each answer shows its own source.
    answer = next(a for a in turn.find_elements(By.CSS_SELECTOR, ".answer")
                  if "referrals relating to domestic abuse were dealt with effectively"
                  in a.find_element(By.TAG_NAME, "mark").text)
    source = answer.find_element(By.CSS_SELECTOR, ".source").text
    assert "Inspectors say services to safeguard children in Worcestershire are now adequate" in source
    assert "match" in answer.find_element(By.CSS_SELECTOR, ".score").text

    turn = _ask(browser, "And school attendance?", 2)
    assert "school attendance" in turn.find_element(By.CSS_SELECTOR, ".answer").text.lower()

    turn = _ask(browser, "Who won the 2022 World Cup?", 3)
    assert turn.find_element(By.CSS_SELECTOR, ".not-found").text == "The reports do not answer this question."
    assert turn.find_element(By.CSS_SELECTOR, ".closest-heading").text == "Closest passages (not answers)"
    browser.save_screenshot(str(tmp_path / "chat.png"))

    first = browser.find_elements(By.CSS_SELECTOR, ".turn")[0]
    highlighted = first.find_element(By.CSS_SELECTOR, ".answer mark").text
    first.find_element(By.CSS_SELECTOR, ".answer a.view").click()
    cited = browser.find_element(By.ID, "cited")
    assert cited.find_element(By.TAG_NAME, "mark").text == highlighted
    # report.js scrolls it into view once the page has loaded (its top may sit a fraction of a pixel above).
    WebDriverWait(browser, 5).until(lambda driver: driver.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return r.top >= -1 && r.top < window.innerHeight;", cited))


def test_report_text_with_markup_is_shown_as_text_and_never_runs(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    turn = _ask(browser, "How often did the Exampleshire fostering panel meet?", 1)
    assert "<script>window.pwned = 1</script>" in turn.text or "<img src=x" in turn.text
    browser.get(server + "/reports/hostile")
    assert "<script>window.pwned = 1</script>" in browser.find_element(By.CSS_SELECTOR, ".report").text
    assert '<img src=x onerror="window.pwned = 2">' in browser.find_element(By.CSS_SELECTOR, ".report").text
    assert browser.execute_script("return window.pwned === undefined")
    assert not browser.find_elements(By.CSS_SELECTOR, ".report img, .report script")


def test_reports_list_is_one_click_away(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    browser.find_element(By.LINK_TEXT, "Reports").click()
    rows = browser.find_elements(By.CSS_SELECTOR, ".reports tbody tr")
    assert len(rows) == 6
    assert any("2021-08-23" in row.text and "focused visit" in row.text for row in rows)


def test_keyboard_only_and_phone_width(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.set_window_size(380, 800)
    try:
        browser.get(server + "/")
        browser.find_element(By.ID, "question").send_keys("How do staff find their supervision?" + Keys.ENTER)
        WebDriverWait(browser, 30).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".turn .answers"))
        assert browser.switch_to.active_element.get_attribute("id") == "question"
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 380
    finally:
        browser.set_window_size(1100, 1000)
