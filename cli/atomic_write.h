// Writing a result file so that an interrupted or failed write never leaves
// a half file where a good one was.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "status.h"

namespace mnist::cli {

// Writes next to the target and renames; a failed write leaves the old file
// and no temporary behind.
Status write_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes);

// Removes the temporary file of a write in progress, if any: called from a
// signal handler that exits at once (only unlink, which is signal-safe).
void remove_file_being_written();

}  // namespace mnist::cli
