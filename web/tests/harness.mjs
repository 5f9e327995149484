// What the browser tests and the browser figures share: web/ served on loopback, headless Chromium
// (Debian's, through playwright-core), and the keys and proofs scripts/web/make-proofs.sh wrote.
import { createServer } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const WEB = resolve(fileURLToPath(new URL('..', import.meta.url)));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** Serves web/ on 127.0.0.1 (a free port); resolves to { url, close }. */
export async function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(WEB, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(WEB)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Headless Chromium with a fresh profile (playwright-core makes a new temporary one per launch). */
export async function launch() {
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM)`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Opens the page and waits for the verifier module to load. */
export async function open(browser, url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.evaluate(() => window.zkinfer.ready);
  return { page, errors };
}

/** The folder make-proofs.sh wrote (ZKINFER_WEB_PROOFS), and the models in it. */
export async function proofs() {
  const dir = process.env.ZKINFER_WEB_PROOFS;
  if (!dir || !existsSync(dir)) {
    throw new Error('ZKINFER_WEB_PROOFS must name the folder scripts/web/make-proofs.sh wrote');
  }
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return { dir, names };
}

/** The verdict of the page's verifier on files given as bytes (and the input's text). */
export async function check(page, key, proof, input) {
  return page.evaluate(
    async ([k, p, i]) => {
      const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      return window.zkinfer.check(bytes(k), bytes(p), i);
    },
    [key.toString('base64'), proof.toString('base64'), input ?? null],
  );
}
