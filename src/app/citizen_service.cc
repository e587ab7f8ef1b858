#include "app/citizen_service.h"

#include <algorithm>
#include <set>

#include "core/cases/case_number.h"
#include "core/cases/phone.h"
#include "security/encoding.h"
#include "security/sha256.h"

namespace gosline {
namespace {

bool Owns(const Citizen& citizen, const Case& c) {
  return c.portal_account_id && *c.portal_account_id == citizen.subject;
}

// The window as the operator reads it in the case ("2026-12-08T09:00:00Z..12:00").
std::string WindowText(const CallbackRequest& r) {
  if (!r.window_from && !r.window_to) return "any time";
  std::string text = r.window_from ? FormatIso8601(*r.window_from) : "now";
  text += " - ";
  text += r.window_to ? FormatIso8601(*r.window_to) : "open end";
  return text;
}

std::string RandomDigits(int n) {
  const std::string bytes = security::RandomBytes(static_cast<size_t>(n) * 2);
  std::string out;
  for (int i = 0; i < n; ++i) {
    // Two bytes per digit: the bias of 65536 % 10 is below 0.01 %.
    const unsigned v = (static_cast<unsigned char>(bytes[2 * i]) << 8) |
                       static_cast<unsigned char>(bytes[2 * i + 1]);
    out.push_back(static_cast<char>('0' + v % 10));
  }
  return out;
}

}  // namespace

CitizenService::CitizenService(CaseService& cases, CitizenChannelStore& channel,
                               DataRightsService* data_rights, const Clock& clock)
    : cases_(cases), channel_(channel), data_rights_(data_rights), clock_(clock) {}

std::string CitizenService::AccountKey(const std::string& subject) {
  return security::Sha256Hex("gosline portal account\n" + subject);
}

Actor CitizenService::ActorFor(const Citizen& citizen) {
  // Histories and the audit log name the account by its key, not its id.
  return Actor{"citizen:" + AccountKey(citizen.subject).substr(0, 16)};
}

Result<std::string> CitizenService::VerifiedPhone(const Citizen& citizen) const {
  if (citizen.phone_number.empty()) {
    return Status::PermissionDenied(
        "the identity provider gave no verified phone number: call the line or visit an office");
  }
  return citizen.phone_number;
}

Result<std::vector<Case>> CitizenService::OwnCases(const Citizen& citizen) {
  GOSLINE_ASSIGN_OR_RETURN(std::vector<std::string> numbers,
                           channel_.CasesOf(AccountKey(citizen.subject), kMaxCitizenCases));
  std::vector<Case> out;
  std::set<std::string> seen;
  for (const std::string& number : numbers) {
    Result<Case> c = cases_.Get(number);
    if (!c.ok()) {
      if (c.status().code() == Status::Code::kNotFound) continue;  // erased (R24)
      return c.status();
    }
    if (Owns(citizen, *c) && seen.insert(c->number).second) out.push_back(std::move(*c));
  }
  // Cases staff filed with the account id, found by the verified phone.
  if (!citizen.phone_number.empty()) {
    Result<std::vector<Case>> by_phone = cases_.FindByPhone(citizen.phone_number, kMaxCitizenCases);
    if (!by_phone.ok() && by_phone.status().code() != Status::Code::kInvalidArgument) {
      return by_phone.status();
    }
    if (by_phone.ok()) {
      for (Case& c : *by_phone) {
        if (Owns(citizen, c) && seen.insert(c.number).second) out.push_back(std::move(c));
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Case& a, const Case& b) {
    if (IsOpen(a.status) != IsOpen(b.status)) return IsOpen(a.status);
    return a.created_at > b.created_at;
  });
  return out;
}

Result<Case> CitizenService::OwnCase(const Citizen& citizen, const std::string& number) {
  Result<Case> c = cases_.Get(number);
  // Someone else's case reads exactly like a case that does not exist.
  if (!c.ok() && c.status().code() != Status::Code::kNotFound) return c.status();
  if (!c.ok() || !Owns(citizen, *c)) return Status::NotFound("no case " + number + " of yours");
  return c;
}

Result<Case> CitizenService::RequestCallback(const Citizen& citizen, const CallbackRequest& request) {
  if (request.window_from && request.window_to && *request.window_to <= *request.window_from) {
    return Status::InvalidArgument("the window ends before it starts", "window_to");
  }
  if (request.window_to && *request.window_to <= clock_.Now()) {
    return Status::InvalidArgument("the window is over", "window_to");
  }
  CaseDraft draft;
  draft.phone = request.phone.empty() ? citizen.phone_number : request.phone;
  if (draft.phone.empty()) return Status::InvalidArgument("a phone number to call back is required", "phone");
  draft.portal_account_id = citizen.subject;
  draft.channel = Channel::kCallback;
  draft.topic = request.topic;
  draft.summary = "callback requested in the app, " + WindowText(request);
  GOSLINE_ASSIGN_OR_RETURN(Case opened, cases_.Open(draft, ActorFor(citizen)));
  GOSLINE_RETURN_IF_ERROR(channel_.LinkCase(AccountKey(citizen.subject), opened.number, clock_.Now()));
  return opened;
}

Result<Consent> CitizenService::RecordConsent(const Citizen& citizen, const std::string& channel,
                                              bool granted) {
  if (data_rights_ == nullptr) return Status::Unavailable("data rights are not set up");
  GOSLINE_ASSIGN_OR_RETURN(std::string phone, VerifiedPhone(citizen));
  Consent consent;
  consent.phone = phone;
  consent.channel = channel;
  consent.granted = granted;
  consent.source = "portal";
  return data_rights_->RecordConsent(std::move(consent), ActorFor(citizen));
}

Result<Case> CitizenService::OpenDataRequest(const Citizen& citizen, DataRequestKind kind,
                                             const std::string& detail) {
  if (data_rights_ == nullptr) return Status::Unavailable("data rights are not set up");
  GOSLINE_ASSIGN_OR_RETURN(std::string phone, VerifiedPhone(citizen));
  DataRequestInput input;
  input.kind = kind;
  input.phone = phone;
  input.channel = Channel::kApp;
  input.detail = detail;
  const Actor actor = ActorFor(citizen);
  GOSLINE_ASSIGN_OR_RETURN(Case request, data_rights_->OpenRequest(input, actor));
  // The request is the citizen's case too: the app shows its progress.
  CasePatch patch;
  patch.portal_account_id = citizen.subject;
  GOSLINE_ASSIGN_OR_RETURN(Case linked, cases_.Update(request.number, patch, actor));
  GOSLINE_RETURN_IF_ERROR(channel_.LinkCase(AccountKey(citizen.subject), linked.number, clock_.Now()));
  return linked;
}

Result<CallContext> CitizenService::CreateCallContext(const Citizen& citizen, const std::string& topic,
                                                      const std::string& case_number) {
  CallContext context;
  context.account_key = AccountKey(citizen.subject);
  context.topic = topic;
  if (!case_number.empty()) {
    GOSLINE_ASSIGN_OR_RETURN(Case c, OwnCase(citizen, case_number));
    context.case_number = c.number;
    if (context.topic.empty()) context.topic = c.topic;
  }
  if (context.topic.empty()) return Status::InvalidArgument("a topic or a case is required", "topic");
  context.created_at = clock_.Now();
  context.expires_at = context.created_at + kCallContextLifetime;
  // A million codes, a few alive at once: a clash is rare, and retried.
  for (int attempt = 0; attempt < 8; ++attempt) {
    context.code = RandomDigits(kCallContextDigits);
    Status saved = channel_.SaveCallContext(context, context.created_at);
    if (saved.ok()) return context;
    if (saved.code() != Status::Code::kAlreadyExists) return saved;
  }
  return Status::Unavailable("no free call code now; try again");
}

Result<std::optional<CallContext>> CitizenService::TakeCallContext(const std::string& code) {
  if (code.size() != kCallContextDigits ||
      !std::all_of(code.begin(), code.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return std::optional<CallContext>();
  }
  return channel_.TakeCallContext(code, clock_.Now());
}

}  // namespace gosline
