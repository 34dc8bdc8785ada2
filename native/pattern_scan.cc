#include "pattern_scan.h"

#include <cmath>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "lines.h"

namespace certcrunch {

namespace {
constexpr uint32_t kNoIdValue = 0xFFFFFFFFu;

// Whether the n bytes at a equal those at b. Separators and prefix texts are a few bytes long:
// a byte loop beats a memcmp call there.
inline bool SameShort(const uint8_t* a, const char* b, size_t n) {
  for (size_t k = 0; k < n; k++) {
    if (a[k] != static_cast<uint8_t>(b[k])) return false;
  }
  return true;
}

// First occurrence of `needle` in [p + from, p + end), or end when absent. Candidates for its
// first byte are found 16 bytes at a time, never reading at or past `end`.
size_t Find(const uint8_t* p, size_t from, size_t end, const std::string& needle) {
  const size_t n = needle.size();
  if (n == 0) return from;
  if (end < from || end - from < n) return end;
  const size_t last = end - n;  // the last position the needle can start at
  const uint8_t first = static_cast<uint8_t>(needle[0]);
  const char* rest = needle.data() + 1;
  size_t i = from;
#if defined(__SSE2__)
  const __m128i want = _mm_set1_epi8(static_cast<char>(first));
  for (; i + 16 <= end; i += 16) {
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)), want)));
    while (mask != 0) {
      const size_t j = i + static_cast<size_t>(__builtin_ctz(mask));
      if (j > last) return end;
      if (SameShort(p + j + 1, rest, n - 1)) return j;
      mask &= mask - 1;
    }
  }
#endif
  for (; i <= last; i++) {
    if (p[i] == first && SameShort(p + i + 1, rest, n - 1)) return i;
  }
  return end;
}

bool StartsWith(const uint8_t* p, size_t at, size_t end, const std::string& text) {
  return end >= at && end - at >= text.size() && SameShort(p + at, text.data(), text.size());
}

// kHexDigit[c]: c is 0-9, a-f or A-F.
constexpr struct HexTable {
  bool digit[256];
  constexpr HexTable() : digit() {
    for (int c = '0'; c <= '9'; c++) digit[c] = true;
    for (int c = 'a'; c <= 'f'; c++) digit[c] = true;
    for (int c = 'A'; c <= 'F'; c++) digit[c] = true;
  }
} kHexDigit;

bool IsHex(const uint8_t* p, size_t len) {
  if (len == 1 && p[0] == '0') return true;  // EJBCA's default for an unset value
  if (len % 2 != 0) return false;
  bool all = true;
  for (size_t i = 0; i < len; i++) all &= kHexDigit.digit[p[i]];  // no early exit: bad hex is rare
  return all;
}

// A signed decimal integer of at most 15 digits (exact in a double).
bool ParseInteger(const uint8_t* p, size_t len, double* value) {
  size_t i = 0;
  bool negative = false;
  if (len > 0 && (p[0] == '-' || p[0] == '+')) {
    negative = p[0] == '-';
    i = 1;
  }
  if (i == len || len - i > 15) return false;
  double v = 0;
  for (; i < len; i++) {
    if (p[i] < '0' || p[i] > '9') return false;
    v = v * 10 + (p[i] - '0');
  }
  *value = negative ? -v : v;
  return true;
}

// Runs the layout prefix over [start, end): 1 = message at *message, 0 = no prefix (a bare
// line), -1 = a prefixed line of another logger.
int MatchPrefix(const PatternProgram& prog, const uint8_t* p, size_t start, size_t end, size_t* message) {
  size_t at = start;
  for (const PrefixStep& step : prog.prefix) {
    switch (step.op) {
      case kOpLiteral:
        if (!StartsWith(p, at, end, step.text)) return 0;
        at += step.text.size();
        break;
      case kOpSkip:
        if (end - at < step.count) return 0;
        at += step.count;
        break;
      case kOpSkipUntil: {
        const size_t hit = Find(p, at, end, step.text);
        if (hit >= end) return 0;
        at = hit + step.text.size();
        break;
      }
      case kOpCategoryUntil: {
        const size_t hit = Find(p, at, end, step.text);
        if (hit >= end) return 0;
        bool accepted = false;
        for (const std::string& c : prog.categories) {
          if (c.size() == hit - at && std::memcmp(p + at, c.data(), c.size()) == 0) {
            accepted = true;
            break;
          }
        }
        if (!accepted) return -1;
        at = hit + step.text.size();
        break;
      }
    }
  }
  *message = at;
  // A prefix that matched no bytes cannot be told from none: a bare line, as the TypeScript twin has it.
  return at > start ? 1 : 0;
}

