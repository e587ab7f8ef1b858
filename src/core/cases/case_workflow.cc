#include "core/cases/case_workflow.h"

#include <algorithm>
#include <array>

#include "core/cases/case_handlers.h"
#include "core/cases/phone.h"

namespace gosline {
namespace {

constexpr size_t kMaxPortalAccountIdLength = 64;
constexpr size_t kMaxLinkRefLength = 200;
constexpr size_t kMaxIdLength = 64;  // topic, agency and region ids
// Long or hostile input is cut when echoed back in an error message.
constexpr size_t kMaxEchoBytes = 40;

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 when it is
// malformed (overlong, surrogate, beyond U+10FFFF, truncated).
size_t Utf8SequenceLength(std::string_view s, size_t i, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  size_t len = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// Free text must be valid UTF-8 without control characters (newline and tab
// are allowed): it ends up in JSON, CSV exports and operator screens.
Status CheckText(std::string_view text, const std::string& field, size_t max_bytes) {
  if (text.size() > max_bytes) {
    return Status::InvalidArgument(
        field + " is too long (" + std::to_string(text.size()) + " bytes, at most " +
            std::to_string(max_bytes) + ")",
        field);
  }
  for (size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const size_t len = Utf8SequenceLength(text, i, cp);
    if (len == 0) return Status::InvalidArgument(field + " is not valid UTF-8", field);
    const bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
    if (control && cp != '\n' && cp != '\t') {
      return Status::InvalidArgument(field + " contains a control character", field);
    }
    i += len;
  }
  return Status::Ok();
}

// A value safe to quote in a message: already validated text, cut short.
std::string Echo(std::string_view text) {
  if (text.size() <= kMaxEchoBytes) return std::string(text);
  size_t cut = kMaxEchoBytes;
  // Do not split a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

Status CheckPortalAccountId(const std::string& id) {
  if (id.size() > kMaxPortalAccountIdLength) {
    return Status::InvalidArgument("portal_account_id is longer than 64 characters",
                                   "portal_account_id");
  }
  for (char ch : id) {
    const bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    if (!ok) {
      return Status::InvalidArgument(
          "portal_account_id may contain only letters A-Z, digits, '_' and '-'",
          "portal_account_id");
    }
  }
  return Status::Ok();
}

Status CheckTopic(const CaseVocabulary& vocabulary, const std::string& topic) {
  GOSLINE_RETURN_IF_ERROR(CheckText(topic, "topic", kMaxIdLength));
  if (topic.empty()) return Status::InvalidArgument("topic is required", "topic");
  if (!vocabulary.HasTopic(topic)) {
    return Status::InvalidArgument("unknown topic '" + Echo(topic) + "'", "topic");
  }
  return Status::Ok();
}

// "" means "not known yet" for agency and region.
Status CheckAgency(const CaseVocabulary& vocabulary, const std::string& agency) {
  GOSLINE_RETURN_IF_ERROR(CheckText(agency, "agency", kMaxIdLength));
  if (!agency.empty() && !vocabulary.HasAgency(agency)) {
    return Status::InvalidArgument("unknown agency '" + Echo(agency) + "'", "agency");
  }
  return Status::Ok();
}

Status CheckRegion(const CaseVocabulary& vocabulary, const std::string& region) {
  GOSLINE_RETURN_IF_ERROR(CheckText(region, "region", kMaxIdLength));
  if (!region.empty() && !vocabulary.HasRegion(region)) {
    return Status::InvalidArgument("unknown region '" + Echo(region) + "'", "region");
  }
  return Status::Ok();
}

int64_t NextSeq(const Case& c) {
  int64_t max = 0;
  for (const auto& h : c.history) max = std::max(max, h.seq);
  return max + 1;
}

void Record(Case& c, const Actor& actor, Time now, std::string action, std::string detail) {
  c.history.push_back(HistoryEntry{NextSeq(c), now, actor.id, std::move(action), std::move(detail)});
  c.updated_at = now;
}

std::string OrNone(std::string_view s) { return s.empty() ? "(none)" : std::string(s); }

constexpr std::array<CaseStatus, 6> kAllStatuses{
    CaseStatus::kNew,           CaseStatus::kInProgress, CaseStatus::kEscalated,
    CaseStatus::kWaitingCitizen, CaseStatus::kResolved,   CaseStatus::kClosed,
};

}  // namespace

CaseWorkflow::CaseWorkflow(const CaseVocabulary& vocabulary,
                           const BusinessCalendar& escalation_calendar,
                           int escalation_business_days)
    : vocabulary_(vocabulary),
      calendar_(escalation_calendar),
      escalation_business_days_(escalation_business_days) {}

bool CaseWorkflow::CanTransition(CaseStatus from, CaseStatus to) {
  using S = CaseStatus;
  switch (from) {
    case S::kNew:
      return to == S::kInProgress || to == S::kEscalated || to == S::kWaitingCitizen ||
             to == S::kResolved || to == S::kClosed;
    case S::kInProgress:
      return to == S::kEscalated || to == S::kWaitingCitizen || to == S::kResolved;
    case S::kEscalated:
      return to == S::kInProgress || to == S::kWaitingCitizen || to == S::kResolved;
    case S::kWaitingCitizen:
      return to == S::kInProgress || to == S::kEscalated || to == S::kResolved ||
             to == S::kClosed;
    case S::kResolved:
      return to == S::kClosed || to == S::kInProgress;  // in_progress = reopen
    case S::kClosed:
      return false;  // final
  }
  return false;
}

std::vector<CaseStatus> CaseWorkflow::AllowedFrom(CaseStatus from) {
  std::vector<CaseStatus> out;
  for (CaseStatus to : kAllStatuses) {
    if (CanTransition(from, to)) out.push_back(to);
  }
  return out;
}

Result<Case> CaseWorkflow::Open(const CaseDraft& draft, const Actor& actor, Time now) const {
  const std::optional<std::string> phone = NormalizePhone(draft.phone);
  if (!phone) {
    return Status::InvalidArgument(
        "phone must be a Russian number (+7, 8 or 7 and 10 digits) or '+' and 8-15 digits",
        "phone");
  }
  GOSLINE_RETURN_IF_ERROR(CheckTopic(vocabulary_, draft.topic));
  GOSLINE_RETURN_IF_ERROR(CheckAgency(vocabulary_, draft.agency));
  GOSLINE_RETURN_IF_ERROR(CheckRegion(vocabulary_, draft.region));
  GOSLINE_RETURN_IF_ERROR(CheckText(draft.summary, "summary", kMaxSummaryBytes));
  if (draft.portal_account_id) {
    GOSLINE_RETURN_IF_ERROR(CheckPortalAccountId(*draft.portal_account_id));
  }

  Case c;
  c.phone = *phone;
  // An empty portal account id is the same as none.
  if (draft.portal_account_id && !draft.portal_account_id->empty()) {
    c.portal_account_id = draft.portal_account_id;
  }
  c.channel = draft.channel;
  c.topic = draft.topic;
  // R15: a case without an agency goes to the unit responsible for its topic.
  c.agency = draft.agency.empty() ? vocabulary_.DefaultAgency(draft.topic) : draft.agency;
  c.region = draft.region;
  c.priority = draft.priority;
  c.status = CaseStatus::kNew;
  c.summary = draft.summary;
  c.created_at = now;
  Record(c, actor, now, "created",
         "channel " + std::string(ToString(c.channel)) + ", topic " + c.topic + ", agency " +
             OrNone(c.agency));
  return c;
}

Status CaseWorkflow::Update(Case& c, const CasePatch& patch, const Actor& actor, Time now) const {
  // Validate everything first, so a refused patch changes nothing.
  if (patch.topic) GOSLINE_RETURN_IF_ERROR(CheckTopic(vocabulary_, *patch.topic));
  if (patch.agency) GOSLINE_RETURN_IF_ERROR(CheckAgency(vocabulary_, *patch.agency));
  if (patch.region) GOSLINE_RETURN_IF_ERROR(CheckRegion(vocabulary_, *patch.region));
  if (patch.summary) {
    GOSLINE_RETURN_IF_ERROR(CheckText(*patch.summary, "summary", kMaxSummaryBytes));
  }
  if (patch.portal_account_id) {
    GOSLINE_RETURN_IF_ERROR(CheckPortalAccountId(*patch.portal_account_id));
  }

  std::vector<std::string> changes;
  auto set = [&changes](std::string& field, const std::string& value, const char* name) {
    if (field == value) return;
    changes.push_back(std::string(name) + ": " + OrNone(field) + " -> " + OrNone(value));
    field = value;
  };

  if (patch.topic && *patch.topic != c.topic) {
    const std::string old_topic = c.topic;
    set(c.topic, *patch.topic, "topic");
    // Reclassifying moves the case to the new topic's agency (R15), unless
    // the agency was chosen by hand (differs from the old topic's default)
    // or the patch names one.
    if (!patch.agency &&
        (c.agency.empty() || c.agency == vocabulary_.DefaultAgency(old_topic))) {
      set(c.agency, vocabulary_.DefaultAgency(c.topic), "agency");
    }
  }
  if (patch.agency) set(c.agency, *patch.agency, "agency");
  if (patch.region) set(c.region, *patch.region, "region");
  if (patch.priority && *patch.priority != c.priority) {
    changes.push_back("priority: " + std::string(ToString(c.priority)) + " -> " +
                      std::string(ToString(*patch.priority)));
    c.priority = *patch.priority;
  }
  if (patch.summary && *patch.summary != c.summary) {
    // The text itself is in the case; the history only says that it changed.
    changes.push_back("summary: changed");
    c.summary = *patch.summary;
  }
  if (patch.portal_account_id) {
    // "" clears the account id.
    std::string current = c.portal_account_id.value_or("");
    set(current, *patch.portal_account_id, "portal_account_id");
    c.portal_account_id =
        current.empty() ? std::nullopt : std::optional<std::string>(std::move(current));
  }

  if (changes.empty()) return Status::Ok();  // nothing changed: no history, no bump
  std::string detail;
  for (const auto& ch : changes) {
    if (!detail.empty()) detail += "; ";
    detail += ch;
  }
  Record(c, actor, now, "updated", std::move(detail));
  return Status::Ok();
}

Status CaseWorkflow::Transition(Case& c, CaseStatus to, const std::string& reason,
                                const Actor& actor, Time now) const {
  GOSLINE_RETURN_IF_ERROR(CheckText(reason, "reason", kMaxReasonBytes));
  const CaseStatus from = c.status;
  if (from == to || !CanTransition(from, to)) {
    std::string allowed;
    for (CaseStatus s : AllowedFrom(from)) {
      if (!allowed.empty()) allowed += ", ";
      allowed += ToString(s);
    }
    std::string msg = from == to ? "case is already " + std::string(ToString(to))
                                 : "cannot move a case from " + std::string(ToString(from)) +
                                       " to " + std::string(ToString(to));
    // Name the way forward, so the caller (or operator) knows what is possible.
    msg += allowed.empty() ? "; " + std::string(ToString(from)) + " is final"
                           : "; allowed: " + allowed;
    return Status::FailedPrecondition(std::move(msg), "to");
  }

  c.status = to;
  std::string detail = std::string(ToString(from)) + " -> " + std::string(ToString(to));
  if (from == CaseStatus::kResolved && to == CaseStatus::kInProgress) detail += " (reopened)";
  if (!reason.empty()) {
    detail += ": " + reason;
  } else if (to == CaseStatus::kEscalated || to == CaseStatus::kResolved ||
             to == CaseStatus::kClosed) {
    // Allowed, but a supervisor reading the history should see it was not explained.
    detail += " (no reason given)";
  }

  std::string action = "transition";
  if (to == CaseStatus::kEscalated) {
    // R16: the responsible unit owes a reply within N business days.
    c.due_at = calendar_.AddBusinessDays(now, escalation_business_days_);
    detail += "; due " + FormatIso8601(*c.due_at);
    action = "escalated";
  } else if (from == CaseStatus::kEscalated) {
    c.due_at.reset();
  }
  Record(c, actor, now, std::move(action), std::move(detail));
  return Status::Ok();
}

Status CaseWorkflow::AddNote(Case& c, const std::string& text, const Actor& actor,
                             Time now) const {
  GOSLINE_RETURN_IF_ERROR(CheckText(text, "text", kMaxNoteBytes));
  const bool blank = std::all_of(text.begin(), text.end(),
                                 [](char ch) { return ch == ' ' || ch == '\n' || ch == '\t'; });
  if (blank) return Status::InvalidArgument("note text is empty", "text");
  Record(c, actor, now, "note", text);
  return Status::Ok();
}

Status CaseWorkflow::RecordAssigned(Case& c, const Actor& operator_actor,
                                    const std::string& call_ref, Time now) const {
  if (operator_actor.id.empty()) return Status::InvalidArgument("no operator", "operator");
  GOSLINE_RETURN_IF_ERROR(CheckText(call_ref, "call", kMaxReasonBytes));
  Record(c, operator_actor, now, std::string(kAssignedAction), "call " + call_ref);
  return Status::Ok();
}

Status CaseWorkflow::Link(Case& c, const CaseLink& link, const Actor& actor, Time now) const {
  // "case": a related case of the same citizen (a repeat contact, R14).
  if (link.kind != "call" && link.kind != "recording" && link.kind != "chat" &&
      link.kind != "case") {
    return Status::InvalidArgument("link kind must be call, recording, chat or case", "kind");
  }
  GOSLINE_RETURN_IF_ERROR(CheckText(link.ref, "ref", kMaxLinkRefLength));
  if (link.ref.empty()) return Status::InvalidArgument("link ref is required", "ref");
  if (link.ref.find_first_of("\n\t") != std::string::npos) {
    return Status::InvalidArgument("ref contains a control character", "ref");
  }
  for (const auto& existing : c.links) {
    // Linking the same call twice (e.g. a retried request) is not a second event.
    if (existing.kind == link.kind && existing.ref == link.ref) return Status::Ok();
  }
  CaseLink stored = link;
  if (stored.at == Time{}) stored.at = now;  // when the caller did not say when it happened
  c.links.push_back(stored);
  Record(c, actor, now, "linked", link.kind + " " + link.ref);
  return Status::Ok();
}

}  // namespace gosline
