#include "io/checkpoint.h"

#include "io/byte_io.h"
#include "io/crc32.h"
#include "io/model_file.h"

namespace mnist {

namespace {

const char* kTruncated = "checkpoint is truncated";
const char* kCorrupt = "checkpoint is corrupt: checksum mismatch (the file was damaged or altered)";
constexpr std::uint32_t kMaxName = 64;
constexpr std::uint32_t kMaxOrder = 100'000'000;

void write_rng(ByteWriter& w, const RngState& r) {
  w.u64(r.state), w.u64(r.inc), w.u8(r.has_spare), w.f32(r.spare);
}

RngState read_rng(ByteReader& r) {
  RngState s;
  s.state = r.u64(), s.inc = r.u64(), s.has_spare = r.u8() != 0, s.spare = r.f32();
  return s;
}

void write_config(ByteWriter& w, const TrainConfig& c) {
  w.u32(static_cast<std::uint32_t>(c.steps)), w.u32(static_cast<std::uint32_t>(c.epochs));
  w.u32(static_cast<std::uint32_t>(c.batch)), w.f32(c.learning_rate);
  w.u8(static_cast<std::uint8_t>(c.optimizer)), w.u64(c.seed);
  w.u8(c.augment.enabled), w.f32(c.augment.max_shift), w.f32(c.augment.max_rotation_deg);
  w.f32(c.augment.max_scale), w.f32(c.augment.max_shear), w.f32(c.augment.thickness_probability);
  w.u32(static_cast<std::uint32_t>(c.validate_every)), w.u32(static_cast<std::uint32_t>(c.validation_limit));
  w.f32(c.max_loss);
  w.u8(static_cast<std::uint8_t>(c.schedule)), w.u32(static_cast<std::uint32_t>(c.warmup_steps));
  w.f32(c.final_lr_fraction), w.f32(c.label_smoothing), w.f32(c.weight_average);
  w.f32(c.augment.elastic), w.f32(c.augment.non_digit_fraction), w.f32(c.augment.regional_styles), w.u32(static_cast<std::uint32_t>(c.stuck_until));
}

TrainConfig read_config(ByteReader& r) {
  TrainConfig c;
  c.steps = static_cast<int>(r.u32()), c.epochs = static_cast<int>(r.u32());
  c.batch = static_cast<int>(r.u32()), c.learning_rate = r.f32();
  const std::uint8_t optimizer = r.u8();
  c.optimizer = optimizer == 1 ? OptimizerKind::adam : OptimizerKind::sgd;
  c.seed = r.u64();
  c.augment.enabled = r.u8() != 0, c.augment.max_shift = r.f32(), c.augment.max_rotation_deg = r.f32();
  c.augment.max_scale = r.f32(), c.augment.max_shear = r.f32(), c.augment.thickness_probability = r.f32();
  c.validate_every = static_cast<int>(r.u32()), c.validation_limit = static_cast<int>(r.u32());
  c.max_loss = r.f32();
  c.schedule = r.u8() == 1 ? LrSchedule::cosine : LrSchedule::constant;
  c.warmup_steps = static_cast<int>(r.u32());
  c.final_lr_fraction = r.f32(), c.label_smoothing = r.f32(), c.weight_average = r.f32();
  c.augment.elastic = r.f32(), c.augment.non_digit_fraction = r.f32(), c.augment.regional_styles = r.f32();
  c.stuck_until = static_cast<int>(r.u32());
  c.initialize = false;  // a resumed run continues from the saved weights
  return c;
}

void write_array(ByteWriter& w, const std::vector<float>& a) {
  w.u32(static_cast<std::uint32_t>(a.size()));
  for (float v : a) w.f32(v);
}

void write_arrays(ByteWriter& w, const std::vector<std::vector<float>>& arrays) {
  w.u32(static_cast<std::uint32_t>(arrays.size()));
  for (const auto& a : arrays) write_array(w, a);
}

// No longer than the bytes left could hold, so a damaged length cannot make
// it allocate more than the file's size.
bool read_array(ByteReader& r, std::vector<float>& a) {
  const std::uint32_t size = r.u32();
  if (!r.ok() || size > r.remaining() / 4) return false;
  a.resize(size);
  for (float& v : a) v = r.f32();
  return r.ok();
}

bool read_arrays(ByteReader& r, std::vector<std::vector<float>>& arrays) {
  const std::uint32_t n = r.u32();
  if (!r.ok() || n > 4096) return false;
  arrays.resize(n);
  for (auto& a : arrays) {
    if (!read_array(r, a)) return false;
  }
  return true;
}

}  // namespace

DataFingerprint fingerprint(const Dataset& data) {
  DataFingerprint f;
  f.count = static_cast<std::uint32_t>(data.count);
  f.crc = crc32(data.labels, crc32(data.pixels));
  return f;
}

std::vector<std::uint8_t> save_checkpoint(const std::string& model_kind, const TrainConfig& config,
                                          const DataFingerprint& data, const Model& model, const TrainerState& trainer) {
  ByteWriter w;
  w.bytes(kCheckpointMagic, sizeof kCheckpointMagic);
  w.u32(kCheckpointFormatVersion);
  w.u32(static_cast<std::uint32_t>(model_kind.size()));
  w.bytes(model_kind.data(), model_kind.size());
  write_config(w, config);
  w.u32(data.count), w.u32(data.crc);
  const std::vector<std::uint8_t> model_bytes = save_model(model, DType::f32);
  w.u32(static_cast<std::uint32_t>(model_bytes.size()));
  w.bytes(model_bytes.data(), model_bytes.size());
  w.u32(static_cast<std::uint32_t>(trainer.step)), w.f32(trainer.validation_accuracy);
  write_rng(w, trainer.batcher.rng);
  w.u32(static_cast<std::uint32_t>(trainer.batcher.order.size()));
  for (int i : trainer.batcher.order) w.u32(static_cast<std::uint32_t>(i));
  w.u64(trainer.batcher.cursor), w.u64(static_cast<std::uint64_t>(trainer.batcher.epochs));
  write_rng(w, trainer.augment);
  write_rng(w, trainer.dropout);
  w.u64(static_cast<std::uint64_t>(trainer.optimizer.t));
  write_arrays(w, trainer.optimizer.m);
  write_arrays(w, trainer.optimizer.v);
  write_array(w, trainer.averaged_weights);
  write_array(w, trainer.recent_losses);
  write_array(w, trainer.recent_sameness);
  w.u32(crc32(w.out));
  return std::move(w.out);
}

Result<Checkpoint> load_checkpoint(std::span<const std::uint8_t> bytes) {
  auto fail = [](const std::string& m) { return Result<Checkpoint>(Status::error(m)); };
  if (bytes.size() < sizeof kCheckpointMagic || std::memcmp(bytes.data(), kCheckpointMagic, sizeof kCheckpointMagic)) {
    if (bytes.size() >= 8 && !std::memcmp(bytes.data(), "MNISTMDL", 8)) {
      return fail("this is a model file, not a checkpoint: to start from a model, use --init");
    }
    return fail("not a checkpoint (it does not start with MNISTCKP)");
  }
  ByteReader r(bytes);
  r.take(sizeof kCheckpointMagic);
  const std::uint32_t version = r.u32();
  if (!r.ok() || bytes.size() < 16) return fail(kTruncated);
  if (version != kCheckpointFormatVersion) {
    return fail("checkpoint format version " + std::to_string(version) + " is not supported (this build reads version " +
                std::to_string(kCheckpointFormatVersion) + ")");
  }
  const std::uint32_t stored = static_cast<std::uint32_t>(bytes[bytes.size() - 4]) |
                               (static_cast<std::uint32_t>(bytes[bytes.size() - 3]) << 8) |
                               (static_cast<std::uint32_t>(bytes[bytes.size() - 2]) << 16) |
                               (static_cast<std::uint32_t>(bytes[bytes.size() - 1]) << 24);
  const bool intact = crc32(bytes.subspan(0, bytes.size() - 4)) == stored;

  Checkpoint c;
  const std::uint32_t name_len = r.u32();
  if (r.ok() && name_len > kMaxName) return fail(intact ? "checkpoint is corrupt: bad model name" : kCorrupt);
  c.model_kind = r.str(name_len);
  c.config = read_config(r);
  c.data.count = r.u32(), c.data.crc = r.u32();
  const std::uint32_t model_len = r.u32();
  if (!r.ok()) return fail(kTruncated);
  if (model_len > r.remaining()) return fail(intact ? kTruncated : kCorrupt);
  const auto model_bytes = r.span(model_len);
  c.trainer.step = static_cast<int>(r.u32());
  c.trainer.validation_accuracy = r.f32();
  c.trainer.batcher.rng = read_rng(r);
  const std::uint32_t order = r.u32();
  if (!r.ok()) return fail(kTruncated);
  if (order > kMaxOrder || order > r.remaining() / 4) return fail(intact ? kTruncated : kCorrupt);
  c.trainer.batcher.order.resize(order);
  for (int& i : c.trainer.batcher.order) i = static_cast<int>(r.u32());
  c.trainer.batcher.cursor = static_cast<std::size_t>(r.u64());
  c.trainer.batcher.epochs = static_cast<long long>(r.u64());
  c.trainer.augment = read_rng(r);
  c.trainer.dropout = read_rng(r);
  c.trainer.optimizer.t = static_cast<long long>(r.u64());
  if (!read_arrays(r, c.trainer.optimizer.m) || !read_arrays(r, c.trainer.optimizer.v) ||
      !read_array(r, c.trainer.averaged_weights) || !read_array(r, c.trainer.recent_losses) ||
      !read_array(r, c.trainer.recent_sameness)) {
    return fail(intact ? "checkpoint is corrupt: bad optimiser state" : kCorrupt);
  }
  if (!r.ok() || r.remaining() < 4) return fail(kTruncated);
  if (r.remaining() > 4 || !intact) return fail(intact ? "checkpoint is corrupt: unexpected bytes at the end" : kCorrupt);
  if (Status s = check_train_config(c.config); !s) return fail("checkpoint is corrupt: " + s.message());
  auto model = load_model(model_bytes);
  if (!model) return fail("checkpoint: " + model.message());
  c.model = std::move(model.value());
  return c;
}

}  // namespace mnist
