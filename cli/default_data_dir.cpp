#include "default_data_dir.h"

namespace mnist::cli {
const char* default_data_dir() { return MNIST_DEFAULT_DATA_DIR; }
}  // namespace mnist::cli
