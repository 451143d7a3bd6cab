// The form editor with JavaScript turned off, in headless Chromium: a quote card added by its
// button (the form comes back unsaved with the card), its fields filled, the form saved. Reports
// JSON on stdout. Used by test_studio_form.py.
//
// usage: node form_nojs.mjs FORM_URL
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const url = process.argv[2];
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"],
});
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
  await page.evaluate(axeSource);
  result.axe = await page.evaluate(async () => (await axe.run(document, { resultTypes: ["violations"] }))
    .violations.map((v) => v.id));
  await page.setJavaScriptEnabled(false);
  await submit("#save");
  result.saved = await page.evaluate(() => document.getElementById("status").textContent.trim());
} catch (error) {
  result.error = String(error && error.stack || error);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
