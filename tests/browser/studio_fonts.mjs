// Opens a studio script page whose title is Chinese and reports, as JSON on stdout, how the title
// is drawn: its text and lang, which web font faces the page loaded, document.fonts.check for the
// title in the heading's font, and whether two different characters drawn in that font on a
// canvas differ (as empty boxes they would not). Used by test_studio.py.
//
// usage: node studio_fonts.mjs PAGE_URL
import puppeteer from "puppeteer-core";

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"],
});
const result = { failed: [], console: [] };
try {
  const page = await browser.newPage();
  page.on("console", (m) => { if (m.type() === "error") result.console.push(m.text()); });
  page.on("response", (r) => { if (r.status() >= 400) result.failed.push(`${r.status()} ${r.url()}`); });
  await page.goto(process.argv[2], { waitUntil: "networkidle0" });
  Object.assign(result, await page.evaluate(async () => {
    await document.fonts.ready;
    const h1 = document.querySelector("h1");
    const style = getComputedStyle(h1);
    const font = `${style.fontWeight} 48px ${style.fontFamily}`;
    const ink = (ch) => {
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = 64;
      const ctx = canvas.getContext("2d");
      ctx.font = font;
      ctx.fillText(ch, 4, 52);
      const data = ctx.getImageData(0, 0, 64, 64).data;
      const alpha = [];
      for (let i = 3; i < data.length; i += 4) alpha.push(data[i] > 127 ? 1 : 0);
      return alpha;
    };
    const zhong = ink("中"), guo = ink("国");
    return {
      title: h1.textContent, lang: h1.lang,
      loaded: [...document.fonts].filter((f) => f.status === "loaded").map((f) => `${f.family.replaceAll('"', "")} ${f.weight}`),
      check: document.fonts.check(font, h1.textContent),
      inkZhong: zhong.reduce((a, b) => a + b, 0), inkGuo: guo.reduce((a, b) => a + b, 0),
      sameGlyph: zhong.every((v, i) => v === guo[i]),
    };
  }));
} catch (e) {
  result.error = String(e && e.stack || e);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
