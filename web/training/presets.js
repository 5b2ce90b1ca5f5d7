// Training presets: the tutorial's two settings and a quicker default.
export const PRESETS = {
  'quick-cnn': { model: 'cnn', optimizer: 'adam', steps: 150, batch: 50, lr: '0.001' },
  'tutorial-softmax': { model: 'softmax', optimizer: 'sgd', steps: 1000, batch: 100, lr: '0.5' },
  'tutorial-cnn': { model: 'cnn', optimizer: 'adam', steps: 2000, batch: 250, lr: '0.0001' },
};
// Validation runs on this many examples at intervals (all of them at the end).
export const VALIDATION_LIMIT = 1000;
export const VALIDATIONS_PER_RUN = 10;
