// Takes the README's screenshots from a running demo (make demo), with the system Chromium:
//   node frontend/screenshots.mjs [http://127.0.0.1:8000]
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const base = process.argv[2] || "http://127.0.0.1:8000";
const out = new URL("../docs/screenshots/", import.meta.url).pathname;
const password = "Demo-2024-fazhi";
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"],
});

async function open(username, viewport = { width: 1280, height: 860 }) {
  const context = await browser.newContext({ viewport, locale: "zh-CN", deviceScaleFactor: 1 });
  const page = await context.newPage();
  if (username) {
    await page.goto(`${base}/accounts/login/`);
    await page.fill("#id_username", username);
    await page.fill("#id_password", password);
    await Promise.all([page.waitForURL(`${base}/home/`), page.click("button[type=submit]")]);
  }
  return page;
}

async function shot(page, path, name) {
  await page.goto(`${base}${path}`);
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(600); // let the charts finish their entry animation
  await page.screenshot({ path: `${out}${name}.png`, fullPage: false });
  console.log(`docs/screenshots/${name}.png`);
}

await shot(await open(null), "/accounts/login/", "login");
const coordinator = await open("coordinator");
await shot(coordinator, "/home/", "coordinator-home");
await shot(coordinator, "/orgs/units/", "unit-directory");
await coordinator.goto(`${base}/orgs/units/?q=司法局`);
const unitUrl = await coordinator.locator("table a").first().getAttribute("href");
await shot(coordinator, unitUrl, "unit-detail");
await shot(coordinator, "/audit/", "audit-trail");
// A plan read from seed 000, reviewed beside its source text.
await coordinator.goto(`${base}/plans/import/`);
await coordinator.setInputFiles("#id_file", new URL("../fazhi/docparse/tests/fixtures/seeds/000_04f4bfefc4535b71.txt", import.meta.url).pathname);
await coordinator.click("main button[type=submit]");
await coordinator.waitForURL(/\/plans\/\d+\/$/, { timeout: 60000 });
await coordinator.click(".task-card >> nth=3");
await coordinator.waitForTimeout(800);
await coordinator.screenshot({ path: `${out}plan-review.png` });
console.log("docs/screenshots/plan-review.png");
await shot(await open("leader", { width: 390, height: 844 }), "/home/", "leader-phone");
// The annual report's draft after an edit by the office: a sentence of its own, with a number to be checked.
await coordinator.goto(`${base}/home/`);
const years = await coordinator.locator("a", { hasText: "年度报告" }).first().getAttribute("href");
await coordinator.goto(`${base}${years}2024/draft/edit/`);
await coordinator.fill("#draft-opening", (await coordinator.inputValue("#draft-opening")) + "全年召开政府常务会议学法4次。");
await Promise.all([coordinator.waitForURL(/\/draft\/$/), coordinator.click("form.draft-editor button[type=submit]")]);
await coordinator.locator(".report-sentence").nth(2).click();
await coordinator.waitForSelector(".report-sources-card");
await coordinator.screenshot({ path: `${out}annual-report-draft.png` });
console.log("docs/screenshots/annual-report-draft.png");
await browser.close();
