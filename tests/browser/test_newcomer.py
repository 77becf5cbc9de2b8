"""The newcomer's first hour, end to end through the real hub in Chromium: sign up, the
admin approves, start, make a project, upload a messy CSV nobody cleaned, create a training
script from a template for that dataset, run it in a terminal, find the model, set an alias.

Screenshots: test-artifacts/browser/newcomer-*.png.
"""

from __future__ import annotations

import os
import pwd
import random
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.hub import remove_leftover_project
from tests.support.lab_ui import (
    Terminal,
    accept_dialog,
    dialog,
    main_tab,
    new_launcher,
    open_lab,
    select_project,
    show_tab,
)

pytestmark = [pytest.mark.browser, pytest.mark.hub]

PASSWORD = "newcomer-pass-42"
USER = "nora"
LAB_TIMEOUT = 120_000


def messy_penguins(rows: int = 344) -> str:
    """A 344 x 17 CSV as people export it: NA strings, blanks, ISO dates, free text, an
    integer column with gaps, a yes/no column and a constant one."""
    rng = random.Random(7)
    species = ["Adelie", "Chinstrap", "Gentoo"]
    header = ["study", "sample", "species", "region", "island", "stage", "individual",
              "clutch_done", "egg_date", "bill_length_mm", "bill_depth_mm", "flipper_mm",
              "body_mass_g", "sex", "delta_15n", "delta_13c", "comments"]
    lines = [",".join(header)]
    for i in range(rows):
        s = rng.randrange(3)
        bill = f"{35 + 5 * s + rng.random() * 5:.1f}" if rng.random() > 0.02 else "NA"
        mass = str(3500 + 600 * s + rng.randrange(400)) if rng.random() > 0.02 else ""
        flipper = str(185 + 12 * s + rng.randrange(10)) if rng.random() > 0.03 else "NA"
        sex = rng.choice(["MALE", "FEMALE"]) if rng.random() > 0.05 else "NA"
        comment = rng.choice(["", "", "Nest never observed with full clutch.",
                              '"Sexing primers did not amplify, not enough blood"'])
        lines.append(",".join([
            "PAL0708", str(i + 1), species[s], "Anvers", ["Torgersen", "Biscoe", "Dream"][s],
            '"Adult, 1 Egg Stage"', f"N{i // 2 + 1}A{i % 2 + 1}", rng.choice(["Yes", "No"]),
            f"2007-11-{1 + i % 28:02d}", bill, f"{17 + rng.random() * 3:.1f}", flipper, mass,
            sex, f"{8 + rng.random():.5f}" if rng.random() > 0.05 else "NA",
            f"{-25 + rng.random():.5f}", comment]))
    return "\n".join(lines) + "\n"


def shot(page, artifacts, name: str) -> None:
    page.mouse.move(1300, 840)
    page.screenshot(path=str(artifacts / f"newcomer-{name}.png"))


