"""Drives the web console in headless Chromium through Selenium: alice asks for a prod deploy, her own
Approve is refused in the page, bob approves, and the page shows the progress message change live
and the deploy's result; bob rejects a second request from the keyboard; a third waits. Then the
operations page shows all three commands, the waiting request with who may approve it, the audit
chain, the sandbox's health and the schedule, in light and dark mode.
Usage: console_chat.py BASE_URL [SCREENSHOT_DIR]. Prints what it checked; exits non-zero (with the
page's text) when a step does not happen."""
import os
import signal
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.ui import Select, WebDriverWait

base, shots = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
signal.alarm(150)  # a browser or driver that hangs ends the run, and with it Chromium
options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1000", "--force-prefers-reduced-motion"):
    options.add_argument(flag)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service(os.environ.get("CHATOPS_CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
wait = WebDriverWait(driver, 60, poll_frequency=0.1)


def page_text():
    found = driver.find_elements(By.ID, "transcript") or driver.find_elements(By.TAG_NAME, "main")
    return found[0].text if found else ""


def until(what, condition):
    try:
        return wait.until(lambda _: condition())
    except Exception:
        print(f"FAILED waiting for {what}; the page says:\n{page_text()}\n{driver.find_element(By.ID, 'problem').text}", file=sys.stderr)
        driver.quit()
        sys.exit(1)


def act_as(person):
    Select(driver.find_element(By.ID, "person")).select_by_value(person)


def approve_button():
    buttons = [b for b in driver.find_elements(By.CSS_SELECTOR, "#transcript button.approve")]
    return buttons[-1] if buttons else None


def click_approve():
    """Clicks the newest Approve, finding it again when the page redrew it meanwhile."""
    def attempt():
        try:
            button = approve_button()
            if button is None:
                return False
            button.click()
            return True
        except StaleElementReferenceException:
            return False
    until("a click on Approve", attempt)


def send(text):
    box = driver.find_element(By.ID, "text")
    box.send_keys(text)
    box.send_keys(Keys.ENTER)
    until("the message box to empty", lambda: driver.find_element(By.ID, "text").get_attribute("value") == "")


def cards():
    return len(driver.find_elements(By.CSS_SELECTOR, "#transcript button.approve"))


def section(name):
    return driver.find_element(By.ID, name).text


# WCAG contrast of the text of each visible element against the background it is drawn on, and an
# accessible name for every control; returns what falls short.
ACCESSIBILITY = """
const luminance = (rgb) => {
  const [r, g, b] = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const parse = (color) => { const m = color.match(/[\\d.]+/g).map(Number); return { rgb: m.slice(0, 3), alpha: m.length > 3 ? m[3] : 1 }; };
const background = (node) => {
  for (let at = node; at; at = at.parentElement) { const c = parse(getComputedStyle(at).backgroundColor); if (c.alpha > 0.5) return c.rgb; }
  return parse(getComputedStyle(document.documentElement).backgroundColor).alpha > 0.5
    ? parse(getComputedStyle(document.documentElement).backgroundColor).rgb : [255, 255, 255];
};
const problems = [];
for (const node of document.querySelectorAll("body *")) {
  if (!node.offsetParent || ![...node.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim())) continue;
  const style = getComputedStyle(node);
  const [a, b] = [luminance(parse(style.color).rgb), luminance(background(node))];
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700);
  if (ratio < (large ? 3 : 4.5)) problems.push(node.tagName + "." + node.className + " '" + node.textContent.trim().slice(0, 30) + "' " + ratio.toFixed(2));
}
for (const control of document.querySelectorAll("input, select, button")) {
  if (control.hidden || !control.offsetParent) continue;
  const named = (control.labels && control.labels.length) || control.getAttribute("aria-label") || control.textContent.trim();
  if (!named) problems.push("no accessible name: " + control.outerHTML.slice(0, 60));
}
if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push("wider than the window: " + document.documentElement.scrollWidth);
return problems;
"""


def check_accessibility(page):
    """Light and dark, wide and phone-sized: contrast, names and no sideways scrolling."""
    for scheme in ("light", "dark"):
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
        for width, height in ((1100, 1000), (390, 844)):
            driver.set_window_size(width, height)
            problems = driver.execute_script(ACCESSIBILITY)
            assert not problems, f"{page} in {scheme} at {width}px: {problems}"
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "light"}]})
    driver.set_window_size(1100, 1000)
    print(f"accessibility: {page} passes contrast, names and phone width in light and dark")


