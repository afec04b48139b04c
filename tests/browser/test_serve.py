#!/usr/bin/env python3
"""insp serve in a real browser: headless Chromium driven by WebDriver.

Usage: test_serve.py INSP_BINARY SCREENSHOT_DIR

Indexes the bundled samples and one real PDF (tests/fixtures/pdf) into a
temporary index, starts `insp serve --addr 127.0.0.1:0`, and does what a
person would: load the page, type a query, see ranked results with
highlights, click a facet, open a paragraph in context, follow the PDF link
to its page, go back. A screenshot of each step goes to SCREENSHOT_DIR.
Needs Debian's chromium and chromium-driver and selenium (PyPI); prints
"browser: N passed, 0 failed" or fails with the step that broke.
"""

import base64
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
PDF = ROOT / "tests/fixtures/pdf/barnsley-2023-03-01-focused-visit.pdf"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def start_server(insp, tmp):
    env = dict(os.environ, XDG_DATA_HOME=str(tmp / "data"), HOME=str(tmp))
    env.pop("INSP_INDEX", None)
    env.pop("INSP_TOKEN", None)
    index = tmp / "index"
    subprocess.run([insp, "--index", index, "index", ROOT / "corpus", PDF], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc = subprocess.Popen([insp, "--index", index, "serve", "--addr", "127.0.0.1:0"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline().strip()
    if not line.startswith("insp serve: http://127.0.0.1:"):
        proc.kill()
        raise SystemExit(f"insp serve did not print its URL: {line!r}")
    return proc, line.removeprefix("insp serve: ").rstrip("/")


def browser(tmp):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in FLAGS + [f"--user-data-dir={tmp / 'profile'}", "--window-size=1280,900"]:
        options.add_argument(flag)
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


class Steps:
    def __init__(self, driver, shots):
        self.driver, self.shots, self.passed, self.n = driver, shots, 0, 0

    def shot(self, name):
        """The whole page, not only the window."""
        self.n += 1
        data = self.driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "format": "png"})
        (self.shots / f"{self.n:02d}-{name}.png").write_bytes(base64.b64decode(data["data"]))

    def check(self, what, ok):
        if not ok:
            self.shot("FAILED")
            raise SystemExit(f"browser: step failed: {what} (at {self.driver.current_url})")
        self.passed += 1

    def wait(self, css):
        return WebDriverWait(self.driver, 20).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))

    def texts(self, css):
        return [e.text for e in self.driver.find_elements(By.CSS_SELECTOR, css)]


def search_and_filter(s, base):
    d = s.driver
    d.get(base + "/")
    s.wait("#q")
    s.check("the home page shows the search box and facets", d.title == "insp" and s.texts(".facet h3"))
    s.shot("home")
    box = d.find_element(By.ID, "q")
    box.send_keys("child protection")
    box.send_keys(Keys.ENTER)
    s.wait(".hit")
    ranks = s.texts(".hit .rank")
    s.check("results are ranked 1, 2, 3...", ranks[:3] == ["1.", "2.", "3."])
    marks = [m.lower() for m in s.texts(".hit mark")]
    s.check("matches are highlighted", "child" in marks and "protection" in marks)
    s.check("the URL holds the query", "q=child+protection" in d.current_url)
    before = (s.texts(".facets .total"), s.texts(".facet .count"), s.texts(".summary"))
    s.shot("results")
    link = d.find_element(By.CSS_SELECTOR, '.facet[data-facet="authority"] li a')
    authority = link.text
    link.click()
    s.wait(".chip")
    s.check("the facet became a filter", f"authority: {authority}" in s.texts(".chip")[0])
    after = (s.texts(".facets .total"), s.texts(".facet .count"), s.texts(".summary"))
    s.check("the counts changed", all(a != b for a, b in zip(after, before)))
    heads = s.texts(".hit .meta")
    s.check("every hit is of that authority", heads and all(authority in h for h in heads))
    s.shot("facet-clicked")
    return d.current_url


def context_and_back(s, results_url):
    d = s.driver
    first = d.find_element(By.CSS_SELECTOR, ".hit a.context")
    para = first.text
    first.click()
    current = s.wait(".para.current")
    s.check("the paragraph opens in context", para.split()[1] in current.find_element(By.CSS_SELECTOR, ".meta").text)
    s.check("neighbours, judgements and outline are shown",
            len(d.find_elements(By.CSS_SELECTOR, ".para")) > 1 and [t.lower() for t in s.texts(".report-side h2")] == ["judgements", "outline"])
    s.shot("context")
    d.back()
    s.wait(".hit")
    s.check("back returns to the filtered results", d.current_url == results_url)
    s.shot("back-to-results")


def pdf_at_page(s, base):
    d = s.driver
    d.get(base + "/?q=care+leavers&authority=Barnsley")
    link = s.wait(".hit a.pdf")
    href = link.get_attribute("href")
    s.check("the PDF link names its page", "/pdf/barnsley-2023-03-focused-visit#page=" in href)
    with urllib.request.urlopen(href.split("#")[0]) as r:
        body = r.read()
        s.check("the link serves the report's PDF", r.headers["Content-Type"] == "application/pdf" and body[:4] == b"%PDF")
    s.shot("pdf-link")
    results = d.current_url
    link.click()
    time.sleep(2)
    s.check("the browser is at the PDF's page", d.current_url == href)
    s.shot("pdf-opened")
    d.back()
    s.wait(".hit")
    s.check("back from the PDF", d.current_url == results)


def trend_and_phone(s, base):
    d = s.driver
    d.get(base + "/?q=adoption")
    img = s.wait(".trend img")
    loaded = d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", img)
    s.check("the trend chart is drawn", loaded)
    d.set_window_size(390, 844)
    d.get(base + "/?q=unallocated+cases")
    s.wait(".hit")
    s.check("a phone-width page does not scroll sideways",
            d.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1"))
    s.shot("phone")


def main():
    insp, shots = sys.argv[1], Path(sys.argv[2])
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        server, base = start_server(insp, tmp)
        driver = browser(tmp)
        try:
            s = Steps(driver, shots)
            results = search_and_filter(s, base)
            context_and_back(s, results)
            pdf_at_page(s, base)
            trend_and_phone(s, base)
        finally:
            driver.quit()
            server.terminate()
            server.wait(timeout=10)
    print(f"screenshots in {shots}")
    print(f"browser: {s.passed} passed, 0 failed")


if __name__ == "__main__":
    main()