def test_a_newcomer_goes_from_sign_up_to_a_model_with_an_alias(hub, browser, artifacts):
    remove_leftover_project(USER, "penguins")
    context = browser.new_context(viewport={"width": 1366, "height": 860})
    context.set_default_timeout(30_000)
    page, admin = context.new_page(), browser.new_context().new_page()
    try:
        # sign up, and wait for the admin
        page.goto(f"{hub.url}/hub/signup")
        page.fill("#username_input", USER)
        page.fill("#password_input", PASSWORD)
        page.fill("#password_confirmation_input", PASSWORD)
        page.click("#signup_submit")
        expect(page.get_by_text("Your information has been sent to the admin")).to_be_visible()
        admin.goto(f"{hub.url}/hub/login")
        admin.fill("#username_input", "admin")
        admin.fill("#password_input", hub.admin_password)
        admin.click("#login_submit")
        admin.goto(f"{hub.url}/hub/home")
        admin.locator(".hubml-pending-signups a").click()
        admin.locator(f"a[href$='authorize/{USER}']").click()
        expect(admin.locator(f"a[href$='authorize/{USER}']")).to_have_text("Unauthorize")

        # log in, pick the scikit-learn profile, reach JupyterLab
        page.goto(f"{hub.url}/hub/login")
        page.fill("#username_input", USER)
        page.fill("#password_input", PASSWORD)
        page.click("#login_submit")
        page.check("input[name=profile][value=sklearn]")
        shot(page, artifacts, "options-form")
        page.locator("#spawn_form input[type=submit], #spawn_form button[type=submit]").click()
        expect(page.locator(".jp-LabShell")).to_be_visible(timeout=LAB_TIMEOUT)
        # ?reset: her account may keep JupyterLab's layout from an earlier run of this test
        open_lab(page, f"{hub.url}/user/{USER}/lab?reset")

        # a project of her own
        panel = show_tab(page, "projects")
        panel.locator(".jp-hubml-new-project").click()
        dialog(page).locator(".jp-hubml-project-name").fill("penguins")
        accept_dialog(page)
        select_project(page, "penguins")

        # her messy CSV
        panel = show_tab(page, "datasets")
        page.set_input_files(".jp-hubml-file-input", files=[
            {"name": "penguins-raw.csv", "mimeType": "text/csv",
             "buffer": messy_penguins().encode()}])
        expect(panel.locator(".jp-hubml-upload")).to_have_attribute("data-state", "done",
                                                                      timeout=60_000)
        viewer = page.locator(".jp-hubml-dataset-viewer[data-name='penguins-raw']")
        expect(viewer.locator(".jp-hubml-preview-table")).to_contain_text("Adelie")
        shot(page, artifacts, "dataset")

        # a training script from the template, for this dataset and its target
        new_launcher(page).locator(".jp-LauncherCard[data-category='hubml']",
                                   has_text="New script").click()
        box = dialog(page)
        box.locator(".jp-hubml-template[data-template='train-sklearn']").click()
        expect(box.locator(".jp-hubml-script-dataset")).to_have_value("penguins-raw")
        box.locator(".jp-hubml-script-target").select_option("species")
        shot(page, artifacts, "template")
        accept_dialog(page)
        expect(main_tab(page, "train-sklearn.py")).to_be_visible()

        # run it in a terminal, from where a terminal starts (her home)
        home = pwd.getpwnam(f"hubmlt-{USER}").pw_dir
        scratch = os.path.join(home, "scratch")
        os.makedirs(scratch, exist_ok=True)
        os.chown(scratch, pwd.getpwnam(f"hubmlt-{USER}").pw_uid, -1)
        script = open(os.path.join(home, "projects/penguins/scripts/train-sklearn.py")).read()
        command = re.search(r"^ {4}(python .+)$", script, re.MULTILINE).group(1)
        terminal = Terminal(page, Path(scratch))
        log, rc = terminal.run("train", command)
        Terminal.wait("train", log, rc, timeout=300)
        made = re.search(r'MODEL_NAME = "([a-z0-9_-]+)"', script).group(1)

        # the model shows up; she gives it the alias production
        panel = show_tab(page, "models")
        row = panel.locator(f".jp-hubml-model-row[data-name='{made}']")
        expect(row).to_be_visible(timeout=10_000)
        row.click()
        model = page.locator(f".jp-hubml-model-viewer[data-name='{made}']")
        expect(model.locator(".jp-hubml-metrics")).to_be_visible()
        model.locator(".jp-hubml-alias-input").fill("production")
        model.locator(".jp-hubml-set-alias").click()
        expect(model.locator(".jp-hubml-alias[data-alias='production']")).to_have_attribute(
            "data-version", "1")
        shot(page, artifacts, "model")
        aliases = hub.user_api(USER, f"hubml/api/projects/penguins/models/{made}").json()
        assert aliases["aliases"] == {"production": 1}
    finally:
        context.close()
        if hub.api("GET", f"users/{USER}").json().get("servers"):
            hub.stop_server(USER)
