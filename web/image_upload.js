// Photos and images in: the file picker (which offers the camera on phones),
// drag and drop, and paste. Decodes in the browser, shrinks big images before
// they reach WebAssembly, and reports anything that is not an image.
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_SIDE } from './constants.js';

export function setUpImageInput({ input, dropTarget, onImage, onError }) {
  input.addEventListener('change', () => {
    if (input.files?.[0]) handle(input.files[0]);
    input.value = '';  // choosing the same file again still fires
  });
  dropTarget.addEventListener('dragover', (e) => {
    e.preventDefault();
    dropTarget.classList.add('dropping');
  });
  dropTarget.addEventListener('dragleave', () => dropTarget.classList.remove('dropping'));
  dropTarget.addEventListener('drop', (e) => {
    e.preventDefault();
    dropTarget.classList.remove('dropping');
    const file = e.dataTransfer?.files?.[0];
    if (file) handle(file);
  });
  document.addEventListener('paste', (e) => {
    const item = [...(e.clipboardData?.items ?? [])].find((i) => i.kind === 'file');
    if (item) handle(item.getAsFile());
  });

  async function handle(file) {
    try {
      onImage(await decodeImage(file));
    } catch (err) {
      onError(err.message);
    }
  }
}

// file -> {rgba, width, height, url}; throws an Error with a user-facing message.
export async function decodeImage(file) {
  if (file.size > MAX_UPLOAD_BYTES) {
    throw new Error(`That file is ${(file.size / 1048576).toFixed(0)} MB; images up to ${MAX_UPLOAD_BYTES / 1048576} MB work.`);
  }
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new Error(`“${file.name || 'That file'}” is not an image this browser can read. Try a PNG or JPEG photo.`);
  }
  const scale = Math.min(1, MAX_UPLOAD_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const data = ctx.getImageData(0, 0, width, height).data;
  return { rgba: new Uint8Array(data.buffer), width, height, url: URL.createObjectURL(file) };
}
