// The person's digits as IDX files, MNIST's own format (what the engine's
// reader, the command-line tool and any MNIST loader take), gzip-compressed.
// Reading them back is the engine's job (a bounds-checked C++ parser).
// No DOM here: the page and the Node scripts share it.

const header = (words) => {
  const bytes = new Uint8Array(words.length * 4);
  const view = new DataView(bytes.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w));  // big-endian, as IDX is
  return bytes;
};

// pixels: Uint8Array(count * side * side), 0 = background.
export function idxImages(pixels, count, side = 28) {
  const out = new Uint8Array(16 + pixels.length);
  out.set(header([0x00000803, count, side, side]));
  out.set(pixels, 16);
  return out;
}

export function idxLabels(labels) {
  const out = new Uint8Array(8 + labels.length);
  out.set(header([0x00000801, labels.length]));
  out.set(labels, 8);
  return out;
}

export async function gzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// The names the command-line tool looks for (mnist finetune --samples DIR).
export const MY_DIGITS_FILES = { images: 'my-digits-images-idx3-ubyte.gz', labels: 'my-digits-labels-idx1-ubyte.gz' };

// A network input (floats in [0,1]) as an MNIST image's bytes.
export const inputToBytes = (input) => Uint8Array.from(input, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
