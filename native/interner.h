// Per-slot byte-string interner: dense ids in first-seen order. Plain C++, no N-API.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace certcrunch {

uint64_t HashBytes(const uint8_t* data, size_t len);

class InternTable {
 public:
  InternTable();
  // Returns the id of bytes [data, data+len), adding it when new.
  uint32_t Intern(const uint8_t* data, size_t len) {
    return IsLast(data, len) ? last_id_ : Intern(data, len, HashBytes(data, len));
  }
  // The same with the hash already computed (HashBytes), e.g. after Prefetch.
  uint32_t Intern(const uint8_t* data, size_t len, uint64_t hash);
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
  static constexpr size_t kInline = 48;
  // One cache line: a lookup of a value up to kInline bytes touches nothing else.
  struct alignas(64) Bucket {
    uint64_t hash = 0;
    uint32_t id_plus_1 = 0;  // 0 = empty
    uint32_t length = 0;
    uint8_t head[kInline];   // the value's first bytes
  };
  bool Holds(const Bucket& bucket, const uint8_t* data, size_t len, uint64_t hash) const;
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

 private:
  std::vector<InternTable> tables_;
};

}  // namespace certcrunch
