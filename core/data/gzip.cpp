#include "data/gzip.h"

#include <algorithm>

#ifdef MNIST_HAVE_ZLIB
#include <zlib.h>
#endif

namespace mnist {

#ifdef MNIST_HAVE_ZLIB

Result<std::vector<std::uint8_t>> gunzip(std::span<const std::uint8_t> bytes,
                                         const std::string& what, std::size_t max_output) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
    return Status::error(what + ": could not start gzip decompression");
  }
  std::vector<std::uint8_t> out;
  // Grow as data arrives instead of trusting the size the trailer claims.
  out.resize(std::min<std::size_t>(max_output, std::max<std::size_t>(bytes.size() * 4, 1 << 16)));
  zs.next_in = const_cast<Bytef*>(bytes.data());
  zs.avail_in = static_cast<uInt>(bytes.size());
  std::size_t produced = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (produced == out.size()) {
      if (out.size() >= max_output) {
        inflateEnd(&zs);
        return Status::error(what + ": decompresses to more than " +
                             std::to_string(max_output >> 20) + " MiB");
      }
      out.resize(std::min(max_output, out.size() * 2));
    }
    zs.next_out = out.data() + produced;
    zs.avail_out = static_cast<uInt>(out.size() - produced);
    rc = inflate(&zs, Z_NO_FLUSH);
    produced = out.size() - zs.avail_out;
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
      inflateEnd(&zs);
      return Status::error(what + ": gzip stream is truncated");
    }
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      inflateEnd(&zs);
      return Status::error(what + ": gzip data is corrupt (" +
                           std::string(zs.msg ? zs.msg : "inflate failed") + ")");
    }
  }
  inflateEnd(&zs);
  out.resize(produced);
  return out;
}

#else

Result<std::vector<std::uint8_t>> gunzip(std::span<const std::uint8_t>, const std::string& what,
                                         std::size_t) {
  return Status::error(what + ": gzip is not supported in this build; decompress the file first");
}

#endif

}  // namespace mnist
