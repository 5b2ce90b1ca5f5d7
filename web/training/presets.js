// Training presets. Labels say what a run took on this project's 2-core
// machine in Chromium, training on two threads (npm run bench measures the
// Fast CNN's time to 0.99); the form shows every setting they make.
export const PRESETS = {
  'fast-cnn': {
    label: 'Fast CNN (0.99 in about 27 s on 2 threads)', model: 'cnn', initializer: 'he', dropout: '0', optimizer: 'adam', steps: 860, batch: 64,
    lr: '0.003', schedule: 'cosine', labelSmoothing: '0.1', augment: false,
  },
  'tutorial-softmax': {
    label: 'Tutorial softmax (SGD 0.5, batch 100, 1000 steps: about 2 s)', model: 'softmax', initializer: 'tutorial', dropout: '0',
    optimizer: 'sgd', steps: 1000, batch: 100, lr: '0.5', schedule: 'constant', labelSmoothing: '0', augment: false,
  },
  'tutorial-cnn': {
    label: 'Tutorial CNN (Adam 1e-4, batch 250, 2000 steps: about 4 min on 2 threads)', model: 'cnn', initializer: 'tutorial', dropout: '0.5',
    optimizer: 'adam', steps: 2000, batch: 250, lr: '0.0001', schedule: 'constant', labelSmoothing: '0', augment: false,
  },
};
// With the cosine schedule, the rate first rises over this part of the run.
export const WARMUP_FRACTION = 0.05;
// Validation accuracies whose first crossing the panel times.
export const MILESTONES = [0.9, 0.95, 0.98, 0.99];
