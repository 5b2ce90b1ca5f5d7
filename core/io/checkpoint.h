// The checkpoint file: everything a training run needs to continue as if it
// had never stopped. Its own file type (a model file holds a model, never a
// run): versioned, little-endian, checksummed.
//
//   offset  size  field
//   0       8     magic "MNISTCKP"
//   8       4     u32 format version (1)
//   ...           the run: model kind name, TrainConfig fields, the training
//                 data's example count and CRC-32 (a resume on other data is
//                 refused), the model as a model file (f32, exact), then the
//                 trainer's state: step, latest validation accuracy, batch
//                 order with its place and generator, the augmentation and
//                 dropout generators, the optimiser's step count and moments,
//                 the running weight average, the stuck test's window
//   end-4   4     u32 CRC-32 of every byte before it
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "model/model.h"
#include "status.h"
#include "train/trainer.h"

namespace mnist {

inline constexpr char kCheckpointMagic[8] = {'M', 'N', 'I', 'S', 'T', 'C', 'K', 'P'};
inline constexpr std::uint32_t kCheckpointFormatVersion = 1;

// What identifies a run's training data: resuming on other data would not
// continue the same run.
struct DataFingerprint {
  std::uint32_t count = 0;
  std::uint32_t crc = 0;  // of the images, then the labels
  bool operator==(const DataFingerprint&) const = default;
};
DataFingerprint fingerprint(const Dataset& data);

struct Checkpoint {
  std::string model_kind;         // the preset trained ("softmax", "cnn")
  TrainConfig config;
  DataFingerprint data;
  std::unique_ptr<Model> model;   // the run's weights
  TrainerState trainer;
};

std::vector<std::uint8_t> save_checkpoint(const std::string& model_kind, const TrainConfig& config,
                                          const DataFingerprint& data, const Model& model, const TrainerState& trainer);
// Checks the structure, the checksum and the model inside, and says in plain
// words what is wrong.
Result<Checkpoint> load_checkpoint(std::span<const std::uint8_t> bytes);

}  // namespace mnist