PatternRecordKind MatchOrder(const PatternProgram& prog, const uint8_t* p, size_t at, size_t end, Interner& interner,
                             uint32_t* ids, double* nums) {
  for (uint32_t s = 0; s < prog.slots; s++) ids[s] = kNoIdValue;
  for (uint32_t s = 0; s < prog.nums; s++) nums[s] = NAN;
  if (!StartsWith(p, at, end, prog.literals[0])) return kPatternGarbage;
  at += prog.literals[0].size();
  const size_t n = prog.fields.size();
  for (size_t f = 0; f < n; f++) {
    const std::string& next = prog.literals[f + 1];
    size_t value_end;
    if (f + 1 == n) {
      // The last separator closes the message: the last field runs up to it.
      if (end - at < next.size() || !SameShort(p + end - next.size(), next.data(), next.size())) {
        return f == 0 ? kPatternGarbage : kPatternTruncated;
      }
      value_end = end - next.size();
    } else {
      value_end = Find(p, at, end, next);
      if (value_end >= end) return f == 0 ? kPatternGarbage : kPatternTruncated;
    }
    const uint8_t* value = p + at;
    const size_t len = value_end - at;
    const FieldSpec& spec = prog.fields[f];
    switch (spec.kind) {
      case kFieldIgnore:
        break;
      case kFieldHex:
        if (!IsHex(value, len)) return kPatternBadHex;
        if (spec.slot >= 0) ids[spec.slot] = interner.Table(static_cast<size_t>(spec.slot)).Intern(value, len);
        break;
      case kFieldIntern:
        ids[spec.slot] = interner.Table(static_cast<size_t>(spec.slot)).Intern(value, len);
        break;
      case kFieldNumber:
        if (!ParseInteger(value, len, &nums[spec.slot])) return kPatternBadNumber;
        break;
      case kFieldInternMasked: {
        // Seconds and milliseconds do not change the hour a time falls in: masking them keeps
        // the table of distinct LOG_TIME values small. Values too short for the mask stay whole.
        // Only digits are masked, so a value that is no time stays as unreadable as it was.
        uint8_t masked[64];
        bool maskable = len <= sizeof(masked) && !prog.mask.empty() && prog.mask.back() < len;
        for (size_t k = 0; maskable && k < prog.mask.size(); k++) {
          const uint8_t c = value[prog.mask[k]];
          maskable = c >= '0' && c <= '9';
        }
        if (maskable) {
          std::memcpy(masked, value, len);
          for (uint32_t m : prog.mask) masked[m] = '0';
          ids[spec.slot] = interner.Table(static_cast<size_t>(spec.slot)).Intern(masked, len);
        } else {
          ids[spec.slot] = interner.Table(static_cast<size_t>(spec.slot)).Intern(value, len);
        }
        break;
      }
    }
    at = value_end + next.size();
  }
  if (n == 0 && at != end) return kPatternGarbage;
  return kPatternRow;
}
}  // namespace

