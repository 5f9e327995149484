// The page around the WebAssembly verifier (crates/wasm, built into pkg/ by scripts/web/build.sh):
// read the three files, call verify(), show the verdict, the statement and the soundness bits.
import init, { verify, version } from './pkg/zkinfer_wasm.js';

const $ = (id) => document.getElementById(id);
const files = { key: null, proof: null, input: null };
const status = (text) => { $('status').textContent = text; };

const ready = init().then(() => {
  $('version').textContent = `Verifier ${version()}.`;
  status('');
  update();
}).catch((e) => {
  status(`the verifier did not load: ${e}`);
  throw e;
});

// The verifier itself, for scripts (web/tests): bytes and text in, the verdict out.
async function check(keyBytes, proofBytes, inputText) {
  await ready;
  return verify(keyBytes, proofBytes, inputText ?? null);
}
window.zkinfer = { ready, check };

function update() {
  $('verify').disabled = !(files.key && files.proof);
  for (const k of Object.keys(files)) {
    const f = files[k];
    $(`${k}-name`).textContent = f ? `${f.name} (${f.size.toLocaleString()} bytes)`
      : (k === 'input' ? 'none' : 'drop a file or click');
    document.querySelector(`.drop[data-for="${k}"]`).classList.toggle('set', !!f);
  }
}

for (const label of document.querySelectorAll('.drop')) {
  const k = label.dataset.for;
  const input = $(k);
  input.addEventListener('change', () => { files[k] = input.files[0] ?? null; update(); });
  label.addEventListener('dragover', (e) => { e.preventDefault(); label.classList.add('over'); });
  label.addEventListener('dragleave', () => label.classList.remove('over'));
  label.addEventListener('drop', (e) => {
    e.preventDefault();
    label.classList.remove('over');
    files[k] = e.dataTransfer.files[0] ?? null;
    update();
  });
}
$('clear-input').addEventListener('click', () => { files.input = null; $('input').value = ''; update(); });

$('files').addEventListener('submit', async (e) => {
  e.preventDefault();
  status('verifying…');
  $('verify').disabled = true;
  try {
    const [key, proof, input] = await Promise.all([
      files.key.arrayBuffer(), files.proof.arrayBuffer(), files.input ? files.input.text() : null,
    ]);
    const r = await check(new Uint8Array(key), new Uint8Array(proof), input);
    show(r);
    status('');
  } catch (err) {
    // verify() returns every verdict; an exception here is a failure of the page or the module.
    show({ valid: false, error: { kind: 'crash', message: String(err) }, statement: null });
    status('the verifier failed; reload the page');
  } finally {
    $('verify').disabled = !(files.key && files.proof);
  }
});

const fmt = (xs) => `[${xs.map((x) => x.toFixed(4)).join(', ')}]`;

function show(r) {
  const box = $('result');
  box.hidden = false;
  box.className = r.valid ? 'valid' : 'invalid';
  box.dataset.verdict = r.valid ? 'valid' : 'invalid';
  $('verdict').textContent = r.valid ? 'VALID' : 'INVALID';
  $('message').textContent = r.valid
    ? 'The proof verifies: the model the key describes, with the weights the key binds, maps the input to this output.'
    : `${r.error.kind.replaceAll('_', ' ')}: ${r.error.message}`;
  const s = r.statement;
  $('statement').hidden = !s;
  if (s) {
    $('s-mode').textContent = s.mode;
    $('s-output').textContent = `${fmt(s.output)} (quantized ${JSON.stringify(s.output_quantized)})`;
    $('s-model-hash').textContent = s.model_hash;
    $('s-binding-label').textContent = s.weight_commitment ? 'weight commitment' : 'weight digest (salted)';
    $('s-binding').textContent = s.weight_commitment ?? s.weight_digest ?? 'not bound';
    $('s-key-id').textContent = s.key_id === s.proof_key_id ? s.key_id
      : `${s.key_id} (the proof names ${s.proof_key_id})`;
  }
  $('s-soundness').textContent = r.valid ? `${r.soundness_bits.toFixed(1)} bits (union bound over every part)` : '—';
  $('s-time').textContent = r.verify_ms !== undefined ? `${r.verify_ms.toFixed(1)} ms` : '—';
  const tbody = $('terms').querySelector('tbody');
  tbody.replaceChildren(...(r.soundness_terms ?? []).map((t) => {
    const tr = document.createElement('tr');
    tr.innerHTML = '<th></th><td></td>';
    tr.children[0].textContent = t.part;
    tr.children[1].textContent = `${t.bits.toFixed(1)} bits`;
    return tr;
  }));
  $('terms-box').hidden = !r.soundness_terms;
}
