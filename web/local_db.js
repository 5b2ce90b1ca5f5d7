// The page's IndexedDB database: the models the user kept (store "models",
// training/model_store.js) and their own digits (store "samples",
// my_digits/sample_store.js). One place opens it, so the version that adds
// a store is known to every reader.
const DB = 'digits';
const VERSION = 2;  // 1: models; 2: samples

export function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains('models')) db.createObjectStore('models', { keyPath: 'id', autoIncrement: true });
      if (!db.objectStoreNames.contains('samples')) db.createObjectStore('samples', { keyPath: 'id', autoIncrement: true });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('another tab of this page holds an older version of its storage open: close it and reload'));
  });
}

// Runs action(store) in one transaction of `store` and resolves with the
// result of the request it returns, once the transaction has committed. A
// transaction that fails is undone whole: what was kept before stays.
export async function inStore(store, mode, action) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const request = action(tx.objectStore(store));
      tx.oncomplete = () => resolve(request?.result);
      // The failed request holds the error: WebKit's transaction.error is
      // still null when the error event reaches it.
      const failure = () => request?.error ?? tx.error ?? new Error('the browser refused to store it');
      tx.onerror = () => reject(failure());
      tx.onabort = () => reject(failure());
    });
  } finally {
    db.close();
  }
}

// A full quota, said in words: what was kept before is all still there.
export function quotaMessage(err, what) {
  if (err?.name !== 'QuotaExceededError') return null;
  return `this browser's storage for the page is full, so ${what} not kept. ` +
    'Everything kept before is still there; delete something you no longer need to make room.';
}
