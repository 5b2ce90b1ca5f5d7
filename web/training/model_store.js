// Trained models kept in IndexedDB: {id, name, date, kind, accuracy, format
// ('bin', or 'onnx' for a loaded ONNX file; absent: 'bin'), and the file as
// blob, or as bytes (an ArrayBuffer) where the browser cannot store a Blob}.
// A Blob first: storing a 13 MB Uint8Array would clone it on the main thread
// (a long task), a Blob is passed by reference. WebKit's private browsing
// (and its automation sessions) refuses Blobs in IndexedDB ("Error preparing
// Blob/File data to be stored in object store").
import { inStore, quotaMessage } from '../local_db.js';

const run = (mode, action) => inStore('models', mode, action);

export const listModels = async () => (await run('readonly', (s) => s.getAll())).sort((a, b) => b.date - a.date);
export const getModel = (id) => run('readonly', (s) => s.get(id));
// The file of a record, as a Blob whichever way it was stored.
export const modelBlob = (record) => record.blob ?? new Blob([record.bytes], { type: 'application/octet-stream' });
// The file of a kept model, read from its record as stored now: Firefox
// aborts reading a Blob whose record has since been rewritten (renamed).
export async function modelBytes(id) {
  const record = await getModel(id);
  if (!record) throw new Error('it is no longer kept in this browser');
  return new Uint8Array(await modelBlob(record).arrayBuffer());
}
// record: {name, date, kind, accuracy, bytes}. The first model kept asks
// the browser to keep this site's storage (not evict it when space runs
// low). A full quota rejects with a message saying so; what was already kept
// stays (the transaction is aborted whole).
export async function addModel({ bytes, ...record }) {
  // Not awaited: Firefox asks the user, and the model must not wait for the answer.
  askToPersist();
  try {
    try {
      return await run('readwrite', (s) => s.add({ ...record, blob: new Blob([bytes], { type: 'application/octet-stream' }) }));
    } catch (err) {
      if (err?.name === 'QuotaExceededError') throw err;
      return await run('readwrite', (s) => s.add({ ...record, bytes: bytes.slice().buffer }));
    }
  } catch (err) {
    throw new Error(quotaMessage(err, 'the model was') ?? err.message);
  }
}

let persistAsked = false;
export async function askToPersist() {
  if (persistAsked || !navigator.storage?.persist) return;
  persistAsked = true;
  try {
    if (!(await navigator.storage.persisted())) await navigator.storage.persist();
  } catch {
    // Only a wish: storage still works without it.
  }
}
export const deleteModel = (id) => run('readwrite', (s) => s.delete(id));
export async function renameModel(id, name) {
  const record = await getModel(id);
  if (record) await run('readwrite', (s) => s.put({ ...record, name }));
}
