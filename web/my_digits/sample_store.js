// The person's own digits, kept in IndexedDB (store "samples"): {id, label,
// guess, date, pixels: Uint8Array(784)}. guess is what the model read
// (null for imported digits); pixels are the network's 28x28 input as
// bytes, MNIST's format. They never leave the device unless exported.
import { askToPersist } from '../training/model_store.js';
import { inStore, quotaMessage } from '../local_db.js';

const run = (mode, action) => inStore('samples', mode, action);

export const listSamples = async () => (await run('readonly', (s) => s.getAll())).sort((a, b) => a.date - b.date || a.id - b.id);

// Keeps records [{label, guess, date, pixels}] in one transaction: all or,
// when the quota is full, none (with a message saying the others are safe).
export async function addSamples(records) {
  askToPersist();
  try {
    await run('readwrite', (s) => {
      let last;
      for (const r of records) last = s.add(r);
      return last;
    });
  } catch (err) {
    const what = records.length === 1 ? 'this digit was' : `these ${records.length} digits were`;
    throw new Error(quotaMessage(err, what) ?? err.message);
  }
}

export async function relabelSample(id, label) {
  await run('readwrite', (s) => {
    const request = s.get(id);
    request.onsuccess = () => { if (request.result) s.put({ ...request.result, label }); };
    return request;
  });
}
export const deleteSample = (id) => run('readwrite', (s) => s.delete(id));
export const clearSamples = () => run('readwrite', (s) => s.clear());
