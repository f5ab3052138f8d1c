// Opens a roundtable index.html in Debian's Chromium (headless), collects console errors,
// switches the "your time" control, reads a session's time, and saves screenshots.
// Usage: node check_page.mjs PAGE.html ZONE SESSION_ID OUT_DIR
// Prints JSON: {"errors": [...], "before": TEXT, "after": TEXT, "title": TEXT, "phone_after": TEXT,
//               "phone_scroll_width": N, "phone_width": N}
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [page_path, zone, session, out_dir] = process.argv.slice(2);
const url = pathToFileURL(resolve(page_path)).href;
const profile = mkdtempSync(join(tmpdir(), "rt-chromium-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: { width: 1280, height: 900 },
  timezoneId: "Europe/Madrid",
});
const errors = [];
const result = { errors };
async function visit(viewport, shot) {
  const page = await browser.newPage();
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => { if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) errors.push("network request: " + r.url()); });
  await page.setViewportSize(viewport);
  await page.goto(url, { waitUntil: "load" });
  const time = page.locator(`#session-${session}`).locator("xpath=..").locator("time").first();
  const before = await time.textContent();
  await page.selectOption("#tz", zone);
  const after = await time.textContent();
  await page.screenshot({ path: join(out_dir, shot), fullPage: false });
  const title = await page.locator("h1").textContent();
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  await page.close();
  return { before, after, title, widths };
}
const desktop = await visit({ width: 1280, height: 900 }, "desktop.png");
result.before = desktop.before;
result.after = desktop.after;
result.title = desktop.title;
const phone = await visit({ width: 390, height: 844 }, "phone.png");
result.phone_after = phone.after;
result.phone_scroll_width = phone.widths[0];
result.phone_width = phone.widths[1];
await browser.close();
console.log(JSON.stringify(result));
