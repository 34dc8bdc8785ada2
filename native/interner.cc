#include "interner.h"

#include <cstring>

namespace certcrunch {

namespace {
constexpr uint64_t kMul = 0x9E3779B97F4A7C15ULL;

inline uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 33;
  return h;
}
}  // namespace

uint64_t HashBytes(const uint8_t* data, size_t len) {
  uint64_t h = len * kMul;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    std::memcpy(&w, data + i, 8);
    h = (h ^ Mix(w)) * kMul;
  }
  uint64_t tail = 0;
  if (i < len) std::memcpy(&tail, data + i, len - i);
  return Mix(h ^ tail);
}

InternTable::InternTable() : buckets_(1024, 0), mask_(1023) {}

uint32_t InternTable::Intern(const uint8_t* data, size_t len) {
  if (last_id_ != 0xFFFFFFFFu && lengths_[last_id_] == len &&
      (len == 0 || std::memcmp(arena_.data() + starts_[last_id_], data, len) == 0)) {
    return last_id_;
  }
  last_id_ = Lookup(data, len);
  return last_id_;
}

uint32_t InternTable::Lookup(const uint8_t* data, size_t len) {
  const uint64_t h = HashBytes(data, len);
  size_t b = static_cast<size_t>(h) & mask_;
  for (;;) {
    const uint32_t slot = buckets_[b];
    if (slot == 0) break;
    const uint32_t id = slot - 1;
    if (hashes_[id] == h && lengths_[id] == len &&
        (len == 0 || std::memcmp(arena_.data() + starts_[id], data, len) == 0)) {
      return id;
    }
    b = (b + 1) & mask_;
  }
  const uint32_t id = Size();
  starts_.push_back(arena_.size());
  lengths_.push_back(static_cast<uint32_t>(len));
  hashes_.push_back(h);
  arena_.append(reinterpret_cast<const char*>(data), len);
  buckets_[b] = id + 1;
  if (static_cast<size_t>(id + 1) * 2 > buckets_.size()) Grow();
  return id;
}

void InternTable::Grow() {
  std::vector<uint32_t> next(buckets_.size() * 2, 0);
  const size_t mask = next.size() - 1;
  for (uint32_t id = 0; id < Size(); id++) {
    size_t b = static_cast<size_t>(hashes_[id]) & mask;
    while (next[b] != 0) b = (b + 1) & mask;
    next[b] = id + 1;
  }
  buckets_.swap(next);
  mask_ = mask;
}

}  // namespace certcrunch
