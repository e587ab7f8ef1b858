#include "core/cases/case_workflow.h"
#include "core/cases/case_handlers.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace gosline {
namespace {

using namespace std::chrono;

// A small real vocabulary, as a configuration would give.
class TestVocabulary final : public CaseVocabulary {
 public:
  bool HasTopic(const std::string& id) const override { return topics_.contains(id); }
  bool HasAgency(const std::string& id) const override { return agencies_.contains(id); }
  bool HasRegion(const std::string& code) const override { return regions_.contains(code); }
  std::string DefaultAgency(const std::string& topic) const override {
    auto it = topics_.find(topic);
    return it == topics_.end() ? "" : it->second;
  }

 private:
  std::map<std::string, std::string> topics_{
      {"registration", "mincifry"}, {"taxes", "fns"}, {"benefits", "sfr"}, {"other", ""}};
  std::set<std::string> agencies_{"mincifry", "fns", "sfr", "mvd"};
  std::set<std::string> regions_{"77", "78", "16"};
};

constexpr minutes kMsk{180};

Time Msk(int y, unsigned m, unsigned d, int hh, int mm = 0) {
  return Time(sys_days{year{y} / month{m} / day{d}}) + hours{hh} + minutes{mm} - kMsk;
}

BusinessCalendar NineToSixMoscow() {
  WeeklyHours w;
  for (int i = 0; i < 5; ++i) w.days[i] = DailyHours{9 * 60, 18 * 60};
  std::set<sys_days> holidays;
  for (unsigned d = 1; d <= 8; ++d) holidays.insert(sys_days{year{2026} / 1 / d});
  return BusinessCalendar(w, kMsk, holidays, {}, {});
}

class CaseWorkflowTest : public ::testing::Test {
 protected:
  CaseDraft ValidDraft() const {
    CaseDraft d;
    d.phone = "8 (916) 123-45-67";
    d.topic = "registration";
    d.region = "77";
    d.summary = "Не приходит СМС с кодом подтверждения";
    return d;
  }

