// What every browser script here shares: headless Chromium started the same way (Debian's, or
// $CHROMIUM), and axe-core's violations on the page as it stands, summarised for a JSON report.
import { existsSync, readFileSync, readdirSync } from "node:fs";
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

/** A page of 1280×900 whose requests, console errors, page errors and failed responses (status 400 and
 * over) go into `result` (`requests`, `console`, `failed`); with `downloads`, files it downloads go there. */
export async function watchedPage(browser, result, downloads = null) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on("request", (r) => result.requests.push(r.url()));
  page.on("console", (m) => { if (m.type() === "error") result.console.push(m.text()); });
  page.on("pageerror", (e) => result.console.push(`pageerror: ${e.message}`));
  page.on("response", (r) => { if (r.status() >= 400) result.failed.push(`${r.status()} ${r.url()}`); });
  if (downloads) {
    const cdp = await page.target().createCDPSession();
    await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloads });
  }
  return page;
}

/** The name of the first file ending in `suffix` that Chromium has finished downloading into `folder`. */
export async function downloaded(folder, suffix, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = existsSync(folder) ? readdirSync(folder) : [];
    const found = files.find((f) => f.endsWith(suffix));
    if (found && !files.some((f) => f.endsWith(".crdownload"))) return found;
    if (Date.now() > deadline) throw new Error(`nothing ending in ${suffix} downloaded: ${files.join(", ")}`);
    await sleep(200);
  }
}
