"""Drives the web console in headless Chromium through Selenium: alice asks for a prod deploy, her own
Approve is refused in the page, bob approves, and the page shows the progress message change live
and the deploy's result. Usage: console_chat.py BASE_URL [SCREENSHOT_DIR]. Prints what it checked;
exits non-zero (with the page's text) when a step does not happen."""
import os
import signal
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.ui import Select, WebDriverWait

base, shots = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
signal.alarm(150)  # a browser or driver that hangs ends the run, and with it Chromium
options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1000", "--force-prefers-reduced-motion"):
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service(os.environ.get("CHATOPS_CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
wait = WebDriverWait(driver, 60, poll_frequency=0.1)


def page_text():
    return driver.find_element(By.ID, "transcript").text


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


try:
    driver.get(base + "/")
    until("the console to load", lambda: driver.find_elements(By.CSS_SELECTOR, "#person option"))
    assert driver.current_url.endswith("/console"), driver.current_url
    people = [o.get_attribute("value") for o in driver.find_elements(By.CSS_SELECTOR, "#person option")]
    assert "alice" in people and "bob" in people, people
    act_as("alice")
    box = driver.find_element(By.ID, "text")
    box.send_keys("deploy fraud-model v12 --env prod")
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
    if shots:
        driver.save_screenshot(os.path.join(shots, "console-chat.png"))
        print("screenshot:", os.path.join(shots, "console-chat.png"))
    print("ok")
finally:
    driver.quit()
