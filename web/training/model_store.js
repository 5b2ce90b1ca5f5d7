// Trained models kept in IndexedDB: {id, name, date, kind, accuracy, blob}.
// The file is kept as a Blob: storing a 13 MB Uint8Array would clone it on
// the main thread (a long task), a Blob is passed by reference.
const DB = 'digits';
const STORE = 'models';

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, action) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = action(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request?.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error('the browser refused to store the model'));
    });
  } finally {
    db.close();
  }
}

export const listModels = async () => (await run('readonly', (s) => s.getAll())).sort((a, b) => b.date - a.date);
export const modelBytes = async (record) => new Uint8Array(await record.blob.arrayBuffer());
export const getModel = (id) => run('readonly', (s) => s.get(id));
// record: {name, date, kind, accuracy, bytes}
export const addModel = ({ bytes, ...record }) =>
  run('readwrite', (s) => s.add({ ...record, blob: new Blob([bytes], { type: 'application/octet-stream' }) }));
export const deleteModel = (id) => run('readwrite', (s) => s.delete(id));
export async function renameModel(id, name) {
  const record = await getModel(id);
  if (record) await run('readwrite', (s) => s.put({ ...record, name }));
}
