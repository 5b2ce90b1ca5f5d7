// Eigen views over raw buffers: how ops run matrix products without owning or
// allocating anything. Row-major, matching tensor.h.
#pragma once

#include <Eigen/Core>

namespace mnist {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixView = Eigen::Map<RowMatrix>;
using ConstMatrixView = Eigen::Map<const RowMatrix>;
using VectorView = Eigen::Map<Eigen::VectorXf>;
using ConstVectorView = Eigen::Map<const Eigen::VectorXf>;

}  // namespace mnist
