// Settings shared by the page's modules. The engine's own limits (input
// side, batch, steps, threads) come from the engine: Engine.limits.
// Below this top probability the page says "not sure".
export const CONFIDENT = 0.6;
// At most this many recognitions per second while a stroke is being drawn.
export const LIVE_RECOGNITIONS_PER_SECOND = 15;
// Uploaded images are shrunk to this longer side before entering WebAssembly.
export const MAX_UPLOAD_SIDE = 1024;
export const MAX_UPLOAD_BYTES = 40 * 1024 * 1024;
export const MODEL_NAMES = { cnn: 'Convolutional network', softmax: 'Softmax regression', yours: 'Your model' };
// The engine's name for a model the user trained or loaded.
export const YOUR_MODEL = 'yours';