try:
    driver.get(base + "/")
    until("the console to load", lambda: driver.find_elements(By.CSS_SELECTOR, "#person option"))
    assert driver.current_url.endswith("/console"), driver.current_url
    people = [o.get_attribute("value") for o in driver.find_elements(By.CSS_SELECTOR, "#person option")]
    assert "alice" in people and "bob" in people, people
    act_as("alice")
    box = driver.find_element(By.ID, "text")
    def offered():
        return [o.get_attribute("value") for o in driver.find_elements(By.CSS_SELECTOR, "#commands option")]
    box.send_keys("dep")
    until("the command names offered", lambda: "deploy" in offered())
    box.send_keys("loy fraud-model v12 ")
    until("the flags offered", lambda: "deploy fraud-model v12 --env" in offered())
    box.send_keys("--env ")
    until("the flag's values offered", lambda: {"deploy fraud-model v12 --env staging", "deploy fraud-model v12 --env prod"} <= set(offered()))
    print("completion:", ", ".join(offered()))
    box.send_keys("prod")
    until("the usage hint", lambda: "env: staging | prod" in driver.find_element(By.ID, "hint").text)
    print("hint:", driver.find_element(By.ID, "hint").text)
    driver.find_element(By.CSS_SELECTOR, "#composer button[type=submit]").click()
    until("the approval request", approve_button)
    print("approval card shown with Approve and Reject")
    click_approve()
    until("the self-approval refusal", lambda: "approve your own request" in page_text())
    print("alice's own Approve refused in the page")
    assert "Deployed fraud-model v12 to prod" not in page_text()

    act_as("bob")
    click_approve()
    until("the live progress message", lambda: "Running `deploy fraud-model v12 --env prod`" in page_text() or
                         "Deployed fraud-model v12 to prod" in page_text())
    running_seen = "Running `deploy fraud-model v12 --env prod`" in page_text()
    until("the deploy's result", lambda: "Deployed fraud-model v12 to prod" in page_text())
    until("the progress message updated in place", lambda: "finished in" in page_text())
    assert "Running `deploy fraud-model v12 --env prod`" not in page_text(), "the progress message was edited, not left"
    print("progress seen live:", running_seen, "; result shown; progress message edited to 'finished in'")
    assert running_seen, "the page showed the progress message before the result"
    send("metrics fraud-model")
    until("the metrics charts", lambda: driver.find_elements(By.CSS_SELECTOR, ".chart svg[aria-label^='p95 latency'] polyline"))
    chart = driver.find_element(By.CSS_SELECTOR, ".chart svg[aria-label^='p95 latency']")
    points = chart.find_element(By.TAG_NAME, "polyline").get_attribute("points").split()
    assert len(points) > 3, points
    print("metrics charted:", chart.get_attribute("aria-label"))
    check_accessibility("chat")
    if shots:
        driver.save_screenshot(os.path.join(shots, "console-chat.png"))
        print("screenshot:", os.path.join(shots, "console-chat.png"))

    # A second request, rejected by bob from the keyboard: focus the button, press Enter.
    act_as("alice")
    send("deploy fraud-model v13 --env prod")
    until("the second approval request", lambda: cards() == 1)
    act_as("bob")

    def reject_from_keyboard():
        try:
            buttons = driver.find_elements(By.CSS_SELECTOR, "#transcript button.reject")
            if not buttons:
                return False
            driver.execute_script("arguments[0].focus()", buttons[-1])
            driver.switch_to.active_element.send_keys(Keys.ENTER)
            return True
        except StaleElementReferenceException:
            return False
    until("Enter on Reject", reject_from_keyboard)
    until("the rejection", lambda: "was rejected by bob" in page_text())
    assert "Deployed fraud-model v13" not in page_text()
    print("bob rejected the second request from the keyboard")

    act_as("alice")
    send("deploy fraud-model v14 --env prod")
    until("the third approval request", lambda: cards() == 1)

    driver.find_element(By.LINK_TEXT, "Operations").click()
    until("the operations page", lambda: "deploy fraud-model v14 --env prod" in section("approvals"))
    approvals = section("approvals")
    assert "bob" in approvals and "alice" in approvals, approvals
    until("the three commands", lambda: all(text in section("commands") for text in (
        "deploy fraud-model v12 --env prod", "deploy fraud-model v13 --env prod", "deploy fraud-model v14 --env prod")))
    commands = section("commands")
    rows = {line.split("deploy fraud-model ")[1][:3]: line for line in commands.splitlines() if "deploy fraud-model v1" in line}
    assert "succeeded" in rows["v12"] and "Deployed fraud-model v12 to prod" in rows["v12"], rows
    assert "rejected" in rows["v13"] and "awaiting approval" in rows["v14"], rows
    print("operations: v12 succeeded, v13 rejected, v14 awaiting approval (bob may approve)")
    assert "chain intact" in driver.find_element(By.ID, "chain").text, driver.find_element(By.ID, "chain").text
    assert "approval.vote" in section("audit") and "action.end" in section("audit")
    rows = [[cell for cell in row.find_elements(By.TAG_NAME, "td")] for row in driver.find_elements(By.CSS_SELECTOR, "#health tbody tr")]
    sandbox = next(row for row in rows if row[0].text == "backend" and row[1].text == "sandbox")
    success = sandbox[3].find_elements(By.TAG_NAME, "time")
    assert success and success[0].get_attribute("datetime"), sandbox[3].text
    assert sandbox[4].text == "–" and sandbox[6].text == "closed", [cell.text for cell in sandbox]
    assert "nightly-status" in section("schedules") and "in " in section("schedules"), section("schedules")
    print("operations: audit chain intact; sandbox healthy with its circuit closed; the schedule's next firing shown")
    check_accessibility("operations")
    if shots:
        driver.save_screenshot(os.path.join(shots, "console-operations.png"))
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        driver.save_screenshot(os.path.join(shots, "console-operations-dark.png"))
        print("screenshots:", os.path.join(shots, "console-operations.png"), os.path.join(shots, "console-operations-dark.png"))
    errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, f"the pages logged errors: {errors}"
    print("no script or loading errors in the browser's console")
    print("ok")
finally:
    driver.quit()
