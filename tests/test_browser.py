"""The chat page in headless Chromium (Debian's chromium and chromium-driver) against a real server."""

import contextlib
import json
import shutil
import socket
import threading
from pathlib import Path

import pytest

from qa.config import Settings
from qa.pipeline import QA
from tests.conftest import CORPUS
from web import create_app

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs Debian's chromium and chromium-driver")]

HOSTILE = """Hostile test report about Exampleshire fostering panels

The fostering panel in Exampleshire met <script>window.pwned = 1</script> every month to approve carers.

The panel chair wrote <img src=x onerror="window.pwned = 2"> in the minutes of each meeting.
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory, real_embedder):
    folder = tmp_path_factory.mktemp("browser")
    shutil.copytree(CORPUS, folder / "corpus")
    (folder / "corpus" / "hostile.txt").write_text(HOSTILE)
    qa = QA(Settings.load(environ={}, corpus=folder / "corpus", index=folder / "index"), real_embedder)
    qa.refresh()
    with _serving(qa) as base:
        yield base


@contextlib.contextmanager
def _serving(qa):
    """The app over `qa` served by waitress on a free port: its base URL."""
    from waitress import create_server

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = create_server(create_app(qa=qa), host="127.0.0.1", port=port, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
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
    assert "times in 10" in answer.find_element(By.CSS_SELECTOR, ".score").text
    assert answer.find_element(By.CSS_SELECTOR, ".score a.measured").get_attribute("href").endswith("/about#score")
    assert "Worcestershire, news, date not given" in source

    # A follow-up is read as asked: its passages are about school attendance (an answer, or the
    # closest passages under it, which are folded away until opened). The chat sends the earlier
    # turn with its answer's words and the report that answer cites.
    browser.execute_script("window.sent = []; const send = window.fetch; window.fetch = (url, init) => "
                           "{ if (init && init.body) window.sent.push(init.body); return send(url, init); };")
    cited_report = turn.find_elements(By.CSS_SELECTOR, ".answer a.view")[0].get_attribute("href")
    turn = _ask(browser, "And school attendance?", 2)
    earlier = json.loads(browser.execute_script("return window.sent[window.sent.length - 1];"))["history"][0]
    assert earlier["answer"] and earlier["report"] and earlier["report"] in cited_report
    shown = [a.get_attribute("textContent").lower() for a in turn.find_elements(By.CSS_SELECTOR, ".answer")]
    assert any("school attendance" in text for text in shown)
    for folded in turn.find_elements(By.CSS_SELECTOR, "details.closest-more"):
        assert not folded.get_attribute("open") and "not answers" in folded.text

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


HOSTILE_INSPECTION = """Inspection of Evilshire <script>window['pwned']=true</script> local authority
children’s services
Inspection dates: 8 to 19 January 2024
Lead inspector: Mallory <img src=x onerror="window.pwned=4">, His Majesty’s Inspector
Report published: 20 February 2024
Judgement

Grade

The impact of leaders on social work practice with children and families <b onmouseover="window.pwned=5">

Good

Overall effectiveness

Good

Evilshire's leaders <script>window.pwned = 6</script> have improved services for children.

What needs to improve?
◼ Planning for children <img src=x onerror="window.pwned=7"> in care.
◼ The timeliness of <script>window.pwned = 8</script> assessments.

The experiences and progress of children who need help and protection: good
1. Children in Evilshire get help quickly <script>window.pwned = 9</script> when they need it.
"""
SAMPLES = CORPUS.parent / "tests" / "samples"


@pytest.fixture(scope="module")
def research_server(tmp_path_factory, real_embedder):
    """The chat over real inspections of seven authorities and one whose text is full of markup."""
    folder = tmp_path_factory.mktemp("research-browser")
    shutil.copytree(SAMPLES / "authorities", folder / "corpus")
    shutil.copy(SAMPLES / "worcestershire-inspection-2023.txt", folder / "corpus")
    (folder / "corpus" / "evilshire-inspection.txt").write_text(HOSTILE_INSPECTION)
    settings = Settings.load(environ={}, corpus=folder / "corpus", index=folder / "index",
                             feedback=str(folder / "feedback.sqlite3"))
    qa = QA(settings, real_embedder)
    qa.refresh()
    with _serving(qa) as base:
        yield base, qa


def _wait(browser, condition, seconds=60):
    """Wait for a condition, trying again when the page replaced an element it looked at."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, seconds, ignored_exceptions=(StaleElementReferenceException,)).until(condition)


