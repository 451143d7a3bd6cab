// What every browser script here shares: headless Chromium started the same way (Debian's, or
// $CHROMIUM), and axe-core's violations on the page as it stands, summarised for a JSON report.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Headless Chromium with nothing of its own on the network; `extra`: more command-line flags. */
export function launch(extra = []) {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--no-first-run", ...extra],
  });
}

/** axe-core's violations on `page` now: id, impact, help and the first three offending nodes. */
export async function axeViolations(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => (await axe.run(document, { resultTypes: ["violations"] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.html).slice(0, 3) })));
}
