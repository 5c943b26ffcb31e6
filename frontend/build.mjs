// Copies the library files the pages load from node_modules into build/static/vendor, where Django's
// collectstatic picks them up. Nothing here is committed: the files come from npm at set-up.
import { copyFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const files = {
  "bootstrap/bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",
  "bootstrap/bootstrap.bundle.min.js": "bootstrap/dist/js/bootstrap.bundle.min.js",
  "htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
  "echarts/echarts.min.js": "echarts/dist/echarts.min.js",
};

for (const [target, source] of Object.entries(files)) {
  const from = join(root, "node_modules", source);
  if (!existsSync(from)) {
    console.error(`missing ${from}: run "npm ci" first`);
    process.exit(1);
  }
  const to = join(root, "build", "static", "vendor", target);
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  // Minified files point at their source maps; collectstatic's manifest checks those references exist.
  if (existsSync(`${from}.map`)) copyFileSync(`${from}.map`, `${to}.map`);
}
console.log(`copied ${Object.keys(files).length} front-end files to build/static/vendor`);
