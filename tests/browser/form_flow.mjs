// A new fact-check made from nothing in the studio's form editor, in headless Chromium, with no YAML
// typed: a title on the New page, then in the form the claim, its speaker, the rating, two quotes (one
// added as a card) and a photo card with an uploaded photo; a finding shown beside the empty caption is
// fixed; the scene being edited is drawn; saved; a preview rendered; its social pack downloaded.
// Reports JSON on stdout (what was seen, axe-core's violations on every page and state). Used by
// test_studio_form.py.
//
// usage: node form_flow.mjs BASE_URL --photo FILE --downloads DIR [--screenshots DIR]
import { axeViolations, downloaded, launch, sleep, watchedPage } from "./chromium.mjs";

const args = process.argv.slice(2);
const base = args[0].replace(/\/$/, "");
const opt = (name) => { const i = args.indexOf(name); return i > 0 ? args[i + 1] : null; };
const photo = opt("--photo");
const downloads = opt("--downloads");
const shots = opt("--screenshots");

const browser = await launch(["--mute-audio"]);
const result = { axe: {}, requests: [], console: [], steps: [], failed: [] };
try {
  const page = await watchedPage(browser, result, downloads);
  const step = (name) => result.steps.push(name);

  async function axe(name) {
    result.axe[name] = { violations: await axeViolations(page) };
    if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
  }
  async function follow(selector) {
    await page.focus(selector);
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
  }
  // Put the cursor in a field, select what is there and type over it, as a person would.
  async function fill(id, text) {
    await page.focus(`#${id}`);
    await page.keyboard.down("Control"); await page.keyboard.press("KeyA"); await page.keyboard.up("Control");
    await page.keyboard.type(text);
  }
  async function press(selector) {
    await page.focus(selector);
    await page.keyboard.press("Enter");
  }
  const findingsOf = (id) => page.evaluate((i) => Array.from(document.querySelectorAll(`#${i}-findings li`))
    .map((li) => li.textContent), id);

  // 1. New fact-check from the scripts page: only a title.
  await page.goto(`${base}/scripts`, { waitUntil: "load" });
  await follow("a[href='/new']");
  await fill("title", "Bridge closure claim");
  await follow("form.new-script button[type=submit]");
  step("created");
  await follow("a[href$='/form']");
  result.formPath = await page.evaluate(() => location.pathname);
  await axe("form");

  // 2. The claim, its speaker and the rating (a choice on the theme's scale, the meter redrawn).
  await fill("f-claim-quote", "The bridge will close for good in May.");
  await fill("f-claim-speaker-name", "Ana Ruiz");
  await page.focus("input[name='verdict.rating'][value='Mostly False']");
  await page.keyboard.press("Space");
  result.meter = await page.evaluate(() => document.querySelector("svg.meter title").textContent);

  // 3. The template's quote, and a second quote added as a card.
  await fill("f-body-1-text", "The bridge stays open.");
  await fill("f-body-1-attribution", "City engineer, 2 May 2024");
  await press("button[data-template='tpl-f-body-quote']");
  result.addedFocus = await page.evaluate(() => document.activeElement.id);
  await fill("f-body-n1-text", "Repairs end in June.");
  await fill("f-body-n1-attribution", "Transport department notice");
  await press("li[data-item='body.n1'] button[data-op='up']");  // above the template's fact card
  result.moved = await page.evaluate(() => ({
    order: Array.from(document.querySelectorAll("fieldset[data-list='body'] > ol > li")).map((li) => li.dataset.item),
    focused: document.activeElement.textContent.trim(), status: document.getElementById("status").textContent.trim() }));

  // 4. A photo card: the photo uploaded from the card, credit and description; the caption left
  //    empty shows its finding beside it as the user types elsewhere, then the finding is fixed.
  await press("button[data-template='tpl-f-body-photo']");
  const upload = await page.$("#f-body-n2-image-upload");
  await upload.uploadFile(photo);
  await page.waitForFunction(() => document.getElementById("f-body-n2-image").value.startsWith("assets/photos/"),
                             { timeout: 20000 });
  result.photoPath = await page.evaluate(() => document.getElementById("f-body-n2-image").value);
  await fill("f-body-n2-credit", "Test photo");
  await fill("f-body-n2-description", "A steel bridge over a wide river on a cloudy day.");
  await page.waitForFunction(() => document.querySelectorAll("#f-body-n2-caption-findings li").length > 0,
                             { timeout: 20000 });
  result.captionFinding = await findingsOf("f-body-n2-caption");
  result.captionInvalid = await page.evaluate(() => document.getElementById("f-body-n2-caption").getAttribute("aria-invalid"));
  await axe("form-finding");
  const typed = Date.now();
  await fill("f-body-n2-caption", "The bridge on 2 May");
  await page.waitForFunction(() => document.querySelectorAll("#f-body-n2-caption-findings li").length === 0,
                             { timeout: 20000 });
  result.fixedAfterMs = Date.now() - typed;
  step("finding fixed");

  // 5. The scene being edited: the photo card's still, in both shapes.
  await page.waitForFunction(() => document.getElementById("preview-note").textContent.includes("photo scene") &&
                                   ["still-16x9", "still-9x16"].every((id) => {
    const img = document.getElementById(id);
    return !img.hidden && img.complete && img.naturalWidth > 0;
  }), { timeout: 60000 });
  result.stills = await page.evaluate(() => ({
    note: document.getElementById("preview-note").textContent,
    sizes: ["still-16x9", "still-9x16"].map((id) => [document.getElementById(id).naturalWidth,
                                                      document.getElementById(id).naturalHeight]),
  }));
  result.findingsCount = await page.evaluate(() => document.getElementById("findings-count").textContent);
  await axe("form-edited");

  // 6. Save: the form comes back saved, focus on the message.
  await follow("#save");
  result.saved = await page.evaluate(() => ({ status: document.getElementById("status").textContent.trim(),
                                              focused: document.activeElement.id,
                                              findings: document.getElementById("findings-count").textContent }));
  await axe("form-saved");
  step("saved");
  await page.setViewport({ width: 390, height: 844 });  // a phone: nothing may scroll sideways
  result.narrow = await page.evaluate(() => document.scrollingElement.scrollWidth);
  await axe("form-narrow");
  await page.setViewport({ width: 1280, height: 900 });

  // 7. A preview, followed to done; the output's social pack downloaded.
  await follow("a[href^='/render?script=']");
  await follow("form.render button[type=submit]");
  const deadline = Date.now() + 420000;
  for (;;) {
    const state = await page.evaluate(() => ({ job: document.getElementById("job-state").textContent.trim(),
                                               result: !document.querySelector("[data-field=result]").hidden,
                                               error: document.querySelector("[data-field=error]").textContent }));
    if (state.job === "done" && state.result) break;
    if (["failed", "cancelled"].includes(state.job)) throw new Error(`the preview ${state.job}: ${state.error}`);
    if (Date.now() > deadline) throw new Error("the preview did not finish");
    await sleep(500);
  }
  step("rendered");
  await follow("[data-field=result] a");
  await press("form.pack button[type=submit]");
  result.pack = await downloaded(downloads, ".zip");
  step("pack downloaded");
} catch (error) {
  result.error = String(error && error.stack || error);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