def test_every_page_shows_hostile_text_as_text_and_sends_its_policy(research_server, browser):
    import urllib.parse
    import urllib.request

    from selenium.webdriver.common.by import By

    base, qa = research_server
    evil = next(key for key in qa.store.authorities if key.startswith("evilshire"))
    pages = ["/", "/compare", "/reports", "/reports?sort=authority", "/authorities",
             "/authorities/" + evil.replace(" ", "-"), "/reports/evilshire-inspection",
             "/?q=" + urllib.parse.quote("Which councils were judged good in 2024?")]
    for page in pages:
        with urllib.request.urlopen(base + page) as response:
            policy = response.headers["Content-Security-Policy"]
            assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, page
            assert response.headers["X-Content-Type-Options"] == "nosniff"
        browser.get(base + page)
        if page.startswith("/?q="):
            _wait(browser, lambda driver: driver.find_elements(By.CSS_SELECTOR, ".table-answer"))
        assert browser.execute_script("return window.pwned === undefined"), page
        injected = browser.execute_script(
            "return document.querySelectorAll('main script, main img, main b, main [onerror], main [onmouseover]')"
            ".length")
        assert injected == 0, page
    browser.get(base + "/authorities/" + evil.replace(" ", "-"))
    assert "<script>window['pwned']=true</script>" in browser.find_element(By.TAG_NAME, "h1").text
    assert '<img src=x onerror="window.pwned=7">' in browser.find_element(By.CSS_SELECTOR, ".improvements").text


def test_a_table_answer_and_a_shared_question(research_server, browser):
    from selenium.webdriver.common.by import By

    base, _ = research_server
    browser.get(base + "/?q=" + "Which councils were judged inadequate in 2024?")
    table = _wait(browser, lambda driver: driver.find_elements(By.CSS_SELECTOR, ".table-answer"))[0]
    assert table.find_element(By.CSS_SELECTOR, ".table-count").text == "1 of 3 reports"
    first = table.find_element(By.CSS_SELECTOR, "tbody tr")
    assert "Havering" in first.text
    first.find_element(By.TAG_NAME, "a").click()
    cited = _wait(browser, lambda driver: driver.find_elements(By.ID, "cited"))[0]
    assert cited.find_element(By.TAG_NAME, "mark").text == "Inadequate"
    # The address of a chat asks it again, follow-ups after the turns before them.
    browser.get(base + "/?h=How%20do%20staff%20in%20Sunderland%20find%20their%20supervision%3F&q=And%20in%20Bromley%3F")
    _wait(browser, lambda driver: len([turn for turn in driver.find_elements(By.CSS_SELECTOR, ".turn")
                                       if turn.find_elements(By.CSS_SELECTOR, ".answers, .not-found")]) == 2)
    turns = browser.find_elements(By.CSS_SELECTOR, ".turn")
    assert [t.find_element(By.CSS_SELECTOR, ".question").text for t in turns] == [
        "How do staff in Sunderland find their supervision?", "And in Bromley?"]
    assert "q=And+in+Bromley" in turns[1].find_element(By.CSS_SELECTOR, "a.share").get_attribute("href")


def test_a_change_in_the_reports_words_comes_before_each_inspections_grade(research_server, browser):
    from selenium.webdriver.common.by import By

    base, _ = research_server
    browser.get(base + "/?q=" + "Has Sunderland improved since its last inspection?")
    table = _wait(browser, lambda driver: driver.find_elements(By.CSS_SELECTOR, ".table-answer"))[0]
    turn = browser.find_element(By.CSS_SELECTOR, ".turn")
    assert turn.find_element(By.CSS_SELECTOR, ".table-heading").text == "Each inspection's grade"
    words = turn.find_elements(By.CSS_SELECTOR, "ol.answers > li")
    assert words and "improvement" in words[0].find_element(By.TAG_NAME, "mark").text
    assert [row.text.split("\n")[0] for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")][0].startswith(
        "Sunderland")


