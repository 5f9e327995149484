// The browser verifier in headless Chromium, through the page as a user drives it: honest proofs
// made by the zkinfer CLI (scripts/web/make-proofs.sh, both modes, public and private input) show
// VALID with their statement and soundness bits; tampered proofs, a wrong input and files that are
// not zkinfer files show INVALID, and the page keeps working after them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launch, open, proofs, serve } from './harness.mjs';

let server;
let browser;
let page;
let errors;
let models;

before(async () => {
  server = await serve();
  browser = await launch();
  ({ page, errors } = await open(browser, server.url));
  models = await proofs();
  assert.ok(models.names.length > 0, `no models in ${models.dir}`);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Gives the page its files (name and bytes) and clicks Verify; returns what the page shows. */
async function drive(files) {
  for (const id of ['key', 'proof', 'input']) {
    await page.setInputFiles(`#${id}`, files[id] ? [files[id]] : []);
  }
  await page.evaluate(() => document.getElementById('result').removeAttribute('data-verdict'));
  await page.click('#verify');
  await page.waitForSelector('#result[data-verdict]');
  const text = async (id) => page.textContent(`#${id}`);
  return {
    verdict: await page.getAttribute('#result', 'data-verdict'),
    heading: await text('verdict'),
    message: await text('message'),
    mode: await text('s-mode'),
    soundness: await text('s-soundness'),
    modelHash: await text('s-model-hash'),
    output: await text('s-output'),
  };
}

const file = (name, buffer) => ({ name, mimeType: 'application/octet-stream', buffer });

async function filesOf(name, mode, proofName = 'proof.bin', withInput = true) {
  const d = join(models.dir, name);
  return {
    key: file('verifier.key', await readFile(join(d, mode, 'verifier.key'))),
    proof: file(proofName, await readFile(join(d, mode, proofName))),
    input: withInput ? file('input.json', await readFile(join(d, 'input.json'))) : null,
  };
}

describe('honest proofs', () => {
  test('show VALID with the statement and soundness bits, in both modes', async () => {
    for (const name of models.names) {
      for (const mode of ['plain', 'zk']) {
        const shown = await drive(await filesOf(name, mode));
        assert.equal(shown.verdict, 'valid', `${name} ${mode}: ${shown.message}`);
        assert.equal(shown.heading, 'VALID');
        assert.equal(shown.mode, mode === 'zk' ? 'zero knowledge' : 'plain');
        assert.match(shown.modelHash, /^[0-9a-f]{64}$/);
        assert.match(shown.output, /^\[.*\] \(quantized \[.*\]\)$/);
        const bits = Number.parseFloat(shown.soundness);
        assert.ok(bits >= 100, `${name} ${mode}: ${shown.soundness}`);
      }
    }
  });

  test('a proof of a private input verifies without the input', async () => {
    const name = models.names[0];
    const shown = await drive(await filesOf(name, 'zk', 'proof-private.bin', false));
    assert.equal(shown.verdict, 'valid', shown.message);
    assert.equal(shown.mode, 'zero knowledge, private input');
  });
});

describe('tampered and wrong files', () => {
  test('a proof with one byte changed shows INVALID, in both modes', async () => {
    for (const name of models.names) {
      for (const mode of ['plain', 'zk']) {
        const files = await filesOf(name, mode);
        const bytes = files.proof.buffer;
        // A byte in the middle (a layer proof) and the last one (the final opening).
        for (const at of [Math.floor(bytes.length / 2), bytes.length - 1]) {
          const bad = Buffer.from(bytes);
          bad[at] ^= 0x01;
          const shown = await drive({ ...files, proof: file('tampered.bin', bad) });
          assert.equal(shown.verdict, 'invalid', `${name} ${mode}: flip at ${at} accepted`);
          assert.equal(shown.heading, 'INVALID');
          assert.ok(shown.message.length > 0);
        }
      }
    }
  });

  test('another input shows INVALID', async () => {
    const name = models.names[0];
    const files = await filesOf(name, 'zk');
    const input = JSON.parse(files.input.buffer.toString());
    input.input_data[0] = input.input_data[0].map((x, i) => (i === 0 ? x + 1 : x));
    const other = file('other.json', Buffer.from(JSON.stringify(input)));
    const shown = await drive({ ...files, input: other });
    assert.equal(shown.verdict, 'invalid', shown.message);
  });

  test('files that are not zkinfer files show INVALID and the page keeps working', async () => {
    const name = models.names[0];
    const files = await filesOf(name, 'zk');
    const noise = Buffer.alloc(5000, 0x61);
    let shown = await drive({ ...files, key: file('noise.key', noise) });
    assert.equal(shown.verdict, 'invalid');
    assert.match(shown.message, /malformed file/);
    shown = await drive({ ...files, key: files.proof, proof: files.key });
    assert.equal(shown.verdict, 'invalid');
    shown = await drive({ ...files, proof: file('empty.bin', Buffer.alloc(0)) });
    assert.equal(shown.verdict, 'invalid');
    shown = await drive(files);
    assert.equal(shown.verdict, 'valid', shown.message);
    assert.deepEqual(errors, []);
  });
});
