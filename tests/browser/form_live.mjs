// The form editor's live parts in headless Chromium, on a script that validates: the theme typed
// into its field swaps the rating's choices and meter for that theme's scale before any save (and
// the page says so); a rating chosen on the new scale redraws the meter; saved, the page shows the
// same scale. Reports JSON on stdout (what was seen, axe-core's violations). Used by
// test_studio_form.py.
//
// usage: node form_live.mjs FORM_URL

import { axeViolations, launch } from "./chromium.mjs";
const url = process.argv[2];
const browser = await launch();
const result = { axe: {}, failed: [], console: [] };
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on("console", (m) => { if (m.type() === "error") result.console.push(m.text()); });
  page.on("pageerror", (e) => result.console.push(`pageerror: ${e.message}`));
  page.on("response", (r) => { if (r.status() >= 400) result.failed.push(`${r.status()} ${r.url()}`); });
  async function axe(name) {
    result.axe[name] = await axeViolations(page);
  }
  const scale = () => page.evaluate(() => ({
    theme: document.querySelector(".scale-meter").dataset.theme,
    options: Array.from(document.querySelectorAll("input[name='verdict.rating']")).map((r) => r.value),
    checked: (document.querySelector("input[name='verdict.rating']:checked") || {}).value || "",
    steps: Array.from(document.querySelectorAll("svg.meter [data-step]")).map((r) => r.dataset.step),
    meter: document.querySelector("svg.meter title").textContent,
    status: document.getElementById("status").textContent.trim(),
  }));

  const captions = async () => {
    await page.waitForSelector("#captions:not([data-pending])", { timeout: 60000 });
    return page.evaluate(() => ({
      status: document.getElementById("caption-status").textContent.trim(),
      lists: Object.fromEntries(Array.from(document.querySelectorAll(".caption-findings"))
        .filter((ul) => ul.children.length).map((ul) => [ul.dataset.captions, Array.from(ul.children).map((li) => li.textContent)])),
    }));
  };

  await page.goto(url, { waitUntil: "load" });
  result.before = await scale();
  result.captions = await captions();
  await page.focus("#f-theme");
  await page.keyboard.down("Control"); await page.keyboard.press("KeyA"); await page.keyboard.up("Control");
  await page.keyboard.type("three-step");
  await page.waitForSelector(".scale-meter[data-theme='three-step']", { timeout: 10000 });
  result.typed = await scale();
  await axe("theme-typed");
  await page.focus("input[name='verdict.rating'][value='Inaccurate']");
  await page.keyboard.press("Space");
  result.chosen = await scale();
  await page.focus("#save");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
  result.saved = await scale();
  result.savedCaptions = await captions();
  await axe("theme-saved");
} catch (error) {
  result.error = String(error && error.stack || error);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
