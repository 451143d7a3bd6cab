// Drives the claimreel studio (started without a runner) in headless Chromium and reports, as
// JSON on stdout: each page's scroll width at 390 px, where the focus is after every form sent
// (save, upload, refused upload, submit, cancel, retry), the queue page and a job page updating
// live while another tab acts, and whether a finding's link scrolls the editor to its line when
// long lines wrap. Used by test_studio_pages.py.
//
// usage: node studio_pages.mjs BASE_URL --line N --photo FILE --fake FILE

import { axeViolations, launch } from "./chromium.mjs";
const args = process.argv.slice(2);
const base = args[0].replace(/\/$/, "");
const opt = (name) => { const i = args.indexOf(name); return i > 0 ? args[i + 1] : null; };
const brokenLine = parseInt(opt("--line"), 10);

const browser = await launch(["--mute-audio",
         // two tabs act at once: neither is slowed down as a background tab
         "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
         "--disable-backgrounding-occluded-windows"]);
const result = { widths: {}, focus: {}, axe: {}, console: [], failed: [], steps: [] };
const watch = (page) => {
  page.on("console", (m) => { if (m.type() === "error") result.console.push(m.text()); });
  page.on("pageerror", (e) => result.console.push(`pageerror: ${e.message}`));
  page.on("response", (r) => { if (r.status() >= 400 && !r.url().includes("/assets/photos") && !r.url().endsWith("/none.yaml")) result.failed.push(`${r.status()} ${r.url()}`); });
};
try {
  const page = await browser.newPage();
  const other = await browser.newPage();
  watch(page);
  watch(other);
  await page.bringToFront();
  // waits poll by time, not by animation frame: the tab in the background draws no frames
  await page.setViewport({ width: 390, height: 844 });
  page.setDefaultNavigationTimeout(120000);  // a script page's load waits for its storyboards
  const step = (name) => result.steps.push(name);
  const width = async (name) => {
    result.widths[name] = await page.evaluate(() => document.scrollingElement.scrollWidth);
  };
  const axe = async (name) => {
    result.axe[name] = await axeViolations(page);
  };
  const focused = async (name) => {
    result.focus[name] = await page.evaluate(() => {
      const el = document.activeElement;
      return { id: el.id, role: el.getAttribute("role"), text: el.textContent.replace(/\s+/g, " ").trim() };
    });
    await width(name);
  };
  const send = async (selector) => {
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click(selector)]);
  };

  // 1. Every page at 390 px.
  for (const [name, path] of [["scripts", "/scripts"], ["script", "/scripts/small-check.yaml"],
                              ["script-broken", "/scripts/long-lines.yaml"], ["render", "/render?script=small-check.yaml"],
                              ["new", "/new"], ["queue-empty", "/queue"], ["outputs", "/outputs"],
                              ["output", "/outputs/_previews/small-check"], ["not-found", "/scripts/none.yaml"]]) {
    const logged = result.console.length;
    await page.goto(base + path, { waitUntil: "load" });
    await width(name);
    if (name === "not-found") result.console.splice(logged);  // the browser logs the 404 it was sent to
  }
  step("widths");

  // 2. Save, upload and a refused upload: the focus lands on what happened.
  await page.goto(`${base}/scripts/small-check.yaml`, { waitUntil: "load" });
  await send("form.edit button[type=submit]");
  await focused("save");
  const input = await page.$("#photo");
  await input.uploadFile(opt("--photo"));
  await send("#photo ~ button[type=submit]");
  await focused("upload");
  await (await page.$("#photo")).uploadFile(opt("--fake"));
  const logged = result.console.length;
  await send("#photo ~ button[type=submit]");
  result.console.splice(logged);  // the browser logs the 415 the refusal is sent with
  await focused("refused");
  await axe("refused");
  step("save and upload");

  // 3. The queue page in another tab sees a render submitted here, live.
  await other.goto(`${base}/queue`, { waitUntil: "load" });
  await page.goto(`${base}/render?script=small-check.yaml`, { waitUntil: "load" });
  await send("form.render button[type=submit]");
  await focused("submit");
  await axe("job");
  const jobUrl = new URL(page.url()).pathname;
  await other.waitForFunction(() => document.querySelectorAll("#jobs tr[data-job]").length === 1 &&
                                    !document.getElementById("jobs").hidden, { timeout: 15000, polling: 200 });
  result.queueRow = await other.evaluate(() => document.querySelector("#jobs tr[data-job]").textContent.replace(/\s+/g, " ").trim());
  step("queue live");

  // 4. The job is cancelled from the other tab: this tab's buttons change, and the queue says so.
  const csrf = await page.evaluate(() => new URL(document.querySelector("#cancel-form").action).searchParams.get("csrf"));
  result.before = await page.evaluate(() => ({ cancel: !document.getElementById("cancel-form").hidden,
                                                retry: !document.getElementById("retry-form").hidden }));
  await other.evaluate(async (url, token) => {
    await fetch(url + "/cancel", { method: "POST", headers: { "x-csrf-token": token } });
  }, jobUrl, csrf);
  await page.waitForFunction(() => document.getElementById("cancel-form").hidden &&
                                   !document.getElementById("retry-form").hidden, { timeout: 15000, polling: 200 });
  result.after = { cancel: false, retry: true };
  await other.waitForFunction(() => document.querySelector("#jobs tr[data-job]").textContent.includes("cancelled"),
                              { timeout: 15000, polling: 200 });
  result.queueSaid = await other.evaluate(() => document.getElementById("queue-live").textContent);
  result.axe.queue = await axeViolations(other);
  await page.goto(base + "/queue", { waitUntil: "load" });
  await width("queue");
  step("job live");

  // 5. Retry, then cancel, from the job page.
  await page.goto(base + jobUrl, { waitUntil: "load" });
  await send("#retry");
  await focused("retry");
  await send("#cancel");
  await focused("cancel");
  step("retry and cancel");

  // 6. A finding's link scrolls the editor to its line, however long the lines before it wrap.
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(`${base}/scripts/long-lines.yaml`, { waitUntil: "load" });
  await page.click(`.findings a[href='#L${brokenLine}']`);
  await new Promise((r) => setTimeout(r, 300));
  result.scroll = await page.evaluate((n) => {
    const area = document.getElementById("text");
    const lines = area.value.split("\n");
    // where line n really is: a copy of the editor holding the text up to it, measured by the browser
    const copy = area.cloneNode();
    copy.removeAttribute("id");
    copy.style.height = "0px";
    copy.style.width = area.getBoundingClientRect().width + "px";
    copy.value = lines.slice(0, n).join("\n");
    area.parentNode.appendChild(copy);
    const style = getComputedStyle(area);
    const bottom = copy.scrollHeight - parseFloat(style.paddingBottom);
    copy.remove();
    const lineHeight = parseFloat(style.lineHeight);
    return { top: bottom - lineHeight, bottom, scrollTop: area.scrollTop, clientHeight: area.clientHeight,
             wraps: area.scrollHeight > (lines.length + 2) * lineHeight,
             selected: area.value.slice(area.selectionStart, area.selectionEnd), line: lines[n - 1],
             focused: document.activeElement === area };
  }, brokenLine);
  step("finding scroll");
} catch (error) {
  result.error = String(error && error.stack || error);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
