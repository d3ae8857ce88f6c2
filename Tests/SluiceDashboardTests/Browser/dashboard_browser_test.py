#!/usr/bin/env python3
"""The live dashboard in a real browser: headless Chromium driven by Selenium.

    python3 Tests/SluiceDashboardTests/Browser/dashboard_browser_test.py [.build/debug/sluice] [--screenshots DIR]

It makes a demo workspace (`sluice demo`), starts `sluice serve --watch --port 0` on 127.0.0.1,
and checks, at 390 px (a phone) and at 1280 px:
  - no sideways scrolling, and one column of report cards on the phone, several on the wide screen;
  - every download link on the page (each report's CSV, JSON and SQL, the SQL box's CSV and JSON)
    answers 200 with the right type;
  - the SQL box runs a query, formats numbers as the server does (1,234.5, 10, 0.004; the same
    text as `sluice query`'s table), keeps its permalink current, and draws a result with a text
    and a number column as bars;
  - a chart's legend shows the schema's labels for coded values (`living together (t)`);
  - the schema page fits the phone;
  - every rejected file is listed after 55 later loads, and its Retry button works;
  - the page updates by itself after a file lands in the inbox, and shows local time beside UTC;
  - the browser requested nothing from anywhere but the dashboard, and logged no error (a
    Content-Security-Policy violation would be one).

Needs Debian's `chromium` and `chromium-driver` and PyPI's `selenium` (.ci/run installs them).
Missing any of them is a failure, never a skip. Ends with one line: `N passed, N failed`.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
DEADLINE = time.monotonic() + 240  # the whole run, so CI never hangs here

results = []  # (name, ok, detail)


def check(name, ok, detail=""):
    results.append((name, bool(ok), detail))
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + str(detail)), flush=True)


def wait_for(condition, timeout, step=0.2):
    end = min(time.monotonic() + timeout, DEADLINE)
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return condition()


def start_server(sluice, workspace):
    process = subprocess.Popen(
        [sluice, "serve", "-w", workspace, "--port", "0", "--watch"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()  # "Dashboard: http://127.0.0.1:PORT/   (Ctrl-C to stop)"
    if not line.startswith("Dashboard: http://127.0.0.1:"):
        process.kill()
        raise RuntimeError("sluice serve did not start: %r" % line)
    return process, line.split()[1]


def make_driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--hide-scrollbars", "--force-device-scale-factor=1", "--window-size=1280,900",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--disable-default-apps", "--disable-extensions",
                     # Any name but the dashboard's address fails to resolve: nothing leaves 127.0.0.1.
                     "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def set_width(driver, width, height=900):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def requested_urls(driver):
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def check_layout(driver, base, width, screenshots):
    set_width(driver, width)
    driver.get(base)
    wait_for(lambda: driver.execute_script("return document.querySelectorAll('article.card svg').length") >= 4, 15)
    metrics = driver.execute_script("""
        var cards = Array.from(document.querySelectorAll('article.card'));
        var width = arguments[0];
        return {inner: window.innerWidth, scroll: document.documentElement.scrollWidth,
                bodyScroll: document.body.scrollWidth,
                lefts: cards.map(function (c) { return Math.round(c.getBoundingClientRect().left); }),
                rights: cards.map(function (c) { return Math.round(c.getBoundingClientRect().right); }),
                wide: Array.from(document.querySelectorAll('main *')).filter(function (e) {
                    return e.getBoundingClientRect().right > width + 1 && !e.closest('.table-wrap') && !e.closest('pre');
                }).map(function (e) { return e.tagName + '.' + e.className; }).slice(0, 5)};
    """, width)
    check("%d px: viewport is %d px wide" % (width, width), metrics["inner"] == width, metrics)
    check("%d px: no sideways scroll" % width,
          metrics["scroll"] <= width and metrics["bodyScroll"] <= width and not metrics["wide"], metrics)
    check("%d px: every card fits" % width, max(metrics["rights"]) <= width, metrics["rights"])
    columns = len(set(metrics["lefts"]))
    if width < 600:
        check("%d px: one column of cards" % width, columns == 1, metrics["lefts"])
    else:
        check("%d px: cards side by side" % width, columns >= 2, metrics["lefts"])
    if screenshots:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        set_width(driver, width, min(height, 12000))
        time.sleep(0.3)
        driver.save_screenshot(os.path.join(screenshots, "dashboard-%d.png" % width))
        set_width(driver, width)


def check_downloads(driver, base):
    links = driver.execute_script(
        "return Array.from(document.querySelectorAll('a[href^=\"/api/\"], a[href^=\"/?sql\"]')).map(function (a) { return a.getAttribute('href'); });")
    reports = [link for link in links if link.startswith("/api/reports/")]
    check("each report links its CSV, JSON and SQL", len(reports) >= 15, links)
    check("each quarantined file links itself and its reason report",
          len([link for link in links if link.startswith("/api/failed/")]) >= 4, links)
    check("the SQL box has a permalink, CSV and JSON", any(l.startswith("/?sql=") for l in links)
          and any(l.startswith("/api/query?format=csv") for l in links) and any(l.startswith("/api/query?format=json") for l in links), links)
    # One after another, as a person clicks them.
    answers = driver.execute_async_script("""
        var done = arguments[arguments.length - 1], answers = [];
        arguments[0].reduce(function (previous, href) {
            return previous.then(function () {
                return fetch(href).then(function (r) { return r.text().then(function (t) {
                    answers.push([href, r.status, r.headers.get('content-type'), t.slice(0, 40)]); }); });
            });
        }, Promise.resolve()).then(function () { done(answers); }, function (e) { done([['error', 0, String(e), '']]); });
    """, links)
    for href, status, kind, start in answers:
        if href.startswith("/?"):
            expected = "text/html"
        elif href.endswith(".sql"):
            expected = "text/plain"
        elif href.endswith(".csv") or "format=csv" in href:
            expected = "text/csv"
        else:
            expected = "application/json"
        check("download %s answers" % href[:70], status == 200 and (kind or "").startswith(expected), (status, kind, start))


def check_sql_box(driver, sluice, workspace):
    from urllib.parse import quote
    from selenium.webdriver.common.by import By

    sql = "SELECT 1234.5 AS x, 10.0 AS y, 1226 AS z, 0.004 AS w, -1234567.891 AS v"
    box = driver.find_element(By.ID, "query-sql")
    box.clear()
    box.send_keys(sql)
    driver.find_element(By.CSS_SELECTOR, "#query-form button[type=submit]").click()
    cells = wait_for(lambda: texts(driver, "#query-result td"), 10)
    check("the SQL box formats numbers as the one format says",
          cells == ["1,234.5", "10", "1,226", "0.004", "-1,234,567.89"], cells)
    # The page's script and the Swift formatter (the terminal table of `sluice query`) agree.
    table = subprocess.run([sluice, "query", "-w", workspace, sql], capture_output=True, text=True).stdout
    check("the SQL box formats numbers as the terminal table does", table.splitlines()[-1].split() == cells, table)
    check("no chart for a result without a text column", not driver.find_elements(By.CSS_SELECTOR, "#query-result img.chart"))
    permalink = driver.find_element(By.ID, "query-link").get_attribute("href")
    check("the permalink follows the SQL", permalink.endswith("/?sql=" + quote(sql, safe="-_.!~*'()")), permalink)


def check_labels(driver, base):
    driver.get(base)
    wait_for(lambda: driver.execute_script("return document.querySelectorAll('article.card svg').length") >= 4, 15)
    words = driver.execute_script(
        "return Array.from(document.querySelectorAll('article.card svg text')).map(function (t) { return t.textContent; });")
    # data/student.yaml: pstatus labels {t: living together, a: apart}; q3 groups its bars by pstatus.
    check("a chart's legend names coded values by the schema's labels",
          "living together (t)" in words and "apart (a)" in words, [w for w in words if "(" in w][:10])
    shown = driver.execute_script("""
        var t = Array.from(document.querySelectorAll('article.card svg text')).find(function (e) { return e.textContent === 'living together (t)'; });
        if (!t) return null; var r = t.getBoundingClientRect(); return [r.width, r.height];""")
    check("the label is drawn where it can be seen", shown and shown[0] > 0 and shown[1] > 0, shown)


def check_sql_chart(driver):
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.ID, "query-sql")
    box.clear()
    box.send_keys("SELECT fjob, COUNT(*) AS n FROM student_data GROUP BY fjob ORDER BY n DESC")
    driver.find_element(By.CSS_SELECTOR, "#query-form button[type=submit]").click()
    drawn = wait_for(lambda: driver.execute_script(
        "var i = document.querySelector('#query-result img.chart'); return i && i.complete && i.naturalWidth;"), 10)
    check("the SQL box draws a text and a number column as bars", drawn and drawn > 0, drawn)


def crowd(sluice, workspace, root):
    """Two rejected files, then 55 good ones: the rejected fall out of the 50-entry history."""
    with open(os.path.join(REPO, "data", "student-mat.csv"), encoding="utf-8") as source:
        lines = source.read().splitlines()
    folder = os.path.join(root, "deliveries")
    os.makedirs(folder)
    paths = []
    for name, age in [("bad-early.csv", "99"), ("bad-later.csv", "98")]:
        row = lines[1].replace(";18;", ";%s;" % age, 1)
        paths.append(os.path.join(folder, name))
        with open(paths[-1], "w", encoding="utf-8") as out:
            out.write(lines[0] + "\n" + row + "\n")
    for index in range(55):
        paths.append(os.path.join(folder, "good-%02d.csv" % index))
        with open(paths[-1], "w", encoding="utf-8") as out:
            out.write(lines[0] + "\n" + lines[2 + index] + "\n")
    for path in paths:  # one at a time, so the ledger keeps this order
        subprocess.run([sluice, "ingest", "-w", workspace, path], stdout=subprocess.DEVNULL)


def texts(driver, selector):
    """The text of every element matching `selector`, read in one go (the live refresh swaps sections)."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map(function (e) { return e.textContent.trim(); });", selector)


