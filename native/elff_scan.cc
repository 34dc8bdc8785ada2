#include "elff_scan.h"

#include <cstring>
#include <vector>

#include "line_masks.h"
#include "lines.h"

namespace certcrunch {

namespace {
constexpr uint8_t kSpace = 0x20, kQuote = 0x22, kHash = 0x23;

inline bool Digits(const uint8_t* p, size_t n, unsigned* value) {
  unsigned v = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i] < '0' || p[i] > '9') return false;
    v = v * 10 + (p[i] - '0');
  }
  *value = v;
  return true;
}

// Days from 1970-01-01 to a proleptic Gregorian date (the days_from_civil algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

inline int32_t SlotOrNone(int32_t slot, uint32_t slots) {
  return slot >= 0 && static_cast<uint32_t>(slot) < slots ? slot : -1;
}

// Values waiting to be interned: their buckets are prefetched first, so the cache misses of
// a record's lookups overlap instead of following one another. (No last-value shortcut here:
// whether a value repeats is a coin toss the branch predictor loses more often than not.)
class PendingValues {
 public:
  PendingValues(Interner& interner, uint32_t* ids, const uint8_t* readable_end)
      : interner_(interner), ids_(ids), readable_end_(readable_end) {}
  ~PendingValues() { Flush(); }

  void Add(int32_t slot, const uint8_t* value, size_t len) {
    if (count_ == kMax) Flush();
    Item& item = items_[count_++];
    item.key = MakeKey(value, len, readable_end_);
    item.slot = slot;
    interner_.Table(static_cast<size_t>(slot)).Prefetch(item.key.hash);
  }

  // Interns in field order, so a column repeated in the schema keeps its last value.
  void Flush() {
    for (size_t i = 0; i < count_; i++) {
      const Item& it = items_[i];
      ids_[it.slot] = interner_.Table(static_cast<size_t>(it.slot)).Intern(it.key);
    }
    count_ = 0;
  }

 private:
  static constexpr size_t kMax = 32;
  struct Item {
    InternKey key;
    int32_t slot;
  };
  Interner& interner_;
  uint32_t* ids_;
  const uint8_t* readable_end_;
  Item items_[kMax];
  size_t count_ = 0;
};

// What becomes of each column's value, worked out once per block rather than per value, and
// the last date and time parsed (consecutive records mostly share the day, often the second).
class FieldPlan {
 public:
  explicit FieldPlan(const ElffScanInput& in)
      : action_(in.field_count > 0 ? static_cast<size_t>(in.field_count) : 0, kSkip),
        fields_(static_cast<int64_t>(action_.size())),
        date_slot_(in.date_slot),
        time_slot_(in.time_slot) {
    for (size_t f = 0; f < action_.size(); f++) {
      const int32_t slot = in.col_slot[f];
      if (slot < 0 || static_cast<uint32_t>(slot) >= in.slots) continue;
      action_[f] = slot == in.date_slot ? kDate : slot == in.time_slot ? kTime : slot;
    }
  }

  int64_t Fields() const { return fields_; }

  // Hands the value of column `field` to its slot: parsed (date, time) or queued for interning.
  void Take(int64_t field, const uint8_t* value, size_t len, uint32_t* ids, PendingValues& pending) {
    if (field >= Fields()) return;
    const int32_t action = action_.data()[field];
    if (action >= 0) {
      pending.Add(action, value, len);
    } else if (action == kDate) {
      ids[date_slot_] = Date(value, len);
    } else if (action == kTime) {
      ids[time_slot_] = Time(value, len);
    }
  }

 private:
  static constexpr int32_t kSkip = -1, kDate = -2, kTime = -3;

  uint32_t Date(const uint8_t* p, size_t len) {
    if (len != 10) return ParseElffDate(p, len);
    uint64_t head;
    uint16_t tail;
    std::memcpy(&head, p, 8);
    std::memcpy(&tail, p + 8, 2);
    if (!has_date_ || head != date_head_ || tail != date_tail_) {
      date_head_ = head, date_tail_ = tail, has_date_ = true;
      date_ = ParseElffDate(p, len);
    }
    return date_;
  }

