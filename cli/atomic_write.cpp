#include "atomic_write.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace mnist::cli {

namespace {
char writing_now[4096] = "";  // the temporary file being written, if any
}  // namespace

void remove_file_being_written() {
  if (writing_now[0]) unlink(writing_now);
}

// Writes next to the target and renames, so an interrupted write never
// leaves a half file where a good one was; a failed write leaves the old
// file and no temporary behind.
Status write_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  const std::string tmp = path + ".writing-" + std::to_string(getpid());
  std::snprintf(writing_now, sizeof writing_now, "%s", tmp.c_str());
  bool written;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      writing_now[0] = '\0';
      return Status::error(path + ": cannot write (" + std::strerror(errno) + ")");
    }
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    written = static_cast<bool>(out);
  }
  std::error_code ec;
  if (written) std::filesystem::rename(tmp, path, ec);
  if (!written || ec) {
    std::filesystem::remove(tmp, ec);
    writing_now[0] = '\0';
    return Status::error(path + ": the write failed (disk full?); the file there before, if any, is unchanged");
  }
  writing_now[0] = '\0';
  return Status::ok();
}

}  // namespace mnist::cli
