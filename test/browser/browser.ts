// The two things the browser tests need besides the server: the client bundled for a browser
// (esbuild, ESM, from test/browser/page.ts), and Debian's Chromium driven by playwright-core.
// CHROMIUM_BINARY overrides /usr/bin/chromium (.ci/run installs it with apt-get).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { type BrowserContext, type Page, chromium } from "playwright-core";
import { packageRoot } from "../../generator/paths.js";

export const chromiumBinary = process.env.CHROMIUM_BINARY ?? "/usr/bin/chromium";

/** test/browser/page.ts and everything it imports from the runtime and the generated client, as one ES module. */
export async function bundleClient(): Promise<string> {
  const result = await build({
    entryPoints: [join(packageRoot, "test", "browser", "page.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error("esbuild wrote no bundle for test/browser/page.ts");
  return file.text;
}

/**
 * Flags for a closed network: headless, no sandbox (root in CI), no GPU, and none of the
 * background traffic Chromium starts by itself (QUIC probes, component and sync updates).
 */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  readonly context: BrowserContext;
  /** A new tab on `url`, once its module script has put the client on `window.app`. */
  open(url: string): Promise<Page>;
  /** What the pages printed and threw, for failure messages. */
  readonly console: readonly string[];
  close(): Promise<void>;
}

/** Starts Chromium on a fresh profile (its own --user-data-dir, removed by `close`). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumBinary)) {
    throw new Error(`${chromiumBinary} does not exist: install Debian's chromium (apt-get install chromium), or set CHROMIUM_BINARY`);
  }
  const profile = mkdtempSync(join(tmpdir(), "mattermost-typed-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumBinary, headless: true, args: FLAGS });
  const lines: string[] = [];
  return {
    context,
    console: lines,
    async open(url) {
      const page = await context.newPage();
      page.on("console", (message) => void lines.push(`console.${message.type()}: ${message.text()}`));
      page.on("pageerror", (error) => void lines.push(`page error: ${error.message}`));
      await page.goto(url);
      await page.waitForSelector("body[data-ready='1']", { state: "attached", timeout: 15_000 });
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