  uint32_t Time(const uint8_t* p, size_t len) {
    if (len != 8) return ParseElffTime(p, len);
    uint64_t bytes;
    std::memcpy(&bytes, p, 8);
    if (!has_time_ || bytes != time_bytes_) {
      time_bytes_ = bytes, has_time_ = true;
      time_ = ParseElffTime(p, len);
    }
    return time_;
  }

  std::vector<int32_t> action_;  // by field: the slot that interns the value, or kSkip, kDate, kTime
  int64_t fields_;
  int32_t date_slot_, time_slot_;
  uint64_t date_head_ = 0, time_bytes_ = 0;
  uint16_t date_tail_ = 0;
  bool has_date_ = false, has_time_ = false;
  uint32_t date_ = kNoId, time_ = kNoId;
};

// Lines longer than this are tokenized with memchr in constant memory: no real record is this
// long, and a line's bitmaps grow with it.
constexpr size_t kMaxMaskedLine = 1 << 16;

// The next quote or space of an over-long line at or after pos (pos <= len), or len.
class MemchrFinder {
 public:
  MemchrFinder(const uint8_t* line, size_t len) : line_(line), len_(len) {}
  size_t NextQuote(size_t pos) const { return Next(kQuote, pos); }
  size_t NextSpace(size_t pos) const { return Next(kSpace, pos); }

 private:
  size_t Next(uint8_t byte, size_t pos) const {
    const void* hit = pos < len_ ? std::memchr(line_ + pos, byte, len_ - pos) : nullptr;
    return hit == nullptr ? len_ : static_cast<size_t>(static_cast<const uint8_t*>(hit) - line_);
  }
  const uint8_t* line_;
  size_t len_;
};

// Hands each value of a line to the plan. Values are the runs of non-space bytes; a quoted value
// ends at the first '"' followed by a space or the end of the line, and may hold spaces. `find`
// gives the next quote or space: from the line's bitmaps (LineMasks), a word scan rather than a
// byte loop, or with memchr (MemchrFinder).
template <typename Finder>
RecordKind TokenizeValues(const Finder& find, FieldPlan& plan, const uint8_t* line, size_t len, uint32_t* ids,
                          PendingValues& pending) {
  int64_t field = 0;
  size_t i = 0;
  for (;;) {
    if (i >= len) break;
    if (line[i] == kSpace) {  // a leading space, or one more between two values
      i++;
      continue;
    }
    size_t value_start, value_end;
    if (line[i] == kQuote) {
      value_start = i + 1;
      size_t q = find.NextQuote(value_start);
      for (;;) {
        if (q >= len) return kUnterminatedQuote;
        if (q + 1 == len || line[q + 1] == kSpace) break;
        q = find.NextQuote(q + 1);
      }
      value_end = q;
      i = q + 1;
    } else {
      value_start = i;
      value_end = i = find.NextSpace(i);
    }
    plan.Take(field, line + value_start, value_end - value_start, ids, pending);
    field++;
    i++;  // past the space that ended the value (or past the end)
  }
  return field == plan.Fields() ? kData : kFieldCount;
}

// Tokenizes [start, end) of one line; fills ids[0..slots) for the selected columns. Values of
// a malformed line are interned too, up to where it went wrong, as the TypeScript kernel does.
RecordKind Tokenize(const ElffScanInput& in, FieldPlan& plan, size_t start, size_t end, Interner& interner,
                    LineMasks& masks, uint32_t* ids) {
  static_assert(kNoId == 0xFFFFFFFFu, "ids are cleared bytewise");
  std::memset(ids, 0xFF, in.slots * sizeof(uint32_t));
  PendingValues pending(interner, ids, in.buf + in.to);
  const uint8_t* line = in.buf + start;
  const size_t len = end - start;
  if (len > kMaxMaskedLine) return TokenizeValues(MemchrFinder(line, len), plan, line, len, ids, pending);
  masks.Build(line, len, in.buf + in.to);
  return TokenizeValues(masks, plan, line, len, ids, pending);
}
// Whether [start, end) holds only spaces and tabs (or nothing).
bool IsBlank(const uint8_t* p, size_t start, size_t end) {
  for (size_t i = start; i < end; i++) {
    if (p[i] != kSpace && p[i] != '\t') return false;
  }
  return true;
}