size_t ScanPattern(const PatternProgram& prog, const PatternScanInput& in, Interner& interner, PatternScanOutput& out) {
  const uint8_t* p = in.buf;
  size_t pos = in.from;
  size_t n = 0;
  Line line;
  while (n < out.capacity && NextLine(p, &pos, in.to, in.limit, in.at_eof, &line)) {
    out.offsets[n] = static_cast<uint32_t>(line.start);
    size_t message = line.start;
    const int prefix = prog.prefix.empty() ? 0 : MatchPrefix(prog, p, line.start, line.end, &message);
    if (prefix < 0) {
      out.kinds[n++] = kPatternOtherLogger;
      continue;
    }
    size_t message_end = line.end;
    if (!prog.suffix.empty() && message_end - message >= prog.suffix.size() &&
        std::memcmp(p + message_end - prog.suffix.size(), prog.suffix.data(), prog.suffix.size()) == 0) {
      message_end -= prog.suffix.size();
    }
    PatternRecordKind kind = MatchOrder(prog, p, message, message_end, interner, out.ids + n * prog.slots, out.nums + n * prog.nums);
    // In a prefixed layout, an unprefixed line that is nothing like a row continues another
    // logger's multi-line event (a stack trace, say): not a record.
    if (kind == kPatternGarbage && prefix == 0 && !prog.prefix.empty()) kind = kPatternOtherLogger;
    out.kinds[n++] = kind;
  }
  out.resume = pos;
  return n;
}

// Blob: "CCP1", then u32 fields, slots, nums, prefix steps, categories; then per literal
// (fields + 1): u32 length + bytes; per field: u8 kind, i32 slot; per step: u8 op, u32 count,
// u32 length + bytes; per category: u32 length + bytes; u32 length + suffix bytes; u32 mask
// count + ascending u32 positions (< 64).
std::string PatternProgram::Parse(const uint8_t* blob, size_t len) {
  size_t at = 0;
  auto u32 = [&](uint32_t* v) {
    if (len - at < 4) return false;
    std::memcpy(v, blob + at, 4);
    at += 4;
    return true;
  };
  auto bytes = [&](std::string* s) {
    uint32_t n;
    if (!u32(&n) || len - at < n) return false;
    s->assign(reinterpret_cast<const char*>(blob + at), n);
    at += n;
    return true;
  };
  if (len < 4 || std::memcmp(blob, "CCP1", 4) != 0) return "not a pattern program";
  at = 4;
  uint32_t nfields, nsteps, ncategories;
  if (!u32(&nfields) || !u32(&slots) || !u32(&nums) || !u32(&nsteps) || !u32(&ncategories)) return "truncated header";
  if (nfields > 4096 || slots > 1024 || nums > 1024 || nsteps > 256 || ncategories > 256) return "limits exceeded";
  literals.resize(nfields + 1);
  for (auto& l : literals) {
    if (!bytes(&l)) return "truncated literal";
  }
  fields.resize(nfields);
  for (auto& f : fields) {
    if (len - at < 5) return "truncated field";
    f.kind = static_cast<FieldKind>(blob[at]);
    std::memcpy(&f.slot, blob + at + 1, 4);
    at += 5;
    const bool slotted = f.kind == kFieldIntern || f.kind == kFieldInternMasked || (f.kind == kFieldHex && f.slot >= 0);
    if (f.kind > kFieldInternMasked || (slotted && (f.slot < 0 || static_cast<uint32_t>(f.slot) >= slots)) ||
        (f.kind == kFieldNumber && (f.slot < 0 || static_cast<uint32_t>(f.slot) >= nums))) {
      return "field slot out of range";
    }
  }
  // Adjacent fields without a separator cannot be split.
  for (size_t f = 1; f < nfields; f++) {
    if (literals[f].empty()) return "two fields without a separator";
  }
  prefix.resize(nsteps);
  for (auto& s : prefix) {
    if (len - at < 1) return "truncated step";
    s.op = static_cast<PrefixOp>(blob[at++]);
    if (s.op < kOpLiteral || s.op > kOpCategoryUntil) return "unknown prefix step";
    if (!u32(&s.count) || !bytes(&s.text)) return "truncated step";
    if ((s.op == kOpSkipUntil || s.op == kOpCategoryUntil) && s.text.empty()) return "empty step text";
  }
  categories.resize(ncategories);
  for (auto& c : categories) {
    if (!bytes(&c)) return "truncated category";
  }
  if (!bytes(&suffix)) return "truncated suffix";
  uint32_t nmask;
  if (!u32(&nmask) || nmask > 64) return "bad mask";
  mask.resize(nmask);
  for (auto& m : mask) {
    if (!u32(&m) || m >= 64 || (&m != mask.data() && m <= *(&m - 1))) return "bad mask position";
  }
  return at == len ? "" : "trailing bytes";
}

}  // namespace certcrunch
