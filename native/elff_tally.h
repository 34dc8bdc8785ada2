// Per-range ELFF counts kept next to the interner, so a clean record costs no JavaScript at
// all: per-slot occurrence counts by interned id, the same for records with certificate errors,
// and requests per hour. Plain C++, no N-API. Mirrors src/native/fallback/elff-tally.ts.
#pragma once
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "interner.h"

namespace certcrunch {

// True when an `x-rs-certificate-observed-errors` value holds at least one error token: split
// on ';' and ',', trimmed of spaces, and not empty, '-' or 'none' (ASCII case-insensitive).
bool HasCertErrorToken(const uint8_t* p, size_t len);

struct HourCounts {
  uint64_t requests = 0;
  uint64_t errors = 0;
};

// Error hosts as the tally keeps them: raw interned ids, never text.
struct ErrorHostPair {
  uint32_t host;
  uint32_t kind;  // index into the tally's pair slots
  uint32_t id;
  uint64_t count;
};
struct ErrorHostTime {
  uint32_t host;
  int64_t first, last;  // epoch seconds
};

// A hash map from 64-bit keys to V, open addressing with linear probing. The all-ones key
// marks an empty entry and is never stored (a key holds at least one id other than kNoId).
template <typename V>
class U64Map {
 public:
  V& At(uint64_t key) {
    if (2 * (size_ + 1) > entries_.size()) Grow();  // also after Release
    Entry& e = Find(entries_, key);
    if (e.key == kEmpty) {
      e.key = key;
      size_++;
    }
    return e.value;
  }
  template <typename F>
  void ForEach(F f) const {
    for (const Entry& e : entries_) if (e.key != kEmpty) f(e.key, e.value);
  }
  size_t size() const { return size_; }
  // Empties the map and gives its memory back.
  void Release() {
    std::vector<Entry>().swap(entries_);
    size_ = 0;
  }

 private:
  static constexpr uint64_t kEmpty = ~0ULL;
  struct Entry {
    uint64_t key = kEmpty;
    V value{};
  };
  static Entry& Find(std::vector<Entry>& entries, uint64_t key) {
    const size_t mask = entries.size() - 1;
    size_t i = static_cast<size_t>(Mix(key)) & mask;
    while (entries[i].key != key && entries[i].key != kEmpty) i = (i + 1) & mask;
    return entries[i];
  }
  void Grow() {
    std::vector<Entry> bigger(entries_.empty() ? 64 : entries_.size() * 2);
    for (const Entry& e : entries_) if (e.key != kEmpty) Find(bigger, e.key) = e;
    entries_.swap(bigger);
  }
  std::vector<Entry> entries_ = std::vector<Entry>(64);
  size_t size_ = 0;
};

// A string counter as its keys in byte order, each once, packed back to back.
struct SortedCounts {
  std::vector<uint8_t> keys;
  std::vector<uint32_t> lengths;
  std::vector<uint64_t> counts;
};

struct ElffSlots {
  ElffSlots(uint32_t slots, int32_t date_slot, int32_t time_slot, int32_t error_slot)
      : slots(slots), date_slot(date_slot), time_slot(time_slot), error_slot(error_slot) {
    for (uint32_t slot = 0; slot < slots; slot++) {
      if (static_cast<int32_t>(slot) != date_slot && static_cast<int32_t>(slot) != time_slot) counted.push_back(slot);
    }
  }

  uint32_t slots;
  int32_t date_slot;   // parsed, not interned; -1: none
  int32_t time_slot;
  int32_t error_slot;  // values decide whether a record has certificate errors; -1: none
  std::vector<uint32_t> counted;  // the slots counted by id: all but the date and the time
};

class ElffTally {
 public:
  // With `host_slot` >= 0, the records with certificate errors are also tallied per host: how
  // often each value of the `pair_slots` occurs with it, and its first and last time.
  ElffTally(size_t slots, int32_t host_slot = -1, std::vector<uint32_t> pair_slots = {})
      : interner_(slots), counts_(slots), error_counts_(slots), host_slot_(host_slot),
        pair_slots_(std::move(pair_slots)), pairs_(pair_slots_.size()) {}

  Interner& interner() { return interner_; }
  size_t Slots() const { return interner_.Slots(); }

  // Counts one well-formed record given by its slot ids; returns whether it has cert errors.
  bool Add(const ElffSlots& s, const uint32_t* ids);

  uint64_t requests() const { return requests_; }
  uint64_t error_requests() const { return error_requests_; }
  uint64_t without_time() const { return without_time_; }
  // Counts by id of a slot; shorter than the slot's table when its last ids were never counted.
  const std::vector<uint64_t>& counts(size_t slot) const { return counts_[slot]; }
  const std::vector<uint64_t>& error_counts(size_t slot) const { return error_counts_[slot]; }
  // The counted values of a slot (of records with certificate errors only, with `errors_only`)
  // in byte order; with `fold`, ASCII letters lower-cased first and equal results added up.
  SortedCounts Sorted(size_t slot, bool errors_only, bool fold) const;
  // Requests and error requests per hour since the epoch, in hour order.
  std::vector<std::pair<int64_t, HourCounts>> Timeline() const;
  // The error hosts' (host, kind, id) counts in that order, and their times in host order. Each
  // hands its tables over once: they are freed as they are read (they are a range's largest).
  std::vector<ErrorHostPair> TakeErrorHostPairs();
  std::vector<ErrorHostTime> TakeErrorHostTimes();

 private:
  void CountHour(int64_t hour, bool error);
  void AddErrorHost(uint32_t slots, const uint32_t* ids, bool timed, int64_t seconds);

  Interner interner_;
  std::vector<std::vector<uint64_t>> counts_, error_counts_;
  std::vector<uint8_t> error_value_;  // by id of the error slot
  uint64_t requests_ = 0, error_requests_ = 0, without_time_ = 0;
  // Logs run in time order, so the current hour is counted in place and filed on change.
  int64_t hour_ = INT64_MIN;
  HourCounts current_;
  std::unordered_map<int64_t, HourCounts> hours_;
  int32_t host_slot_;
  std::vector<uint32_t> pair_slots_;
  std::vector<U64Map<uint64_t>> pairs_;  // per pair slot, keyed by host << 32 | id
  struct FirstLast {
    int64_t first = INT64_MAX, last = INT64_MIN;
  };
  U64Map<FirstLast> times_;  // keyed by host
};

}  // namespace certcrunch