// Where a line's ELFF text starts past `tokens` leading runs of non-spaces (a syslog header such
// as "Aug 18 12:30:46 10.8.24.10") and the spaces after each; `end` when the line holds fewer.
size_t SkipPrefix(const uint8_t* p, size_t start, size_t end, uint32_t tokens) {
  if (tokens == 0) return start;
  size_t i = start;
  for (uint32_t t = 0; t < tokens; t++) {
    while (i < end && p[i] == kSpace) i++;
    if (i >= end) return end;
    while (i < end && p[i] != kSpace) i++;
  }
  while (i < end && p[i] == kSpace) i++;
  return i;
}
}  // namespace

uint32_t ParseElffDate(const uint8_t* p, size_t len) {
  unsigned y, m, d;
  if (len != 10 || p[4] != '-' || p[7] != '-' || !Digits(p, 4, &y) || !Digits(p + 5, 2, &m) || !Digits(p + 8, 2, &d)) {
    return kNoId;
  }
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) return kNoId;
  return static_cast<uint32_t>(DaysFromCivil(y, m, d) + kDayBias);
}

uint32_t ParseElffTime(const uint8_t* p, size_t len) {
  unsigned h, m, s;
  if (len != 8 || p[2] != ':' || p[5] != ':' || !Digits(p, 2, &h) || !Digits(p + 3, 2, &m) || !Digits(p + 6, 2, &s)) {
    return kNoId;
  }
  if (h > 23 || m > 59 || s > 60) return kNoId;
  return h * 3600 + m * 60 + (s > 59 ? 59 : s);  // a leap second stays in its minute
}

size_t ScanElff(const ElffScanInput& in, ElffTally& tally, ElffScanOutput& out) {
  const uint8_t* p = in.buf;
  ElffSlots slots(in.slots, SlotOrNone(in.date_slot, in.slots), SlotOrNone(in.time_slot, in.slots),
                  SlotOrNone(in.error_slot, in.slots));
  // A parsed date or time is no interned id, so it cannot tell errors.
  if (slots.error_slot == slots.date_slot || slots.error_slot == slots.time_slot) slots.error_slot = -1;
  size_t pos = in.from;
  size_t n = 0;
  size_t counted = 0;
  LineMasks masks;
  FieldPlan plan(in);
  Line line;
  while (n < out.capacity && NextLine(p, &pos, in.to, in.limit, in.at_eof, &line)) {
    out.offsets[n] = static_cast<uint32_t>(line.start);
    const size_t text = SkipPrefix(p, line.start, line.end, in.prefix_tokens);
    // A syslog message with nothing but blanks after its header is a blank line.
    if (text != line.start && IsBlank(p, text, line.end)) continue;
    if (text < line.end && p[text] == kHash) {
      out.kinds[n++] = kDirective;
      break;
    }
    if (in.field_count < 0) {
      out.kinds[n++] = kNoFields;
      continue;
    }
    // Record n's ids are written in place; a clean record is counted and its place reused.
    uint32_t* ids = out.ids + n * in.slots;
    const RecordKind kind = Tokenize(in, plan, text, line.end, tally.interner(), masks, ids);
    out.kinds[n] = kind;
    if (kind != kData) {
      n++;
      continue;
    }
    counted++;
    if (tally.Add(slots, ids) || in.emit_all) n++;
  }
  out.resume = pos;
  out.counted = counted;
  return n;
}

}  // namespace certcrunch