def check_quarantine(driver, base):
    from selenium.webdriver.common.by import By

    driver.get(base)
    listed = texts(driver, "#failed td.file")
    check("every rejected file is listed after 55 later loads", listed and sorted(listed) == ["bad-early.csv", "bad-later.csv"], listed)
    note = (texts(driver, "#history h2 .count") or [""])[0]
    check("the history says how much it shows", note.startswith("1–50 of ") and "files" in note, note)
    driver.find_element(By.CSS_SELECTOR, "button.retry[data-name='bad-early.csv']").click()
    said = wait_for(lambda: driver.execute_script("return document.getElementById('retry-status').textContent"), 10)
    check("retry moves the file back to the inbox", said == "bad-early.csv is back in the inbox", said)
    # --watch loads it again; it is refused again and listed again.
    back = wait_for(lambda: "bad-early.csv" in texts(driver, "#failed td.file")
                    and int(driver.execute_script("return document.body.getAttribute('data-updates') || '0'")) >= 1, 20)
    check("the retried file is refused again and listed again", back)


def check_schema_page(driver, base):
    set_width(driver, 390)
    driver.get(base + "schema")
    widths = driver.execute_script("return [document.documentElement.scrollWidth, document.querySelectorAll('#schema-columns tbody tr').length];")
    check("the schema page lists the columns and fits a phone", widths[0] <= 390 and widths[1] >= 30, widths)
    set_width(driver, 1280)


