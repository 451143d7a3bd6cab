// The form editor with JavaScript turned off, in headless Chromium: a quote card added by its
// button (the form comes back unsaved with the card), its fields filled, the form saved. Reports
// JSON on stdout. Used by test_studio_form.py.
//
// usage: node form_nojs.mjs FORM_URL

import { axeViolations, launch } from "./chromium.mjs";
const url = process.argv[2];
const browser = await launch();
const result = { failed: [] };
try {
  const page = await browser.newPage();
  await page.setJavaScriptEnabled(false);
  page.on("response", (r) => { if (r.status() >= 400) result.failed.push(`${r.status()} ${r.url()}`); });
  await page.goto(url, { waitUntil: "load" });
  const submit = async (selector) => {
    await page.focus(selector);
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
  };
  await submit("button[value='add:body:quote']");
  result.added = await page.evaluate(() => ({
    status: document.getElementById("status").textContent.trim(),
    cards: Array.from(document.querySelectorAll("fieldset[data-list='body'] > ol > li")).map((li) => li.dataset.item),
  }));
  const last = result.added.cards[result.added.cards.length - 1];
  const id = `f-${last.replace(/\./g, "-")}`;
  await page.type(`#${id}-text`, "Typed with no script running.");
  await page.type(`#${id}-attribution`, "A reader");
  // axe-core is injected for the check only: the page itself runs no script
  await page.setJavaScriptEnabled(true);
  result.axe = (await axeViolations(page)).map((v) => v.id);
  await page.setJavaScriptEnabled(false);
  await submit("#save");
  result.saved = await page.evaluate(() => document.getElementById("status").textContent.trim());
} catch (error) {
  result.error = String(error && error.stack || error);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
