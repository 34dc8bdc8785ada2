// Per-slot byte-string interner: dense ids in first-seen order. Plain C++, no N-API.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace certcrunch {

class InternTable {
 public:
  InternTable();
  // Returns the id of bytes [data, data+len), adding it when new.
  uint32_t Intern(const uint8_t* data, size_t len);
  uint32_t Size() const { return static_cast<uint32_t>(starts_.size()); }
  // Bytes of an id; `id` must be < Size().
  const uint8_t* Data(uint32_t id) const { return reinterpret_cast<const uint8_t*>(arena_.data()) + starts_[id]; }
  uint32_t Length(uint32_t id) const { return lengths_[id]; }

 private:
  uint32_t Lookup(const uint8_t* data, size_t len);
  void Grow();
  std::string arena_;
  std::vector<uint64_t> starts_;
  std::vector<uint32_t> lengths_;
  std::vector<uint64_t> hashes_;
  struct Bucket {
    uint32_t id_plus_1 = 0;  // 0 = empty
    uint32_t tag = 0;        // high half of the hash: most misses stop here, without touching the entry
  };
  std::vector<Bucket> buckets_;
  size_t mask_;
  // Logs repeat values from one record to the next; checking the last id first skips the hash.
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

uint64_t HashBytes(const uint8_t* data, size_t len);

}  // namespace certcrunch