def test_a_whole_list_is_shown_an_item_a_line(research_server, browser):
    from selenium.webdriver.common.by import By

    base, _ = research_server
    browser.get(base + "/?q=" + "What does Sunderland need to improve?")
    answer = _wait(browser, lambda driver: driver.find_elements(By.CSS_SELECTOR, "ol.answers > li mark"))[0]
    # Three items, each on a line of its own on the screen, though the answer's words run on.
    lines = [line for line in answer.text.split("\n") if line.strip()]
    assert len(lines) == 3 and lines[0].startswith("The uptake of return home interviews")


def test_feedback_buttons_keep_the_verdict(research_server, browser):
    from selenium.webdriver.common.by import By

    from qa.research.feedback import FeedbackStore

    base, qa = research_server
    browser.get(base + "/")
    turn = _ask(browser, "Who was the lead inspector of the Bromley inspection?", 1)
    turn.find_element(By.CSS_SELECTOR, ".answer .feedback button[data-verdict='right']").click()
    _wait(browser, lambda driver: "saved" in turn.find_element(By.CSS_SELECTOR, ".feedback").text)
    kept = FeedbackStore(qa.settings.feedback_path).all()[-1]
    assert kept["verdict"] == "right" and kept["question"] == "Who was the lead inspector of the Bromley inspection?"
    assert kept["answer"]["text"] == turn.find_element(By.CSS_SELECTOR, ".answer mark").text


