#include "elff_tally.h"

#include <algorithm>
#include <cstring>

#include "elff_scan.h"

namespace certcrunch {

namespace {
inline uint8_t Lower(uint8_t c) { return c >= 'A' && c <= 'Z' ? static_cast<uint8_t>(c + 32) : c; }

bool IsErrorToken(const uint8_t* p, size_t len) {
  while (len > 0 && p[0] == ' ') p++, len--;
  while (len > 0 && p[len - 1] == ' ') len--;
  if (len == 0 || (len == 1 && p[0] == '-')) return false;
  return !(len == 4 && Lower(p[0]) == 'n' && Lower(p[1]) == 'o' && Lower(p[2]) == 'n' && Lower(p[3]) == 'e');
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }
}  // namespace

bool HasCertErrorToken(const uint8_t* p, size_t len) {
  size_t start = 0;
  for (size_t i = 0; i <= len; i++) {
    if (i == len || p[i] == ';' || p[i] == ',') {
      if (IsErrorToken(p + start, i - start)) return true;
      start = i + 1;
    }
  }
  return false;
}

bool ElffTally::Add(const ElffSlots& s, const uint32_t* ids) {
  bool error = false;
  if (s.error_slot >= 0) {
    const uint32_t id = ids[s.error_slot];
    if (id != kNoId) {
      if (id >= error_value_.size()) {
        const InternTable& table = interner_.Table(static_cast<size_t>(s.error_slot));
        for (uint32_t v = static_cast<uint32_t>(error_value_.size()); v < table.Size(); v++) {
          error_value_.push_back(HasCertErrorToken(table.Data(v), table.Length(v)) ? 1 : 0);
        }
      }
      error = id < error_value_.size() && error_value_[id] != 0;
    }
  }
  requests_++;
  error_requests_ += error;
  for (const uint32_t slot : s.counted) {
    const uint32_t id = ids[slot];
    if (id == kNoId) continue;
    std::vector<uint64_t>& c = counts_[slot];
    if (id >= c.size()) c.resize(interner_.Table(slot).Size());
    c[id]++;
    if (error) {
      std::vector<uint64_t>& e = error_counts_[slot];
      if (id >= e.size()) e.resize(interner_.Table(slot).Size());
      e[id]++;
    }
  }
  const uint32_t day = s.date_slot >= 0 ? ids[s.date_slot] : kNoId;
  const uint32_t time = s.time_slot >= 0 ? ids[s.time_slot] : kNoId;
  const bool timed = day != kNoId && time != kNoId;
  const int64_t seconds = timed ? (static_cast<int64_t>(day) - kDayBias) * 86400 + time : 0;
  if (timed) CountHour(FloorDiv(seconds, 3600), error);
  else without_time_++;
  if (error && host_slot_ >= 0) AddErrorHost(s.slots, ids, timed, seconds);
  return error;
}

void ElffTally::AddErrorHost(uint32_t slots, const uint32_t* ids, bool timed, int64_t seconds) {
  // A record has `slots` ids (a call may fill fewer slots than the tally has): a slot past them is absent.
  const uint32_t host = static_cast<uint32_t>(host_slot_) < slots ? ids[host_slot_] : kNoId;
  if (host == kNoId) return;
  for (size_t k = 0; k < pair_slots_.size(); k++) {
    const uint32_t id = pair_slots_[k] < slots ? ids[pair_slots_[k]] : kNoId;
    if (id != kNoId) pairs_[k].At(static_cast<uint64_t>(host) << 32 | id)++;
  }
  // Times before 1970 are left out, as the snapshot keeps -1 for "none".
  if (!timed || seconds < 0) return;
  FirstLast& t = times_.At(host);
  if (seconds < t.first) t.first = seconds;
  if (seconds > t.last) t.last = seconds;
}

std::vector<ErrorHostPair> ElffTally::TakeErrorHostPairs() {
  size_t size = 0;
  for (const U64Map<uint64_t>& map : pairs_) size += map.size();
  std::vector<ErrorHostPair> out;
  out.reserve(size);
  for (size_t k = 0; k < pairs_.size(); k++) {
    pairs_[k].ForEach([&](uint64_t key, uint64_t count) {
      out.push_back({static_cast<uint32_t>(key >> 32), static_cast<uint32_t>(k), static_cast<uint32_t>(key), count});
    });
    pairs_[k].Release();
  }
  std::sort(out.begin(), out.end(), [](const ErrorHostPair& a, const ErrorHostPair& b) {
    return a.host != b.host ? a.host < b.host : a.kind != b.kind ? a.kind < b.kind : a.id < b.id;
  });
  return out;
}

std::vector<ErrorHostTime> ElffTally::TakeErrorHostTimes() {
  std::vector<ErrorHostTime> out;
  out.reserve(times_.size());
  times_.ForEach([&](uint64_t host, const FirstLast& t) { out.push_back({static_cast<uint32_t>(host), t.first, t.last}); });
  times_.Release();
  std::sort(out.begin(), out.end(), [](const ErrorHostTime& a, const ErrorHostTime& b) { return a.host < b.host; });
  return out;
}

void ElffTally::CountHour(int64_t hour, bool error) {
  if (hour != hour_) {
    if (current_.requests > 0) {
      HourCounts& filed = hours_[hour_];
      filed.requests += current_.requests;
      filed.errors += current_.errors;
    }
    hour_ = hour;
    current_ = HourCounts();
  }
  current_.requests++;
  current_.errors += error;
}

SortedCounts ElffTally::Sorted(size_t slot, bool errors_only, bool fold) const {
  const InternTable& table = interner_.Table(slot);
  const std::vector<uint64_t>& counts = errors_only ? error_counts_[slot] : counts_[slot];
  struct Entry {
    const uint8_t* data;
    uint32_t length;
    uint64_t count;
  };
  std::vector<Entry> entries;
  size_t bytes = 0;
  for (uint32_t id = 0; id < counts.size() && id < table.Size(); id++) {
    if (counts[id] == 0) continue;
    entries.push_back({table.Data(id), table.Length(id), counts[id]});
    bytes += table.Length(id);
  }
  std::vector<uint8_t> folded;
  if (fold) {
    // Lower-cased copies, laid out first so that no pointer moves while they are written.
    folded.resize(bytes);
    size_t at = 0;
    for (Entry& e : entries) {
      for (uint32_t i = 0; i < e.length; i++) folded[at + i] = Lower(e.data[i]);
      e.data = folded.data() + at;
      at += e.length;
    }
  }
  auto less = [](const Entry& a, const Entry& b) {
    const int c = std::memcmp(a.data, b.data, std::min(a.length, b.length));
    return c != 0 ? c < 0 : a.length < b.length;
  };
  std::sort(entries.begin(), entries.end(), less);
  SortedCounts out;
  out.keys.reserve(bytes);
  for (size_t i = 0; i < entries.size(); i++) {
    const Entry& e = entries[i];
    if (i > 0 && !less(entries[i - 1], e)) {
      out.counts.back() += e.count;  // folded to a key already written
      continue;
    }
    out.keys.insert(out.keys.end(), e.data, e.data + e.length);
    out.lengths.push_back(e.length);
    out.counts.push_back(e.count);
  }
  return out;
}

std::vector<std::pair<int64_t, HourCounts>> ElffTally::Timeline() const {
  std::unordered_map<int64_t, HourCounts> all = hours_;
  if (current_.requests > 0) {
    HourCounts& h = all[hour_];
    h.requests += current_.requests;
    h.errors += current_.errors;
  }
  std::vector<std::pair<int64_t, HourCounts>> out(all.begin(), all.end());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

}  // namespace certcrunch
