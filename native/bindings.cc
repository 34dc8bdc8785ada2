// N-API glue: checks arguments, takes pointers into the caller's typed arrays for the
// duration of one call, runs a kernel, returns counts. Data errors are returned as record
// kinds, never thrown; only misuse of the API throws a TypeError.
#include "bindings.h"

#include <cstring>
#include <memory>
#include <vector>

#include "elff_scan.h"
#include "elff_tally.h"
#include "glue.h"

namespace certcrunch {

namespace {

// Copies counts into a Float64Array of `size` entries (exact up to 2^53), zero-filling the tail.
Napi::Value CountsArray(Napi::Env env, const std::vector<uint64_t>& counts, size_t size) {
  Napi::Float64Array out = Napi::Float64Array::New(env, size);
  for (size_t i = 0; i < size && i < counts.size(); i++) out[i] = static_cast<double>(counts[i]);
  return out;
}

class ElffTallyWrap : public Napi::ObjectWrap<ElffTallyWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "ElffTally",
                       {InstanceMethod("size", &ElffTallyWrap::JsSize), InstanceMethod("values", &ElffTallyWrap::JsValues),
                        InstanceMethod("counts", &ElffTallyWrap::JsCounts),
                        InstanceMethod("errorCounts", &ElffTallyWrap::JsErrorCounts),
                        InstanceMethod("sortedCounts", &ElffTallyWrap::JsSortedCounts),
                        InstanceMethod("timeline", &ElffTallyWrap::JsTimeline),
                        InstanceMethod("errorHosts", &ElffTallyWrap::JsErrorHosts),
                        InstanceMethod("totals", &ElffTallyWrap::JsTotals),
                        InstanceMethod("release", &ElffTallyWrap::JsRelease)});
  }

  // new ElffTally(slots[, hostSlot, pairSlots]): with a host slot, error hosts are tallied too.
  explicit ElffTallyWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ElffTallyWrap>(info) {
    Napi::Env env = info.Env();
    size_t slots;
    if (!SlotCountArg(info, &slots)) return;
    int64_t host_slot = -1;
    std::vector<uint32_t> pair_slots;
    if (info.Length() > 1) {
      int32_t* list;
      size_t length;
      if (!IntArg(info, 1, &host_slot) || !TypedArg(info, 2, napi_int32_array, &list, &length)) return;
      const auto fits = [slots](int64_t slot) { return slot >= 0 && static_cast<uint64_t>(slot) < slots; };
      bool ok = host_slot == -1 || fits(host_slot);
      for (size_t i = 0; i < length && ok; i++) {
        ok = fits(list[i]);
        pair_slots.push_back(static_cast<uint32_t>(list[i]));
      }
      if (!ok) {
        Napi::RangeError::New(env, "Host and pair slots must be below the slot count").ThrowAsJavaScriptException();
        return;
      }
    }
    tally_ = std::make_unique<ElffTally>(slots, static_cast<int32_t>(host_slot), std::move(pair_slots));
    napi_type_tag_object(env, info.This(), &kElffTallyTag);
  }

  static ElffTally* From(Napi::Env env, Napi::Value value) {
    ElffTallyWrap* wrap = UnwrapTagged<ElffTallyWrap>(env, value, kElffTallyTag, "an ElffTally");
    return wrap != nullptr && wrap->Live(env) ? wrap->tally_.get() : nullptr;
  }

 private:
  // False, with a JavaScript error pending, once the tally is released.
  bool Live(Napi::Env env) {
    if (!tally_) Napi::Error::New(env, "The ElffTally was released").ThrowAsJavaScriptException();
    return tally_ != nullptr;
  }
  bool Live(const Napi::CallbackInfo& info) { return Live(info.Env()); }
  bool Slot(const Napi::CallbackInfo& info, size_t* slot) { return Live(info) && SlotArg(info, tally_->Slots(), slot); }

  Napi::Value JsSize(const Napi::CallbackInfo& info) { return InternerSize(info, Live(info) ? &tally_->interner() : nullptr); }
  Napi::Value JsValues(const Napi::CallbackInfo& info) { return InternerValues(info, Live(info) ? &tally_->interner() : nullptr); }

  // counts(slot) / errorCounts(slot): one entry per interned id of the slot.
  Napi::Value JsCounts(const Napi::CallbackInfo& info) {
    size_t slot;
    if (!Slot(info, &slot)) return info.Env().Undefined();
    return CountsArray(info.Env(), tally_->counts(slot), tally_->interner().Table(slot).Size());
  }

  Napi::Value JsErrorCounts(const Napi::CallbackInfo& info) {
    size_t slot;
    if (!Slot(info, &slot)) return info.Env().Undefined();
    return CountsArray(info.Env(), tally_->error_counts(slot), tally_->interner().Table(slot).Size());
  }

  // sortedCounts(slot, errorsOnly, fold): { keys, lengths, counts }, keys in byte order.
  Napi::Value JsSortedCounts(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    size_t slot;
    if (!Slot(info, &slot)) return env.Undefined();
    if (info.Length() < 3 || !info[1].IsBoolean() || !info[2].IsBoolean()) {
      Napi::TypeError::New(env, "sortedCounts expects (slot, errorsOnly, fold)").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    const SortedCounts sorted = tally_->Sorted(slot, info[1].As<Napi::Boolean>().Value(), info[2].As<Napi::Boolean>().Value());
    Napi::Buffer<uint8_t> keys = Napi::Buffer<uint8_t>::Copy(env, sorted.keys.data(), sorted.keys.size());
    Napi::Uint32Array lengths = Napi::Uint32Array::New(env, sorted.lengths.size());
    if (!sorted.lengths.empty()) std::memcpy(lengths.Data(), sorted.lengths.data(), sorted.lengths.size() * sizeof(uint32_t));
    Napi::Float64Array counts = Napi::Float64Array::New(env, sorted.counts.size());
    for (size_t i = 0; i < sorted.counts.size(); i++) counts[i] = static_cast<double>(sorted.counts[i]);
    Napi::Object out = Napi::Object::New(env);
    out.Set("keys", keys);
    out.Set("lengths", lengths);
    out.Set("counts", counts);
    return out;
  }

  // timeline(): [hour, requests, errors] triples in hour order.
  Napi::Value JsTimeline(const Napi::CallbackInfo& info) {
    if (!Live(info)) return info.Env().Undefined();
    const auto hours = tally_->Timeline();
    Napi::Float64Array out = Napi::Float64Array::New(info.Env(), hours.size() * 3);
    for (size_t i = 0; i < hours.size(); i++) {
      out[3 * i] = static_cast<double>(hours[i].first);
      out[3 * i + 1] = static_cast<double>(hours[i].second.requests);
      out[3 * i + 2] = static_cast<double>(hours[i].second.errors);
    }
    return out;
  }

  // errorHosts(): { hosts, kinds, ids, counts } in (host, kind, id) order, and
  // { timeHosts, firstSeen, lastSeen } in host order; once (the tables are freed as read).
  Napi::Value JsErrorHosts(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!Live(info)) return env.Undefined();
    std::vector<ErrorHostPair> pairs = tally_->TakeErrorHostPairs();
    const std::vector<ErrorHostTime> times = tally_->TakeErrorHostTimes();
    Napi::Uint32Array kinds = Napi::Uint32Array::New(env, pairs.size());
    Napi::Uint32Array hosts = Napi::Uint32Array::New(env, pairs.size());
    Napi::Uint32Array ids = Napi::Uint32Array::New(env, pairs.size());
    Napi::Float64Array counts = Napi::Float64Array::New(env, pairs.size());
    for (size_t i = 0; i < pairs.size(); i++) {
      kinds[i] = pairs[i].kind;
      hosts[i] = pairs[i].host;
      ids[i] = pairs[i].id;
      counts[i] = static_cast<double>(pairs[i].count);
    }
    std::vector<ErrorHostPair>().swap(pairs);
    Napi::Uint32Array time_hosts = Napi::Uint32Array::New(env, times.size());
    Napi::Float64Array first = Napi::Float64Array::New(env, times.size());
    Napi::Float64Array last = Napi::Float64Array::New(env, times.size());
    for (size_t i = 0; i < times.size(); i++) {
      time_hosts[i] = times[i].host;
      first[i] = static_cast<double>(times[i].first);
      last[i] = static_cast<double>(times[i].last);
    }
    Napi::Object out = Napi::Object::New(env);
    out.Set("kinds", kinds);
    out.Set("hosts", hosts);
    out.Set("ids", ids);
    out.Set("counts", counts);
    out.Set("timeHosts", time_hosts);
    out.Set("firstSeen", first);
    out.Set("lastSeen", last);
    return out;
  }

  // totals(): [requests, requests with certificate errors, records without a valid time].
  Napi::Value JsTotals(const Napi::CallbackInfo& info) {
    if (!Live(info)) return info.Env().Undefined();
    Napi::Float64Array out = Napi::Float64Array::New(info.Env(), 3);
    out[0] = static_cast<double>(tally_->requests());
    out[1] = static_cast<double>(tally_->error_requests());
    out[2] = static_cast<double>(tally_->without_time());
    return out;
  }

  // release(): frees the tally's tables now rather than when the wrapper is collected.
  Napi::Value JsRelease(const Napi::CallbackInfo& info) {
    tally_.reset();
    return info.Env().Undefined();
  }

  std::unique_ptr<ElffTally> tally_;
};

}  // namespace

