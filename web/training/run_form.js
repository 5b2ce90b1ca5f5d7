// The training form: presets fill it in, and it reads back as a run for the
// worker ({model, config}) or says what is wrong. Limits come from the engine.
import { PRESETS, WARMUP_FRACTION } from './presets.js';

export class RunForm {
  // $: the panel's element lookup; limits: Engine.limits.
  constructor($, limits) {
    this.$ = $;
    this.limits = limits;
    $('train-steps').max = String(limits.maxSteps);
    $('train-batch').max = String(limits.maxBatch);
    for (const option of $('train-preset').options) option.textContent = PRESETS[option.value].label;
    $('train-preset').addEventListener('change', () => this.applyPreset());
    // The softmax regression has no dropout layer.
    $('train-model').addEventListener('change', () => {
      if ($('train-model').value === 'softmax') $('train-dropout').value = '0';
    });
    this.applyPreset();
  }

  applyPreset() {
    const $ = this.$;
    const p = PRESETS[$('train-preset').value];
    $('train-model').value = p.model;
    $('train-initializer').value = p.initializer;
    $('train-dropout').value = p.dropout;
    $('train-optimizer').value = p.optimizer;
    $('train-steps').value = String(p.steps);
    $('train-unit').value = 'steps';
    $('train-batch').value = String(p.batch);
    $('train-lr').value = p.lr;
    $('train-schedule').value = p.schedule;
    $('train-smoothing').value = p.labelSmoothing;
    $('train-augment').checked = p.augment;
  }

  // {model, config} or {error}.
  read() {
    const $ = this.$, { maxSteps, maxEpochs, maxBatch } = this.limits;
    const whole = (v, max) => Number.isInteger(v) && v >= 1 && v <= max;
    const length = Number($('train-steps').value);
    const inEpochs = $('train-unit').value === 'epochs';
    if (inEpochs && !whole(length, maxEpochs)) return { error: `Epochs must be a whole number from 1 to ${maxEpochs}.` };
    if (!inEpochs && !whole(length, maxSteps)) return { error: `Steps must be a whole number from 1 to ${maxSteps.toLocaleString('en')}.` };
    const batch = Number($('train-batch').value);
    if (!whole(batch, maxBatch)) return { error: `Batch must be a whole number from 1 to ${maxBatch}.` };
    const lr = Number($('train-lr').value);
    if (!Number.isFinite(lr) || lr <= 0) return { error: 'The learning rate must be a positive number, such as 0.001.' };
    const model = $('train-model').value;
    const dropout = Number($('train-dropout').value);
    if (!(dropout >= 0 && dropout < 1)) return { error: 'The dropout rate must be a number from 0 (none) to below 1, such as 0.5.' };
    if (model === 'softmax' && dropout > 0) return { error: 'The softmax regression has no dropout: set the rate to 0.' };
    const smoothing = Number($('train-smoothing').value);
    if (!(smoothing >= 0 && smoothing <= 0.5)) return { error: 'Label smoothing must be a number from 0 (none) to 0.5, such as 0.1.' };
    const schedule = $('train-schedule').value;
    return {
      model,
      config: {
        steps: inEpochs ? 1 : length, epochs: inEpochs ? length : 0, batch, learningRate: lr,
        optimizer: $('train-optimizer').value, initializer: $('train-initializer').value, dropout,
        schedule, warmupFraction: schedule === 'cosine' ? WARMUP_FRACTION : 0, labelSmoothing: smoothing,
        seed: Math.floor(Math.random() * 2 ** 31), augment: $('train-augment').checked,
      },
    };
  }
}
