// The model file: versioned, little-endian, checksummed.
//
//   offset  size  field
//   0       8     magic "MNISTMDL"
//   8       4     u32 format version (1, or 2 when a tensor is int8)
//   12      4     u32 spec length S, then S bytes: the ModelSpec text
//   ...     4     u32 tensor count T, then T tensors:
//                   u32 name length N, N bytes of name ("conv1.weight")
//                   u8 dtype (0 = f32, 1 = f16, 2 = int8 rows: version 2
//                   only), u8 rank R (1..4), R x u32 dims, then the values:
//                   4 or 2 bytes each, or for int8 rows one f32 scale per
//                   row (dims[0] rows) and then one int8 per value, the value
//                   being int8 x its row's scale
//   end-4   4     u32 CRC-32 of every byte before it
//
// Loading checks everything (structure first, then checksum, then that the
// tensors are exactly the ones the spec's model has, with the same shapes, and
// hold finite values) and says what is wrong in plain words.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "model/model.h"
#include "status.h"

namespace mnist {

inline constexpr char kModelMagic[8] = {'M', 'N', 'I', 'S', 'T', 'M', 'D', 'L'};
inline constexpr std::uint32_t kModelFormatVersion = 2;  // the newest; 1 still loads

// How a file stores values: f32, f16, or int8: dense layers' weights as int8
// rows (a scale per output, as the one-drawing path computes with them:
// half the bytes of f16) and everything else as f16.
enum class DType : std::uint8_t { f32 = 0, f16 = 1, int8 = 2 };
// "f32", "f16" or "int8"; anything else is an error naming the choices.
Result<DType> parse_dtype(std::string_view name);

std::vector<std::uint8_t> save_model(const Model& model, DType dtype = DType::f32);
Result<std::unique_ptr<Model>> load_model(std::span<const std::uint8_t> bytes);

}  // namespace mnist