Napi::Object InitElffTally(Napi::Env env, Napi::Object exports) {
  exports.Set("ElffTally", ElffTallyWrap::Define(env));
  return exports;
}


Napi::Object InitInterner(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = InternerWrap::Define(env);
  auto* ref = new Napi::FunctionReference(Napi::Persistent(ctor));
  env.SetInstanceData<Napi::FunctionReference>(ref);
  exports.Set("Interner", ctor);
  return exports;
}

// scanElff(buf, from, to, limit, atEof, fieldCount, colSlot, slots, tally, offsets, kinds, ids, state,
//          dateSlot, timeSlot, errorSlot, emitAll, prefixTokens)
Napi::Value JsScanElff(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 18) {
    Napi::TypeError::New(env, "scanElff expects 18 arguments").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  uint8_t* buf;
  size_t buf_len;
  int64_t from, to, limit, field_count, slots, date_slot, time_slot, error_slot, prefix_tokens;
  int32_t* col_slot;
  size_t col_len;
  uint32_t* offsets;
  size_t offsets_len;
  uint8_t* kinds;
  size_t kinds_len;
  uint32_t* ids;
  size_t ids_len;
  uint32_t* state;
  size_t state_len;
  if (!TypedArg(info, 0, napi_uint8_array, &buf, &buf_len) || !IntArg(info, 1, &from) || !IntArg(info, 2, &to) ||
      !IntArg(info, 3, &limit) || !IntArg(info, 5, &field_count) ||
      !TypedArg(info, 6, napi_int32_array, &col_slot, &col_len) || !IntArg(info, 7, &slots) ||
      !TypedArg(info, 9, napi_uint32_array, &offsets, &offsets_len) ||
      !TypedArg(info, 10, napi_uint8_array, &kinds, &kinds_len) ||
      !TypedArg(info, 11, napi_uint32_array, &ids, &ids_len) ||
      !TypedArg(info, 12, napi_uint32_array, &state, &state_len) || !IntArg(info, 13, &date_slot) ||
      !IntArg(info, 14, &time_slot) || !IntArg(info, 15, &error_slot) || !IntArg(info, 17, &prefix_tokens)) {
    return env.Undefined();
  }
  ElffTally* tally = ElffTallyWrap::From(env, info[8]);
  if (tally == nullptr) return env.Undefined();
  // Every index the kernel uses is checked here once, so the kernel can trust its input.
  if (from < 0 || to < from || static_cast<uint64_t>(to) > buf_len || buf_len > 0xFFFFFFFFu) {
    Napi::RangeError::New(env, "Block bounds outside the buffer").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (field_count < -1 || (field_count >= 0 && static_cast<uint64_t>(field_count) > col_len) || slots < 0 ||
      static_cast<uint64_t>(slots) > tally->Slots() || state_len < 2) {
    Napi::RangeError::New(env, "Field count, slots or state do not fit their arrays").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  size_t capacity = offsets_len < kinds_len ? offsets_len : kinds_len;
  if (slots > 0 && ids_len / static_cast<size_t>(slots) < capacity) capacity = ids_len / static_cast<size_t>(slots);

  ElffScanInput in{buf, static_cast<size_t>(from), static_cast<size_t>(to),
                   static_cast<size_t>(limit < 0 ? 0 : limit), info[4].ToBoolean().Value(),
                   static_cast<int32_t>(field_count), col_slot, static_cast<uint32_t>(slots),
                   static_cast<int32_t>(date_slot < -1 || date_slot > 1024 ? -1 : date_slot),
                   static_cast<int32_t>(time_slot < -1 || time_slot > 1024 ? -1 : time_slot),
                   static_cast<int32_t>(error_slot < -1 || error_slot > 1024 ? -1 : error_slot),
                   info[16].ToBoolean().Value(),
                   static_cast<uint32_t>(prefix_tokens < 0 || prefix_tokens > 64 ? 0 : prefix_tokens)};
  ElffScanOutput out{offsets, kinds, ids, capacity, 0, 0};
  const size_t n = ScanElff(in, *tally, out);
  state[0] = static_cast<uint32_t>(out.resume);
  state[1] = static_cast<uint32_t>(out.counted);
  return Napi::Number::New(env, static_cast<double>(n));
}

}  // namespace certcrunch