  Case OpenCase() const {
    auto r = workflow_.Open(ValidDraft(), operator_, t0_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r.value() : Case{};
  }

  // A case brought to `status` by a legal path.
  Case CaseIn(CaseStatus status) const {
    Case c = OpenCase();
    auto go = [&](CaseStatus to) {
      Status st = workflow_.Transition(c, to, "setup", operator_, t0_);
      EXPECT_TRUE(st.ok()) << st.ToString();
    };
    if (status == CaseStatus::kNew) return c;
    if (status == CaseStatus::kClosed) {
      go(CaseStatus::kClosed);
      return c;
    }
    go(status);
    return c;
  }

  TestVocabulary vocabulary_;
  BusinessCalendar calendar_ = NineToSixMoscow();
  CaseWorkflow workflow_{vocabulary_, calendar_, 1};
  Actor operator_{"op.ivanova"};
  Time t0_ = Msk(2025, 11, 24, 10);  // Monday 10:00
};

// ---- Open ----------------------------------------------------------------

TEST_F(CaseWorkflowTest, R14_OpenNormalisesAndRecordsCreation) {
  CaseDraft d = ValidDraft();
  d.channel = Channel::kChat;
  d.priority = Priority::kHigh;
  d.portal_account_id = "user_42-a";
  auto r = workflow_.Open(d, operator_, t0_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Case& c = r.value();
  EXPECT_EQ(c.id, 0);
  EXPECT_EQ(c.number, "");
  EXPECT_EQ(c.phone, "+79161234567");
  EXPECT_EQ(c.portal_account_id, "user_42-a");
  EXPECT_EQ(c.channel, Channel::kChat);
  EXPECT_EQ(c.topic, "registration");
  EXPECT_EQ(c.region, "77");
  EXPECT_EQ(c.priority, Priority::kHigh);
  EXPECT_EQ(c.status, CaseStatus::kNew);
  EXPECT_EQ(c.summary, d.summary);
  EXPECT_EQ(c.created_at, t0_);
  EXPECT_EQ(c.updated_at, t0_);
  EXPECT_FALSE(c.due_at);
  ASSERT_EQ(c.history.size(), 1u);
  EXPECT_EQ(c.history[0].seq, 1);
  EXPECT_EQ(c.history[0].at, t0_);
  EXPECT_EQ(c.history[0].actor, "op.ivanova");
  EXPECT_EQ(c.history[0].action, "created");
  EXPECT_TRUE(c.links.empty());
}

TEST_F(CaseWorkflowTest, R15_AgencyDefaultsToTopicsAgency) {
  EXPECT_EQ(OpenCase().agency, "mincifry");
  CaseDraft d = ValidDraft();
  d.agency = "mvd";
  auto r = workflow_.Open(d, operator_, t0_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->agency, "mvd");
}

TEST_F(CaseWorkflowTest, OptionalFieldsMayBeEmpty) {
  CaseDraft d = ValidDraft();
  d.region.clear();
  d.summary.clear();
  d.portal_account_id = "";
  d.topic = "other";  // no default agency
  auto r = workflow_.Open(d, operator_, t0_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->region, "");
  EXPECT_EQ(r->agency, "");
  EXPECT_FALSE(r->portal_account_id);  // "" is the same as none
}

struct BadDraft {
  const char* what;
  void (*spoil)(CaseDraft&);
  const char* field;
};

TEST_F(CaseWorkflowTest, R14_OpenRejectsInvalidInputNamingTheField) {
  const BadDraft cases[] = {
      {"no phone", [](CaseDraft& d) { d.phone = ""; }, "phone"},
      {"short phone", [](CaseDraft& d) { d.phone = "8916123456"; }, "phone"},
      {"letters in phone", [](CaseDraft& d) { d.phone = "call me"; }, "phone"},
      {"no topic", [](CaseDraft& d) { d.topic = ""; }, "topic"},
      {"unknown topic", [](CaseDraft& d) { d.topic = "weather"; }, "topic"},
      {"unknown agency", [](CaseDraft& d) { d.agency = "nasa"; }, "agency"},
      {"unknown region", [](CaseDraft& d) { d.region = "99"; }, "region"},
      {"summary too long", [](CaseDraft& d) { d.summary = std::string(kMaxSummaryBytes + 1, 'a'); },
       "summary"},
      {"summary bad utf8", [](CaseDraft& d) { d.summary = "abc\xff"; }, "summary"},
      {"summary overlong utf8", [](CaseDraft& d) { d.summary = "\xc0\xaf"; }, "summary"},
      {"summary surrogate", [](CaseDraft& d) { d.summary = "\xed\xa0\x80"; }, "summary"},
      {"summary truncated utf8", [](CaseDraft& d) { d.summary = "\xd0"; }, "summary"},
      {"summary above U+10FFFF", [](CaseDraft& d) { d.summary = "\xf4\x90\x80\x80"; }, "summary"},
      {"summary NUL", [](CaseDraft& d) { d.summary = std::string("a\0b", 3); }, "summary"},
      {"summary escape", [](CaseDraft& d) { d.summary = "a\x1b[31m"; }, "summary"},
      {"summary CR", [](CaseDraft& d) { d.summary = "a\rb"; }, "summary"},
      {"summary DEL", [](CaseDraft& d) { d.summary = "a\x7f"; }, "summary"},
      {"summary C1 control", [](CaseDraft& d) { d.summary = "a\xc2\x85"; }, "summary"},
      {"topic control char", [](CaseDraft& d) { d.topic = "registration\n"; }, "topic"},
      {"portal id bad char", [](CaseDraft& d) { d.portal_account_id = "a b"; },
       "portal_account_id"},
      {"portal id cyrillic", [](CaseDraft& d) { d.portal_account_id = "пользователь"; },
       "portal_account_id"},
      {"portal id too long", [](CaseDraft& d) { d.portal_account_id = std::string(65, 'a'); },
       "portal_account_id"},
  };
  for (const auto& bad : cases) {
    CaseDraft d = ValidDraft();
    bad.spoil(d);
    auto r = workflow_.Open(d, operator_, t0_);
    ASSERT_FALSE(r.ok()) << bad.what;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << bad.what;
    EXPECT_EQ(r.status().field(), bad.field) << bad.what;
    EXPECT_FALSE(r.status().message().empty()) << bad.what;
  }
}

TEST_F(CaseWorkflowTest, OpenAcceptsTextAtTheLimits) {
  CaseDraft d = ValidDraft();
  d.summary = std::string(kMaxSummaryBytes, 'x');
  d.portal_account_id = std::string(64, 'A');
  EXPECT_TRUE(workflow_.Open(d, operator_, t0_).ok());
  d.summary = "строка 1\n\tстрока 2 — «кавычки» 😀";
  EXPECT_TRUE(workflow_.Open(d, operator_, t0_).ok());
}

// ---- Transitions ---------------------------------------------------------

const CaseStatus kAll[] = {CaseStatus::kNew,           CaseStatus::kInProgress,
                           CaseStatus::kEscalated,     CaseStatus::kWaitingCitizen,
                           CaseStatus::kResolved,      CaseStatus::kClosed};

bool Expected(CaseStatus from, CaseStatus to) {
  using S = CaseStatus;
  static const std::set<std::pair<S, S>> kAllowed = {
      {S::kNew, S::kInProgress},           {S::kNew, S::kEscalated},
      {S::kNew, S::kWaitingCitizen},       {S::kNew, S::kResolved},
      {S::kNew, S::kClosed},               {S::kInProgress, S::kEscalated},
      {S::kInProgress, S::kWaitingCitizen}, {S::kInProgress, S::kResolved},
      {S::kEscalated, S::kInProgress},     {S::kEscalated, S::kWaitingCitizen},
      {S::kEscalated, S::kResolved},       {S::kWaitingCitizen, S::kInProgress},
      {S::kWaitingCitizen, S::kEscalated}, {S::kWaitingCitizen, S::kResolved},
      {S::kWaitingCitizen, S::kClosed},    {S::kResolved, S::kClosed},
      {S::kResolved, S::kInProgress},
  };
  return kAllowed.contains({from, to});
}

TEST_F(CaseWorkflowTest, R14_TransitionMatrix) {
  for (CaseStatus from : kAll) {
    for (CaseStatus to : kAll) {
      const std::string label = std::string(ToString(from)) + " -> " + std::string(ToString(to));
      EXPECT_EQ(CaseWorkflow::CanTransition(from, to), Expected(from, to)) << label;

      Case c = CaseIn(from);
      ASSERT_EQ(c.status, from) << label;
      const Case before = c;
      const Time later = t0_ + minutes{5};
      Status st = workflow_.Transition(c, to, "because", operator_, later);
      if (Expected(from, to)) {
        ASSERT_TRUE(st.ok()) << label << ": " << st.ToString();
        EXPECT_EQ(c.status, to) << label;
        EXPECT_EQ(c.updated_at, later) << label;
        ASSERT_EQ(c.history.size(), before.history.size() + 1) << label;
        EXPECT_EQ(c.history.back().seq, before.history.back().seq + 1) << label;
        EXPECT_NE(c.history.back().detail.find(label), std::string::npos)
            << label << ": " << c.history.back().detail;
      } else {
        ASSERT_FALSE(st.ok()) << label;
        EXPECT_EQ(st.code(), Status::Code::kFailedPrecondition) << label;
        EXPECT_EQ(st.field(), "to") << label;
        EXPECT_EQ(c.status, from) << label;
        EXPECT_EQ(c.history.size(), before.history.size()) << label;
        EXPECT_EQ(c.updated_at, before.updated_at) << label;
        // The message tells the caller where the case can go instead.
        for (CaseStatus allowed : CaseWorkflow::AllowedFrom(from)) {
          EXPECT_NE(st.message().find(ToString(allowed)), std::string::npos)
              << label << ": " << st.message();
        }
      }
    }
  }
}

TEST_F(CaseWorkflowTest, AllowedFromMatchesTable) {
  for (CaseStatus from : kAll) {
    for (CaseStatus to : CaseWorkflow::AllowedFrom(from)) EXPECT_TRUE(Expected(from, to));
  }
  EXPECT_EQ(CaseWorkflow::AllowedFrom(CaseStatus::kNew).size(), 5u);
  EXPECT_TRUE(CaseWorkflow::AllowedFrom(CaseStatus::kClosed).empty());
}

TEST_F(CaseWorkflowTest, ClosedIsFinal) {
  Case c = CaseIn(CaseStatus::kClosed);
  Status st = workflow_.Transition(c, CaseStatus::kInProgress, "", operator_, t0_);
  EXPECT_EQ(st.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(st.message().find("final"), std::string::npos) << st.message();
}

TEST_F(CaseWorkflowTest, SameStatusIsRefused) {
  Case c = CaseIn(CaseStatus::kInProgress);
  Status st = workflow_.Transition(c, CaseStatus::kInProgress, "", operator_, t0_);
  EXPECT_EQ(st.code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(st.field(), "to");
}

TEST_F(CaseWorkflowTest, HistoryRecordsReasonOrItsAbsence) {
  Case c = OpenCase();
  ASSERT_TRUE(workflow_.Transition(c, CaseStatus::kInProgress, "перезвонили", operator_, t0_).ok());
  EXPECT_EQ(c.history.back().action, "transition");
  EXPECT_EQ(c.history.back().detail, "new -> in_progress: перезвонили");
  ASSERT_TRUE(workflow_.Transition(c, CaseStatus::kResolved, "", operator_, t0_).ok());
  EXPECT_EQ(c.history.back().detail, "in_progress -> resolved (no reason given)");
  ASSERT_TRUE(workflow_.Transition(c, CaseStatus::kInProgress, "citizen called again", operator_,
                                   t0_).ok());
  EXPECT_EQ(c.history.back().detail, "resolved -> in_progress (reopened): citizen called again");
  ASSERT_TRUE(workflow_.Transition(c, CaseStatus::kWaitingCitizen, "", operator_, t0_).ok());
  EXPECT_EQ(c.history.back().detail, "in_progress -> waiting_citizen");
  ASSERT_TRUE(workflow_.Transition(c, CaseStatus::kClosed, "", operator_, t0_).ok());
  EXPECT_EQ(c.history.back().detail, "waiting_citizen -> closed (no reason given)");
  for (size_t i = 0; i < c.history.size(); ++i) {
    EXPECT_EQ(c.history[i].seq, static_cast<int64_t>(i + 1));
  }
}

TEST_F(CaseWorkflowTest, ReasonIsValidated) {
  Case c = OpenCase();
  Status st = workflow_.Transition(c, CaseStatus::kResolved, std::string(kMaxReasonBytes + 1, 'r'),
                                   operator_, t0_);
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(st.field(), "reason");
  st = workflow_.Transition(c, CaseStatus::kResolved, "bad\x01", operator_, t0_);
  EXPECT_EQ(st.field(), "reason");
  EXPECT_EQ(c.status, CaseStatus::kNew);
}

TEST_F(CaseWorkflowTest, SeqContinuesFromTheHighestStoredEntry) {
  Case c = OpenCase();
  c.history[0].seq = 7;  // as loaded from a store with earlier entries trimmed
  ASSERT_TRUE(workflow_.AddNote(c, "x", operator_, t0_).ok());
  EXPECT_EQ(c.history.back().seq, 8);
}

// ---- Escalation (R16) ----------------------------------------------------

TEST_F(CaseWorkflowTest, R16_EscalationDueInOneBusinessDay) {
  Case c = CaseIn(CaseStatus::kInProgress);
  const Time friday_evening = Msk(2025, 11, 21, 17);
  ASSERT_TRUE(workflow_.Transition(c, CaseStatus::kEscalated, "needs FNS", operator_,
                                   friday_evening).ok());
  ASSERT_TRUE(c.due_at);
  EXPECT_EQ(*c.due_at, Msk(2025, 11, 24, 17));
  EXPECT_EQ(c.history.back().action, "escalated");
  EXPECT_NE(c.history.back().detail.find("in_progress -> escalated: needs FNS"), std::string::npos);
  EXPECT_NE(c.history.back().detail.find(FormatIso8601(*c.due_at)), std::string::npos);
}

TEST_F(CaseWorkflowTest, R16_EscalationAcrossNewYearHolidays) {
  Case c = OpenCase();
  ASSERT_TRUE(workflow_.Transition(c, CaseStatus::kEscalated, "", operator_,
                                   Msk(2025, 12, 31, 15)).ok());
  EXPECT_EQ(c.due_at, Msk(2026, 1, 9, 15));
  EXPECT_NE(c.history.back().detail.find("(no reason given)"), std::string::npos);
}

TEST_F(CaseWorkflowTest, R16_EscalationDaysComeFromConfiguration) {
  CaseWorkflow two_days(vocabulary_, calendar_, 2);
  Case c = OpenCase();
  ASSERT_TRUE(two_days.Transition(c, CaseStatus::kEscalated, "", operator_, t0_).ok());
  EXPECT_EQ(c.due_at, Msk(2025, 11, 26, 10));
}

TEST_F(CaseWorkflowTest, R16_LeavingEscalatedClearsDueTime) {
  for (CaseStatus next : CaseWorkflow::AllowedFrom(CaseStatus::kEscalated)) {
    Case c = CaseIn(CaseStatus::kEscalated);
    ASSERT_TRUE(c.due_at);
    ASSERT_TRUE(workflow_.Transition(c, next, "", operator_, t0_).ok());
    EXPECT_FALSE(c.due_at) << ToString(next);
  }
}

TEST_F(CaseWorkflowTest, R16_ReEscalationSetsANewDueTime) {
  Case c = CaseIn(CaseStatus::kEscalated);
  ASSERT_TRUE(workflow_.Transition(c, CaseStatus::kWaitingCitizen, "", operator_, t0_).ok());
  const Time later = Msk(2025, 11, 26, 12);
  ASSERT_TRUE(workflow_.Transition(c, CaseStatus::kEscalated, "", operator_, later).ok());
  EXPECT_EQ(c.due_at, Msk(2025, 11, 27, 12));
}

// ---- Update --------------------------------------------------------------

TEST_F(CaseWorkflowTest, R15_UpdateRecordsChangedFields) {
  Case c = OpenCase();
  CasePatch p;
  p.topic = "taxes";
  p.region = "16";
  p.priority = Priority::kUrgent;
  const Time later = t0_ + minutes{3};
  ASSERT_TRUE(workflow_.Update(c, p, operator_, later).ok());
  EXPECT_EQ(c.topic, "taxes");
  EXPECT_EQ(c.agency, "fns");  // followed the topic: it was the old topic's default
  EXPECT_EQ(c.region, "16");
  EXPECT_EQ(c.priority, Priority::kUrgent);
  EXPECT_EQ(c.updated_at, later);
  ASSERT_EQ(c.history.size(), 2u);
  EXPECT_EQ(c.history[1].action, "updated");
  EXPECT_EQ(c.history[1].seq, 2);
  EXPECT_EQ(c.history[1].detail,
            "topic: registration -> taxes; agency: mincifry -> fns; region: 77 -> 16; "
            "priority: normal -> urgent");
}

TEST_F(CaseWorkflowTest, R15_HandPickedAgencySurvivesTopicChange) {
  CaseDraft d = ValidDraft();
  d.agency = "mvd";
  Case c = workflow_.Open(d, operator_, t0_).value();
  CasePatch p;
  p.topic = "benefits";
  ASSERT_TRUE(workflow_.Update(c, p, operator_, t0_).ok());
  EXPECT_EQ(c.agency, "mvd");
  EXPECT_EQ(c.history.back().detail, "topic: registration -> benefits");

  p.agency = "sfr";
  p.topic = "taxes";
  ASSERT_TRUE(workflow_.Update(c, p, operator_, t0_).ok());
  EXPECT_EQ(c.agency, "sfr");  // the patch's own agency wins
}

TEST_F(CaseWorkflowTest, UpdateSummaryAndPortalAccount) {
  Case c = OpenCase();
  CasePatch p;
  p.summary = "Новый текст";
  p.portal_account_id = "acc-1";
  ASSERT_TRUE(workflow_.Update(c, p, operator_, t0_).ok());
  EXPECT_EQ(c.summary, "Новый текст");
  EXPECT_EQ(c.portal_account_id, "acc-1");
  EXPECT_EQ(c.history.back().detail, "summary: changed; portal_account_id: (none) -> acc-1");

  CasePatch clear;
  clear.portal_account_id = "";
  ASSERT_TRUE(workflow_.Update(c, clear, operator_, t0_).ok());
  EXPECT_FALSE(c.portal_account_id);
  EXPECT_EQ(c.history.back().detail, "portal_account_id: acc-1 -> (none)");
}

TEST_F(CaseWorkflowTest, NoOpPatchWritesNoHistory) {
  Case c = OpenCase();
  CasePatch same;
  same.topic = c.topic;
  same.agency = c.agency;
  same.region = c.region;
  same.priority = c.priority;
  same.summary = c.summary;
  for (const CasePatch& p : {CasePatch{}, same}) {
    ASSERT_TRUE(workflow_.Update(c, p, operator_, t0_ + hours{1}).ok());
    EXPECT_EQ(c.history.size(), 1u);
    EXPECT_EQ(c.updated_at, t0_);
  }
}

TEST_F(CaseWorkflowTest, InvalidPatchChangesNothing) {
  Case c = OpenCase();
  const std::pair<void (*)(CasePatch&), const char*> bad[] = {
      {[](CasePatch& p) { p.topic = "nope"; }, "topic"},
      {[](CasePatch& p) { p.topic = ""; }, "topic"},
      {[](CasePatch& p) { p.agency = "nasa"; }, "agency"},
      {[](CasePatch& p) { p.region = "00"; }, "region"},
      {[](CasePatch& p) { p.summary = std::string(kMaxSummaryBytes + 1, 's'); }, "summary"},
      {[](CasePatch& p) { p.summary = "\xfe"; }, "summary"},
      {[](CasePatch& p) { p.portal_account_id = "a/b"; }, "portal_account_id"},
  };
  for (const auto& [spoil, field] : bad) {
    CasePatch p;
    p.priority = Priority::kLow;  // a valid change that must not be applied either
    spoil(p);
    Status st = workflow_.Update(c, p, operator_, t0_);
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << field;
    EXPECT_EQ(st.field(), field);
    EXPECT_EQ(c.priority, Priority::kNormal) << field;
    EXPECT_EQ(c.history.size(), 1u) << field;
  }
}

// ---- Notes and links -----------------------------------------------------

// R20: being assigned a call of the case makes the operator a handler; a note does not.
TEST_F(CaseWorkflowTest, AnAssignedCallMakesTheOperatorAHandler) {
  Case c = OpenCase();
  const Actor petrov{"user:petrov"};
  ASSERT_TRUE(workflow_.AddNote(c, "перезвоню", petrov, t0_).ok());
  EXPECT_FALSE(IsHandledBy(c, petrov.id));
  ASSERT_TRUE(workflow_.RecordAssigned(c, petrov, "call-1@host", t0_ + minutes{1}).ok());
  EXPECT_EQ(c.history.back().action, "assigned");
  EXPECT_EQ(c.history.back().actor, "user:petrov");
  EXPECT_TRUE(IsHandledBy(c, petrov.id));
  EXPECT_FALSE(workflow_.RecordAssigned(c, Actor{""}, "call-2", t0_).ok());
}

TEST_F(CaseWorkflowTest, AddNote) {
  Case c = OpenCase();
  ASSERT_TRUE(workflow_.AddNote(c, "Гражданин перезвонит завтра", operator_, t0_ + minutes{1}).ok());
  EXPECT_EQ(c.history.back().action, "note");
  EXPECT_EQ(c.history.back().detail, "Гражданин перезвонит завтра");
  EXPECT_EQ(c.history.back().seq, 2);
  EXPECT_EQ(c.updated_at, t0_ + minutes{1});

  for (const std::string& bad : {std::string(), std::string(" \n\t "),
                                 std::string(kMaxNoteBytes + 1, 'n'), std::string("\x80")}) {
    Status st = workflow_.AddNote(c, bad, operator_, t0_);
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
    EXPECT_EQ(st.field(), "text");
  }
  EXPECT_EQ(c.history.size(), 2u);
  EXPECT_TRUE(workflow_.AddNote(c, std::string(kMaxNoteBytes, 'n'), operator_, t0_).ok());
}

TEST_F(CaseWorkflowTest, R14_LinkRecordingsCallsAndChats) {
  Case c = OpenCase();
  const Time later = t0_ + minutes{2};
  ASSERT_TRUE(workflow_.Link(c, {"call", "call-123", {}}, operator_, later).ok());
  ASSERT_TRUE(workflow_.Link(c, {"recording", "rec/2025/11/24/call-123.wav", {}}, operator_,
                             later).ok());
  const Time chat_time = t0_ - minutes{30};
  ASSERT_TRUE(workflow_.Link(c, {"chat", "chat-9", chat_time}, operator_, later).ok());
  ASSERT_EQ(c.links.size(), 3u);
  EXPECT_EQ(c.links[0].at, later);     // no time given: now
  EXPECT_EQ(c.links[2].at, chat_time); // the caller knew when the chat happened
  EXPECT_EQ(c.history.back().action, "linked");
  EXPECT_EQ(c.history.back().detail, "chat chat-9");
  EXPECT_EQ(c.history.size(), 4u);
}

TEST_F(CaseWorkflowTest, DuplicateLinkIsIdempotent) {
  Case c = OpenCase();
  ASSERT_TRUE(workflow_.Link(c, {"call", "call-123", {}}, operator_, t0_).ok());
  const Time later = t0_ + hours{1};
  ASSERT_TRUE(workflow_.Link(c, {"call", "call-123", {}}, operator_, later).ok());
  EXPECT_EQ(c.links.size(), 1u);
  EXPECT_EQ(c.history.size(), 2u);
  EXPECT_EQ(c.updated_at, t0_);
  // Same ref, another kind, is another link.
  ASSERT_TRUE(workflow_.Link(c, {"recording", "call-123", {}}, operator_, later).ok());
  EXPECT_EQ(c.links.size(), 2u);
}

TEST_F(CaseWorkflowTest, LinkValidation) {
  Case c = OpenCase();
  const std::pair<CaseLink, const char*> bad[] = {
      {{"email", "x", {}}, "kind"},
      {{"", "x", {}}, "kind"},
      {{"Call", "x", {}}, "kind"},
      {{"call", "", {}}, "ref"},
      {{"call", std::string(201, 'r'), {}}, "ref"},
      {{"call", "a\nb", {}}, "ref"},
      {{"call", "a\xff", {}}, "ref"},
  };
  for (const auto& [link, field] : bad) {
    Status st = workflow_.Link(c, link, operator_, t0_);
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << link.kind << "/" << link.ref;
    EXPECT_EQ(st.field(), field) << link.kind << "/" << link.ref;
  }
  EXPECT_TRUE(c.links.empty());
  EXPECT_TRUE(workflow_.Link(c, {"call", std::string(200, 'r'), {}}, operator_, t0_).ok());
}

// ---- Enum names ------------------------------------------------------------

TEST(CaseEnums, WireNamesRoundTrip) {
  for (CaseStatus s : kAll) EXPECT_EQ(ParseCaseStatus(ToString(s)), s);
  for (Channel ch : {Channel::kCall, Channel::kChat, Channel::kApp, Channel::kCallback}) {
    EXPECT_EQ(ParseChannel(ToString(ch)), ch);
  }
  for (Priority p : {Priority::kLow, Priority::kNormal, Priority::kHigh, Priority::kUrgent}) {
    EXPECT_EQ(ParsePriority(ToString(p)), p);
  }
  EXPECT_EQ(ToString(CaseStatus::kWaitingCitizen), "waiting_citizen");
  EXPECT_EQ(ToString(Channel::kCallback), "callback");
  EXPECT_FALSE(ParseCaseStatus("In_Progress"));
  EXPECT_FALSE(ParseChannel(""));
  EXPECT_FALSE(ParsePriority("critical"));
}

}  // namespace
}  // namespace gosline
