// Checks rendered HTML files with axe-core (WCAG 2.0/2.1/2.2 A and AA rules) in headless Chromium.
// Usage: node check.js FILE.html...   Exits 1 listing every violation, 0 when every page is clean.
const fs = require("fs");
const path = require("path");
const puppeteer = require("puppeteer-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: node check.js FILE.html...");
    process.exit(2);
  }
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  let failures = 0;
  for (const file of files) {
    const page = await browser.newPage();
    await page.goto("file://" + path.resolve(file), { waitUntil: "load" });
    await page.evaluate(axeSource);
    const result = await page.evaluate((tags) => axe.run(document, { runOnly: { type: "tag", values: tags } }), TAGS);
    for (const v of result.violations) {
      failures += v.nodes.length;
      console.log(`${file}: ${v.id} (${v.impact}): ${v.help}`);
      for (const n of v.nodes.slice(0, 5)) console.log(`  ${n.target.join(" ")}: ${n.failureSummary.replace(/\n/g, " ")}`);
    }
    console.log(`${file}: ${result.violations.length} violation(s), ${result.passes.length} rules passed`);
    await page.close();
  }
  await browser.close();
  process.exit(failures > 0 ? 1 : 0);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
