// Heap storage for data that SIMD kernels load, aligned to a cache line.
//
// Why: Emscripten 3.1.6's malloc aligns to 8 bytes, so a std::vector<float>
// began at 0 or 8 mod 16 depending on what was allocated before it, and
// from 8 mod 16 one 16-byte load in four crosses a cache line: speed then
// varied from build to build. 64 also keeps rows that start a buffer on one
// line.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace mnist {

inline constexpr std::size_t kBufferAlignment = 64;

template <typename T>
struct CacheLineAllocator {
  using value_type = T;
  CacheLineAllocator() = default;
  template <typename U>
  CacheLineAllocator(const CacheLineAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{kBufferAlignment}));
  }
  void deallocate(T* p, std::size_t) noexcept {
    ::operator delete(p, std::align_val_t{kBufferAlignment});
  }
  template <typename U>
  bool operator==(const CacheLineAllocator<U>&) const noexcept {
    return true;
  }
};

template <typename T>
using AlignedVector = std::vector<T, CacheLineAllocator<T>>;

}  // namespace mnist
