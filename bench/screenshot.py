"""Save docs/chat.png: the chat page answering a question, for the README.

Run from the repository root after `pip install -e ".[test]"`, with Debian's chromium and
chromium-driver installed: python bench/screenshot.py
"""

import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def main() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "qa.cli", "serve", "--port", str(port)])
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium")
        for argument in ("--headless=new", "--no-sandbox", "--window-size=1000,900"):
            options.add_argument(argument)
        driver = webdriver.Chrome(options=options,
                                  service=webdriver.ChromeService(executable_path=shutil.which("chromedriver")))
        driver.get(f"http://127.0.0.1:{port}/")
        for question in ("How were referrals relating to domestic abuse dealt with?", "And school attendance?"):
            count = len(driver.find_elements(By.CSS_SELECTOR, ".turn .answers, .turn .not-found"))
            driver.find_element(By.ID, "question").send_keys(question)
            driver.find_element(By.ID, "send").click()
            WebDriverWait(driver, 30).until(
                lambda d, seen=count: len(d.find_elements(By.CSS_SELECTOR, ".turn .answers, .turn .not-found")) > seen)
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot("docs/chat.png")
        driver.quit()
        print("saved docs/chat.png")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
