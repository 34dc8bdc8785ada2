// Per-slot byte-string interner: dense ids in first-seen order. Plain C++, no N-API.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace certcrunch {

// A value to intern. Values of up to 16 bytes also come as two little-endian words, zero-padded,
// so they are hashed and compared without a loop or a branch on their length.
struct InternKey {
  const uint8_t* data;
  size_t len;
  uint64_t words[2];  // meaningful only when len <= kShortKey
  uint64_t hash;
};
constexpr size_t kShortKey = 16;

constexpr uint64_t kMul = 0x9E3779B97F4A7C15ULL;
constexpr uint64_t kMul2 = 0xC2B2AE3D27D4EB4FULL;

inline uint64_t Load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  return h;
}

// The hash of a value longer than kShortKey.
uint64_t HashLong(const uint8_t* data, size_t len);

// Builds the key of [data, data + len). `readable_end` bounds what may be read: a short value
// far enough from it is loaded whole and masked, else copied byte by byte.
inline InternKey MakeKey(const uint8_t* data, size_t len, const uint8_t* readable_end) {
  // Masks keeping the low k bytes of a word, k = 0..8.
  static constexpr uint64_t kLowBytes[9] = {0, 0xFF, 0xFFFF, 0xFFFFFF, 0xFFFFFFFF, 0xFFFFFFFFFFULL, 0xFFFFFFFFFFFFULL,
                                            0xFFFFFFFFFFFFFFULL, ~0ULL};
  InternKey key{data, len, {0, 0}, 0};
  if (len > kShortKey) {
    key.hash = HashLong(data, len);
    return key;
  }
  if (readable_end - data >= static_cast<ptrdiff_t>(kShortKey)) {
    const size_t low = len < 8 ? len : 8;
    key.words[0] = Load64(data) & kLowBytes[low];
    key.words[1] = Load64(data + 8) & kLowBytes[len - low];
  } else {
    uint8_t padded[kShortKey] = {0};
    std::memcpy(padded, data, len);
    key.words[0] = Load64(padded);
    key.words[1] = Load64(padded + 8);
  }
  key.hash = Mix(((key.words[0] ^ kMul2) * kMul) ^ ((key.words[1] ^ (static_cast<uint64_t>(len) << 56)) * kMul2));
  return key;
}


class InternTable {
 public:
  InternTable();
  // Returns the id of bytes [data, data+len), adding it when new.
  uint32_t Intern(const uint8_t* data, size_t len) {
    return IsLast(data, len) ? last_id_ : Intern(MakeKey(data, len, data + len));
  }
  // The same with the key already made (MakeKey), e.g. after Prefetch. The usual case, a value
  // already interned in the first bucket it hashes to, is inline; the rest is InternProbe.
  uint32_t Intern(const InternKey& key) {
    const Bucket& bucket = buckets_[static_cast<size_t>(key.hash) & mask_];
    if (key.len <= kShortKey && bucket.id_plus_1 != 0 && HoldsShort(bucket, key)) return last_id_ = bucket.id_plus_1 - 1;
    return InternProbe(key);
  }
  // Starts loading the bucket a lookup of `hash` reads first, so several lookups overlap their misses.
  void Prefetch(uint64_t hash) const { __builtin_prefetch(&buckets_[static_cast<size_t>(hash) & mask_]); }
  // Whether `data` is the value interned last (checked before hashing: logs repeat values).
  bool IsLast(const uint8_t* data, size_t len) const;
  uint32_t Last() const { return last_id_; }

  uint32_t Size() const { return static_cast<uint32_t>(starts_.size()); }
  // Bytes of an id; `id` must be < Size().
  const uint8_t* Data(uint32_t id) const { return reinterpret_cast<const uint8_t*>(arena_.data()) + starts_[id]; }
  uint32_t Length(uint32_t id) const { return lengths_[id]; }

 private:
  // A short key fits whole: a lookup of it touches nothing but its half cache line.
  static constexpr size_t kInline = kShortKey;
  struct alignas(32) Bucket {
    uint64_t hash = 0;
    uint32_t id_plus_1 = 0;  // 0 = empty
    uint32_t length = 0;
    uint8_t head[kInline] = {};  // the value's first bytes, zero-padded
  };
  bool Holds(const Bucket& bucket, const InternKey& key) const;
  // Holds for a key of up to kShortKey bytes: both sides are zero-padded, so two word compares
  // whatever the length.
  static bool HoldsShort(const Bucket& bucket, const InternKey& key) {
    return ((bucket.hash ^ key.hash) | (bucket.length ^ key.len) | (Load64(bucket.head) ^ key.words[0]) |
            (Load64(bucket.head + 8) ^ key.words[1])) == 0;
  }
  uint32_t InternProbe(const InternKey& key);
  void Grow();

  std::string arena_;
  std::vector<uint64_t> starts_;
  std::vector<uint32_t> lengths_;
  std::vector<Bucket> buckets_;
  size_t mask_;
  uint32_t last_id_ = 0xFFFFFFFFu;
};

class Interner {
 public:
  explicit Interner(size_t slots) : tables_(slots) {}
  size_t Slots() const { return tables_.size(); }
  InternTable& Table(size_t slot) { return tables_[slot]; }
  const InternTable& Table(size_t slot) const { return tables_[slot]; }

 private:
  std::vector<InternTable> tables_;
};

}  // namespace certcrunch