def check_local_time(driver, base):
    driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Europe/Paris"})
    driver.get(base)
    shown = wait_for(lambda: driver.execute_script(
        "var e = document.querySelector('#meta strong .local'); return e && e.textContent;"), 10)
    check("local time is shown beside UTC", shown and "local" in shown, shown)
    driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "UTC"})


def check_live_update(driver, base, workspace):
    driver.get(base)
    wait_for(lambda: driver.execute_script("return document.getElementById('live-status').textContent") == "live", 10)
    files_before = driver.execute_script("return document.querySelector('#summary .stat .value').textContent")
    with open(os.path.join(REPO, "data", "student-mat.csv"), encoding="utf-8") as source:
        lines = source.read().splitlines()
    landing = os.path.join(workspace, "inbox", ".landing.tmp")
    with open(landing, "w", encoding="utf-8") as out:
        out.write("\n".join(lines[:1] + lines[20:30]) + "\n")
    os.rename(landing, os.path.join(workspace, "inbox", "browser-late.csv"))
    updated = wait_for(lambda: int(driver.execute_script("return document.body.getAttribute('data-updates') || '0'")) >= 1
                       and driver.execute_script("return document.querySelector('#summary .stat .value').textContent") != files_before, 30)
    files_after = driver.execute_script("return document.querySelector('#summary .stat .value').textContent")
    check("the page updates itself after a file lands", updated, (files_before, files_after))
    check("the new file is in the history", "browser-late.csv" in " ".join(texts(driver, "#history td.file")))


