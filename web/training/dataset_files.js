// Getting IDX bytes in the worker: the served MNIST files with download
// progress, kept in the Cache API so the next session starts at once (and
// offline), and gzip undone with DecompressionStream. No DOM here.
const CACHE = 'mnist-idx-v1';

function isGzip(bytes) {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export async function gunzipIfNeeded(bytes) {
  if (!isGzip(bytes)) return bytes;
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (err) {
    throw new Error(`the gzip data is damaged or cut short (${err.message})`);
  }
}

// The Cache API, or null where the browser has none or it does not answer
// within CACHE_WAIT_MS: a cache is a shortcut, never a reason to wait (a
// training start in Firefox ESR now and then never gets its files; whether
// the cache is the cause is not known, but it must not be able to be).
const CACHE_WAIT_MS = 3000;
const orNull = (promise) => Promise.race([
  promise.catch(() => null),
  new Promise((resolve) => setTimeout(() => resolve(null), CACHE_WAIT_MS)),
]);
const openCache = () => ('caches' in self ? orNull(caches.open(CACHE)) : Promise.resolve(null));

// Fetches url (or takes it from the cache), reporting onProgress(loaded, total).

async function fetchWithProgress(url, onProgress) {
  onProgress(0, 0);  // says which file is coming, before the first byte
  const cache = await openCache();
  const cached = cache && (await orNull(cache.match(url)));
  if (cached) {
    const bytes = new Uint8Array(await cached.arrayBuffer());
    onProgress(bytes.length, bytes.length);
    return bytes;
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: the server answered ${response.status}`);
  const total = Number(response.headers.get('Content-Length')) || 0;
  const reader = response.body.getReader();
  const chunks = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress(loaded, total);
  }
  if (total && loaded !== total) throw new Error(`${url}: the download stopped at ${loaded} of ${total} bytes`);
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) { bytes.set(c, at); at += c.length; }
  // Cache only complete downloads, so a cut one is fetched again next time.
  await orNull(cache?.put(url, new Response(bytes, { headers: { 'Content-Type': 'application/gzip' } })) ?? Promise.resolve());
  return bytes;
}

// files: {key: url}. Returns {key: Uint8Array of raw IDX bytes}.
export async function downloadFiles(files, onProgress) {
  const out = {};
  const entries = Object.entries(files);
  for (const [key, url] of entries) {
    const bytes = await fetchWithProgress(url, (loaded, total) => onProgress({ file: url, loaded, total }));
    try {
      out[key] = await gunzipIfNeeded(bytes);
    } catch (err) {
      await orNull((await openCache())?.delete(url) ?? Promise.resolve());
      throw new Error(`${url}: ${err.message}`);
    }
  }
  return out;
}
