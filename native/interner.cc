#include "interner.h"

#include <cstring>

namespace certcrunch {

namespace {

inline uint32_t Load32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
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

uint64_t HashLong(const uint8_t* data, size_t len) {
  uint64_t h = (len + 1) * kMul;
  size_t i = 0;
  for (; i + 8 < len; i += 8) h = (h ^ Load64(data + i)) * kMul;
  h = (h ^ Load64(data + len - 8)) * kMul;  // the last word, overlapping the one before
  return Mix(h);
}


InternTable::InternTable() : buckets_(64), mask_(63) {}

bool InternTable::IsLast(const uint8_t* data, size_t len) const {
  return last_id_ != 0xFFFFFFFFu && lengths_[last_id_] == len && SameBytes(Data(last_id_), data, len);
}

bool InternTable::Holds(const Bucket& bucket, const InternKey& key) const {
  const size_t len = key.len;
  if (len <= kShortKey) return HoldsShort(bucket, key);
  if (bucket.hash != key.hash || bucket.length != len) return false;
  return SameBytes(bucket.head, key.data, kInline) &&
         std::memcmp(Data(bucket.id_plus_1 - 1) + kInline, key.data + kInline, len - kInline) == 0;
}

uint32_t InternTable::InternProbe(const InternKey& key) {
  const uint8_t* data = key.data;
  const size_t len = key.len;
  const uint64_t hash = key.hash;
  size_t b = static_cast<size_t>(hash) & mask_;
  for (;;) {
    const Bucket& bucket = buckets_[b];
    if (bucket.id_plus_1 == 0) break;
    if (Holds(bucket, key)) return last_id_ = bucket.id_plus_1 - 1;
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