def main():
    arguments = sys.argv[1:]
    screenshots = None
    if "--screenshots" in arguments:
        index = arguments.index("--screenshots")
        screenshots = os.path.abspath(arguments[index + 1])
        os.makedirs(screenshots, exist_ok=True)
        del arguments[index:index + 2]
    sluice = os.path.abspath(arguments[0] if arguments else os.path.join(REPO, ".build", "debug", "sluice"))

    for name, path in [("sluice", sluice), ("chromium (apt-get install chromium)", CHROMIUM),
                       ("chromedriver (apt-get install chromium-driver)", CHROMEDRIVER)]:
        check("%s is installed" % name, os.access(path, os.X_OK), path)
    try:
        import selenium  # noqa: F401
        check("selenium is installed", True)
    except ImportError as error:
        check("selenium is installed (pip install selenium)", False, error)
    if not all(ok for _, ok, _ in results):
        return finish()

    root = tempfile.mkdtemp(prefix="sluice-browser-")
    server = driver = None
    try:
        workspace = os.path.join(root, "ws")
        subprocess.run([sluice, "demo", "-w", workspace], check=True, stdout=subprocess.DEVNULL)
        crowd(sluice, workspace, root)
        server, base = start_server(sluice, workspace)
        check("the report CSV answers over plain HTTP", urllib.request.urlopen(base + "api/reports/q1.csv", timeout=10).status == 200)
        driver = make_driver()
        check_layout(driver, base, 1280, screenshots)
        check_downloads(driver, base)
        check_sql_box(driver, sluice, workspace)
        check_labels(driver, base)
        check_sql_chart(driver)
        check_layout(driver, base, 390, screenshots)
        check_schema_page(driver, base)
        check_local_time(driver, base)
        check_quarantine(driver, base)
        check_live_update(driver, base, workspace)
        foreign = [url for url in requested_urls(driver) if not (url.startswith(base) or url.startswith("data:"))]
        check("no request leaves the dashboard's address", not foreign, foreign[:5])
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        check("the browser logged no error", not errors, errors[:3])
    except Exception as error:  # a crash is a failure with its story
        check("the browser run completes", False, "".join(traceback.format_exception(error))[-2000:])
    finally:
        if driver is not None:
            driver.quit()
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(root, ignore_errors=True)
    if screenshots:
        print("screenshots in %s" % screenshots)
    return finish()


def finish():
    failed = sum(1 for _, ok, _ in results if not ok)
    print("browser: %d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
