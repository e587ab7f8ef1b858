#include "app/contact_centre/call_cases.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace gosline::contact_centre {
namespace {

const Actor kSystem{"contact_centre"};
constexpr int kLookupLimit = 20;

}  // namespace

CallCase FileCallCase(CaseService& cases, const CallCaseRequest& req, std::string* error) {
  CallCase out;
  std::vector<Case> found;
  if (!req.phone.empty()) {
    Result<std::vector<Case>> r = cases.FindByPhone(req.phone, kLookupLimit);
    if (r.ok()) {
      found = std::move(r).value();
    } else if (error != nullptr) {
      *error = "case lookup: " + r.status().ToString();
    }
  }
  std::sort(found.begin(), found.end(),
            [](const Case& a, const Case& b) { return a.updated_at > b.updated_at; });
  const Case* reuse = nullptr;
  const Case* recent = nullptr;
  for (const Case& c : found) {
    out.earlier_cases.push_back(c.number);
    if (IsOpen(c.status)) out.has_open_case = true;
    const bool within = req.now - c.updated_at <= kRepeatCallWindow;
    if (within && IsOpen(c.status) && reuse == nullptr) reuse = &c;
    if (within && recent == nullptr) recent = &c;
  }
  const CaseLink call_link{"call", req.call_ref, req.now};
  if (reuse != nullptr) {
    out.number = reuse->number;
    out.reused = true;
    Result<Case> linked = cases.Link(out.number, call_link, kSystem);
    if (!linked.ok() && error != nullptr) *error = "case link: " + linked.status().ToString();
    out.earlier_cases.erase(std::find(out.earlier_cases.begin(), out.earlier_cases.end(), out.number));
    return out;
  }
  CaseDraft draft;
  draft.phone = req.phone;
  draft.channel = Channel::kCall;
  draft.topic = req.topic;
  draft.region = req.region;
  draft.summary = "call";
  Result<Case> opened = cases.Open(draft, kSystem);
  if (!opened.ok() && !draft.region.empty()) {  // a region the registry does not know
    draft.region.clear();
    opened = cases.Open(draft, kSystem);
  }
  if (!opened.ok()) {
    if (error != nullptr) *error = "case open: " + opened.status().ToString();
    return out;
  }
  out.number = opened->number;
  if (!req.call_ref.empty()) WarnIfFailed(cases.Link(out.number, call_link, kSystem), "call link");
  if (recent != nullptr) {  // a repeat contact within 7 days: the two cases name each other
    WarnIfFailed(cases.Link(out.number, CaseLink{"case", recent->number, {}}, kSystem),
                 "case link");
    WarnIfFailed(cases.Link(recent->number, CaseLink{"case", out.number, {}}, kSystem),
                 "case link");
  }
  return out;
}

Result<std::string> OpenCallbackCase(CaseService& cases, const CallCaseRequest& req,
                                     const std::string& call_case) {
  CaseDraft draft;
  draft.phone = req.phone;
  draft.channel = Channel::kCallback;
  draft.topic = req.topic;
  draft.region = req.region;
  draft.summary = "callback requested while waiting";
  Result<Case> opened = cases.Open(draft, kSystem);
  if (!opened.ok() && !draft.region.empty()) {
    draft.region.clear();
    opened = cases.Open(draft, kSystem);
  }
  if (!opened.ok()) return opened.status();
  if (!call_case.empty()) {
    WarnIfFailed(cases.AddNote(opened->number,
                               "callback requested during a call about case " + call_case, kSystem),
                 "case note");
  }
  return opened->number;
}

void WarnIfFailed(const Result<Case>& written, std::string_view what) {
  if (!written.ok()) {
    spdlog::warn("contact centre: {} not written: {}", what, written.status().ToString());
  }
}

void WarnIfFailed(const Status& written, std::string_view what) {
  if (!written.ok()) spdlog::warn("contact centre: {} not written: {}", what, written.ToString());
}

}  // namespace gosline::contact_centre