def test_reports_table_filters_sorts_and_links_authorities(research_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import Select

    def click_and_wait(element):
        """Click a link or button that loads a new page, and wait until the old page is gone (rows
        read before that are the old page's, and go stale under the reader)."""
        element.click()
        _wait(browser, expected_conditions.staleness_of(element))

    base, _ = research_server
    browser.get(base + "/reports")
    Select(browser.find_element(By.NAME, "grade")).select_by_visible_text("outstanding")
    click_and_wait(browser.find_element(By.CSS_SELECTOR, ".filters button[type=submit]"))
    rows = _wait(browser, lambda driver: driver.find_elements(By.CSS_SELECTOR, "#reports tbody tr"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Reports (3)"
    assert all("outstanding" in row.text for row in rows)
    click_and_wait(browser.find_element(By.LINK_TEXT, "Published ▼"))
    dates = [row.find_elements(By.TAG_NAME, "td")[3].text
             for row in browser.find_elements(By.CSS_SELECTOR, "#reports tbody tr")]
    assert dates == sorted(dates) and len(dates) == 3
    browser.find_element(By.LINK_TEXT, "Sunderland").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Sunderland"


def test_authority_page_charts_grades_and_links_each_improvement(research_server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    base, _ = research_server
    browser.get(base + "/authorities")
    browser.find_element(By.LINK_TEXT, "Birmingham").click()
    chart = browser.find_element(By.CSS_SELECTOR, "svg.chart")
    assert chart.is_displayed() and len(chart.find_elements(By.TAG_NAME, "circle")) == 10
    item = browser.find_element(By.CSS_SELECTOR, ".improvement-list li a")
    text = item.text
    item.click()
    cited = _wait(browser, lambda driver: driver.find_elements(By.ID, "cited"))[0]
    assert cited.find_element(By.TAG_NAME, "mark").text == text


def test_compare_page_streams_rows_sorts_and_offers_downloads(research_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    base, _ = research_server
    browser.get(base + "/compare")
    browser.find_element(By.ID, "survey-question").send_keys("How well are care leavers supported?")
    Select(browser.find_element(By.NAME, "kind")).select_by_visible_text("inspection")
    browser.find_element(By.ID, "run").click()
    _wait(browser, lambda driver: driver.find_element(By.ID, "downloads").is_displayed())
    rows = browser.find_elements(By.CSS_SELECTOR, "#rows tbody tr")
    assert len(rows) == 10
    assert "of 10 reports answer it" in browser.find_element(By.ID, "progress-text").text
    browser.find_element(By.CSS_SELECTOR, "button.sort[data-key='score']").click()
    scores = [float(row.find_element(By.CSS_SELECTOR, ".score").text)
              for row in browser.find_elements(By.CSS_SELECTOR, "#rows tbody tr")]
    assert scores == sorted(scores, reverse=True)
    assert browser.find_element(By.ID, "download-csv").get_attribute("href").endswith(".csv")


def test_the_chat_says_what_is_loaded_and_its_filters_steer_a_question_and_its_link(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(server + "/")
    assert browser.find_element(By.ID, "loaded").text.startswith("6 reports on 1 authority,")
    browser.find_element(By.CSS_SELECTOR, "#filters-box summary").click()
    Select(browser.find_element(By.NAME, "kind")).select_by_visible_text("focused visit")
    turn = _ask(browser, "How were referrals relating to domestic abuse dealt with?", 1)
    assert "(only focused visit)" in turn.find_element(By.CSS_SELECTOR, ".question").text
    kinds = {a.get_attribute("textContent") for a in turn.find_elements(By.CSS_SELECTOR, ".answer .where")}
    assert kinds and all("focused visit" in text for text in kinds)
    # The link keeps the filters: opened, it sets them again and asks the same.
    link = turn.find_element(By.CSS_SELECTOR, "a.share").get_attribute("href")
    assert "kind=focused+visit" in link
    browser.get(link)
    WebDriverWait(browser, 30).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".turn .answer"))
    assert Select(browser.find_element(By.NAME, "kind")).first_selected_option.text == "focused visit"
    assert browser.find_element(By.ID, "filters-box").get_attribute("open") is not None


def test_feedback_buttons_have_names_that_tell_them_apart_and_a_skip_link_comes_first(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(server + "/")
    turn = _ask(browser, "How were referrals relating to domestic abuse dealt with?", 1)
    names = [b.get_attribute("aria-label") for b in turn.find_elements(By.CSS_SELECTOR, "button[data-verdict]")]
    assert len(names) >= 2 and len(set(names)) == len(names)
    assert all(name.startswith(("Right: “", "Wrong: “", "This passage answers it: “")) for name in names)
    browser.get(server + "/reports")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.get_attribute("class") == "skip-link" and skip.get_attribute("href").endswith("#main")
    skip.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"


@pytest.fixture(scope="module")
def pdf_server(tmp_path_factory, real_embedder):
    """The chat over one inspection held as its PDF."""
    folder = tmp_path_factory.mktemp("pdf-browser")
    (folder / "corpus").mkdir()
    shutil.copy(SAMPLES / "worcestershire-inspection-2023.pdf", folder / "corpus")
    qa = QA(Settings.load(environ={}, corpus=folder / "corpus", index=folder / "index"), real_embedder)
    qa.refresh()
    with _serving(qa) as base:
        yield base, folder / "corpus" / "worcestershire-inspection-2023.pdf"


def test_a_cited_page_of_the_pdf_opens_with_the_highlight_over_the_answers_words(pdf_server, browser):
    """The highlight's boxes, as Chromium lays them out over the page, are mapped back to the PDF's
    points: PDFium finds the answer's words inside them."""
    import pypdfium2
    from selenium.webdriver.common.by import By

    from qa.evaluate import fold

    base, pdf = pdf_server
    browser.get(base + "/")
    turn = _ask(browser, "How do social workers in the emergency duty team communicate with day teams?", 1)
    answer = turn.find_element(By.CSS_SELECTOR, ".answer mark").text
    assert "p. " in turn.find_element(By.CSS_SELECTOR, ".answer .where").text
    turn.find_element(By.CSS_SELECTOR, ".answer a.view").click()
    _wait(browser, lambda driver: driver.find_elements(By.CSS_SELECTOR, "#original rect.highlight"))
    assert browser.switch_to.active_element.get_attribute("id") == "original"
    number = int(browser.find_element(By.ID, "original-heading").text.split()[1])
    image = browser.find_element(By.CSS_SELECTOR, "#original svg image").rect
    _wait(browser, lambda driver: driver.execute_script(
        "const i = new Image(); i.src = arguments[0]; return i.complete && i.naturalWidth > 0;",
        browser.find_element(By.CSS_SELECTOR, "#original svg image").get_attribute("href")))
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[number - 1]
        width, height = page.get_size()
        textpage = page.get_textpage()
        under = ""
        for rect in browser.find_elements(By.CSS_SELECTOR, "#original rect.highlight"):
            box = rect.rect
            left = (box["x"] - image["x"]) / image["width"] * width
            right = (box["x"] + box["width"] - image["x"]) / image["width"] * width
            top = height - (box["y"] - image["y"]) / image["height"] * height
            bottom = height - (box["y"] + box["height"] - image["y"]) / image["height"] * height
            # The box's middle, so that no neighbouring letter of the line above or below, or beside, is in it.
            band = (top - bottom) / 4
            under += textpage.get_text_bounded(left + 0.5, bottom + band, right - 0.5, top - band)
        textpage.close()
        page.close()
    finally:
        document.close()

    def letters(text):
        return "".join(char for char in fold(text) if char.isalnum())

    assert letters(answer) and letters(answer) in letters(under)


def test_axe_finds_no_wcag_violation_on_any_page(research_server, pdf_server, browser):
    """axe-core (tests/vendor/axe-core) in Chromium: WCAG 2.2 A and AA on every page, the chat with
    an answer and a table in it."""
    import urllib.parse

    from selenium.webdriver.common.by import By

    base, qa = research_server
    script = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
    sunderland = next(e.document for e in qa.store.entries.values() if e.document.authority == "Sunderland")
    pdf_base, _ = pdf_server
    pages = ["/", "/about", "/compare", "/reports", "/reports?region=London&sort=region", "/authorities",
             "/authorities/sunderland", f"/reports/{urllib.parse.quote(sunderland.doc_id)}?start=0&end=40#cited",
             "/reports/no-such-report"]
    found = {}

    def check(where):
        browser.execute_script(script)
        result = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']})"
            ".then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))")
        if result:
            found[where] = result

    for path in pages:
        browser.get(base + path)
        check(path)
    browser.get(base + "/?q=Which councils were judged outstanding in 2024?")
    _wait(browser, lambda driver: driver.find_elements(By.CSS_SELECTOR, ".table-answer"))
    _ask(browser, "How well are care leavers supported in Sunderland?", 2)
    check("chat with answers")
    browser.get(pdf_base + "/")
    _ask(browser, "Who was the lead inspector?", 1)
    browser.find_element(By.CSS_SELECTOR, ".answer a.view").click()
    _wait(browser, lambda driver: driver.find_elements(By.ID, "original"))
    check("page of a PDF")
    assert not found


def _tab_to(browser, wanted, presses=80):
    """Press Tab until the focused element is one `wanted` accepts; that element."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    for _ in range(presses):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        focused = browser.switch_to.active_element
        if wanted(focused):
            return focused
    raise AssertionError("Tab never reached the element")


def test_a_keyboard_alone_asks_gives_feedback_and_follows_a_citation(research_server, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from qa.research.feedback import FeedbackStore

    base, qa = research_server
    browser.get(base + "/")
    _tab_to(browser, lambda e: e.get_attribute("id") == "question")
    ActionChains(browser).send_keys("Who led the 2023 inspection of Worcestershire?" + Keys.ENTER).perform()
    _wait(browser, lambda driver: driver.find_elements(By.CSS_SELECTOR, ".turn .answers"))
    _tab_to(browser, lambda e: e.get_attribute("data-verdict") == "right")
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    role = _wait(browser, lambda driver: driver.execute_script(
        "const e = document.activeElement; return e.textContent.includes('saved') && e.getAttribute('role')"))
    assert role == "status"
    assert FeedbackStore(qa.settings.feedback_path).all()[-1]["verdict"] == "right"
    _tab_to(browser, lambda e: e.get_attribute("class") == "view")
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    _wait(browser, lambda driver: "/reports/" in driver.current_url
          and driver.switch_to.active_element.get_attribute("id") == "cited")
    assert browser.switch_to.active_element.find_element(By.TAG_NAME, "mark").text


def test_every_page_fits_a_phone_360_pixels_wide(research_server, pdf_server, browser):
    """Nothing but the wide tables' own scrolling boxes is wider than the screen."""
    from selenium.webdriver.common.by import By

    base, _ = research_server
    pdf_base, _ = pdf_server
    browser.set_window_size(360, 800)
    try:
        wide = {}
        for url in [base + path for path in ("/", "/compare", "/reports", "/authorities", "/authorities/sunderland")]:
            browser.get(url)
            width = browser.execute_script("return document.documentElement.scrollWidth")
            if width > browser.execute_script("return window.innerWidth"):
                wide[url] = width
        browser.get(pdf_base + "/")
        _ask(browser, "Who was the lead inspector?", 1)
        browser.find_element(By.CSS_SELECTOR, ".answer a.view").click()
        _wait(browser, lambda driver: driver.find_elements(By.ID, "original"))
        if browser.execute_script("return document.documentElement.scrollWidth > window.innerWidth"):
            wide["page of a PDF"] = browser.execute_script("return document.documentElement.scrollWidth")
        assert not wide
    finally:
        browser.set_window_size(1100, 1000)
