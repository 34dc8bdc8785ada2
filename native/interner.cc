#include "interner.h"

#include <cstring>

namespace certcrunch {

namespace {
constexpr uint64_t kMul = 0x9E3779B97F4A7C15ULL;

inline uint64_t Load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline uint32_t Load32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

inline uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  return h;
}

// Equality of two byte strings of the same length; most log values are short, so they are
// compared with (overlapping) word loads that never read outside [0, len).
inline bool SameBytes(const uint8_t* a, const uint8_t* b, size_t len) {
  if (len >= 8) {
    if (len <= 16) return Load64(a) == Load64(b) && Load64(a + len - 8) == Load64(b + len - 8);
    return std::memcmp(a, b, len) == 0;
  }
  if (len >= 4) return Load32(a) == Load32(b) && Load32(a + len - 4) == Load32(b + len - 4);
  for (size_t i = 0; i < len; i++) {
    if (a[i] != b[i]) return false;
  }
  return true;
}
}  // namespace

uint64_t HashBytes(const uint8_t* data, size_t len) {
  uint64_t h = (len + 1) * kMul;
  if (len >= 8) {
    size_t i = 0;
    for (; i + 8 < len; i += 8) h = (h ^ Load64(data + i)) * kMul;
    h = (h ^ Load64(data + len - 8)) * kMul;  // the last word, overlapping the one before
  } else if (len >= 4) {
    h = (h ^ (static_cast<uint64_t>(Load32(data)) << 32 | Load32(data + len - 4))) * kMul;
  } else {
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) v = v << 8 | data[i];
    h = (h ^ v) * kMul;
  }
  return Mix(h);
}

InternTable::InternTable() : buckets_(64), mask_(63) {}

bool InternTable::IsLast(const uint8_t* data, size_t len) const {
  return last_id_ != 0xFFFFFFFFu && lengths_[last_id_] == len && SameBytes(Data(last_id_), data, len);
}

bool InternTable::Holds(const Bucket& bucket, const uint8_t* data, size_t len, uint64_t hash) const {
  if (bucket.hash != hash || bucket.length != len) return false;
  if (len <= kInline) return SameBytes(bucket.head, data, len);
  return SameBytes(bucket.head, data, kInline) &&
         std::memcmp(Data(bucket.id_plus_1 - 1) + kInline, data + kInline, len - kInline) == 0;
}

uint32_t InternTable::Intern(const uint8_t* data, size_t len, uint64_t hash) {
  size_t b = static_cast<size_t>(hash) & mask_;
  for (;;) {
    const Bucket& bucket = buckets_[b];
    if (bucket.id_plus_1 == 0) break;
    if (Holds(bucket, data, len, hash)) return last_id_ = bucket.id_plus_1 - 1;
    b = (b + 1) & mask_;
  }
  const uint32_t id = Size();
  starts_.push_back(arena_.size());
  lengths_.push_back(static_cast<uint32_t>(len));
  arena_.append(reinterpret_cast<const char*>(data), len);
  Bucket& fresh = buckets_[b];
  fresh.hash = hash;
  fresh.id_plus_1 = id + 1;
  fresh.length = static_cast<uint32_t>(len);
  std::memcpy(fresh.head, data, len < kInline ? len : kInline);
  if (static_cast<size_t>(id + 1) * 2 > buckets_.size()) Grow();
  return last_id_ = id;
}

void InternTable::Grow() {
  std::vector<Bucket> next(buckets_.size() * 2);
  const size_t mask = next.size() - 1;
  for (const Bucket& bucket : buckets_) {
    if (bucket.id_plus_1 == 0) continue;
    size_t b = static_cast<size_t>(bucket.hash) & mask;
    while (next[b].id_plus_1 != 0) b = (b + 1) & mask;
    next[b] = bucket;
  }
  buckets_.swap(next);
  mask_ = mask;
}

}  // namespace certcrunch
