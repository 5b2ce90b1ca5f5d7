#include "api/training_session.h"

#include "io/onnx_file.h"

#include <chrono>

namespace mnist {

namespace {

Result<Dataset> parse_pair(std::span<const std::uint8_t> images, std::span<const std::uint8_t> labels,
                           const std::string& what) {
  auto im = parse_idx_images(images, what + " images");
  if (!im) return im.status();
  auto lb = parse_idx_labels(labels, what + " labels");
  if (!lb) return lb.status();
  return make_dataset(std::move(im.value()), std::move(lb.value()), what + " set");
}

}  // namespace

Status TrainingSession::set_training_data(std::span<const std::uint8_t> images,
                                          std::span<const std::uint8_t> labels) {
  auto data = parse_pair(images, labels, "training");
  if (!data) return data.status();
  end_adaptation();  // it replays the training data being replaced
  if (data.value().count < 10) return Status::error("the training set needs at least 10 examples");
  const int validation = data.value().count > 10000 ? 5000 : data.value().count / 10;
  MnistData split = split_mnist(std::move(data.value()), Dataset{}, validation);
  train_ = std::move(split.train);
  validation_ = std::move(split.validation);
  trainer_.reset();
  return Status::ok();
}

Status TrainingSession::set_test_data(std::span<const std::uint8_t> images,
                                      std::span<const std::uint8_t> labels) {
  auto data = parse_pair(images, labels, "test");
  if (!data) return data.status();
  test_ = std::move(data.value());
  return Status::ok();
}

Status TrainingSession::start(const std::string& model_name, const SpecChoices& choices, const TrainConfig& config) {
  if (!has_data()) return Status::error("load training and test data first");
  if (train_.rows != test_.rows || train_.cols != test_.cols) {
    return Status::error("training and test images differ in size");
  }
  if (Status s = check_train_config(config); !s) return s;
  auto preset = preset_spec(model_name);
  if (!preset) return preset.status();
  auto spec = apply_choices(preset.value(), choices);
  if (!spec) return spec.status();
  spec.value().height = train_.rows;
  spec.value().width = train_.cols;
  auto model = Model::create(spec.value());
  if (!model) return model.status();
  if (Status fits = check_batch_fits(*model.value(), config.batch); !fits) return fits;
  trainer_.reset();
  model_ = std::move(model.value());
  trainer_ = std::make_unique<Trainer>(*model_, train_, &validation_, config);
  return Status::ok();
}

Status TrainingSession::run_for(int max_steps, double budget_ms) {
  if (!trainer_) return Status::error("no training has been started");
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < max_steps && !trainer_->finished(); ++i) {
    if (Status s = trainer_->step(); !s) return s;
    const double elapsed =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (elapsed >= budget_ms) break;
  }
  return Status::ok();
}

const TrainProgress& TrainingSession::progress() const {
  static const TrainProgress none;
  return trainer_ ? trainer_->progress() : none;
}

Evaluation TrainingSession::evaluate_test() {
  if (!model_ || test_.count == 0) return Evaluation{};
  return evaluate(*model_, test_);
}

std::vector<std::uint8_t> TrainingSession::save(DType dtype) {
  return model_ ? save_model(*model_, dtype) : std::vector<std::uint8_t>{};
}

std::vector<float> TrainingSession::softmax_weights() {
  if (!model_ || model_->spec().layers.size() != 1) return {};
  const auto& weights = model_->params()[0].value->data;  // dense1.weight
  return std::vector<float>(weights.begin(), weights.end());
}

Status TrainingSession::start_adaptation(std::span<const std::uint8_t> model_file, std::span<const std::uint8_t> pixels,
                                         std::span<const std::uint8_t> labels, const AdaptConfig& config) {
  end_adaptation();
  if (train_.count == 0) return Status::error("load the MNIST training data first (it is replayed while adapting)");
  auto model = load_any_model(model_file);
  if (!model) return model.status();
  const int side = model.value()->spec().height;
  const std::size_t image = static_cast<std::size_t>(side) * model.value()->spec().width;
  if (labels.empty() || pixels.size() != labels.size() * image) {
    return Status::error("the digits and their labels do not match (" + std::to_string(pixels.size()) + " bytes of images for " +
                         std::to_string(labels.size()) + " labels)");
  }
  own_digits_ = Dataset{};
  own_digits_.count = static_cast<int>(labels.size());
  own_digits_.rows = side;
  own_digits_.cols = model.value()->spec().width;
  own_digits_.pixels.assign(pixels.begin(), pixels.end());
  own_digits_.labels.assign(labels.begin(), labels.end());
  auto adaptation = Adaptation::start(*model.value(), own_digits_, train_, config);
  if (!adaptation) return adaptation.status();
  adapted_model_ = std::move(model.value());
  adaptation_ = std::move(adaptation.value());
  return Status::ok();
}

Status TrainingSession::adapt_for(double budget_ms) {
  if (!adaptation_) return Status::error("no adaptation has been started");
  const auto start = std::chrono::steady_clock::now();
  const int run = adaptation_->progress().run;
  while (!adaptation_->finished() && adaptation_->progress().run == run) {
    if (Status s = adaptation_->step(); !s) return s;
    if (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() >= budget_ms) break;
  }
  return Status::ok();
}

std::vector<std::uint8_t> TrainingSession::save_adapted() {
  return adapted_model_ ? save_model(*adapted_model_, DType::int8) : std::vector<std::uint8_t>{};
}

Evaluation TrainingSession::evaluate_test_of(std::span<const std::uint8_t> model_file) {
  auto model = load_any_model(model_file);
  if (!model || test_.count == 0 || model.value()->input_size() != test_.image_size()) return Evaluation{};
  return evaluate(*model.value(), test_);
}

void TrainingSession::end_adaptation() {
  adaptation_.reset();
  adapted_model_.reset();
  own_digits_ = Dataset{};
}

}  // namespace mnist
