// The case store contract (R14-R17, R22), the same tests for every engine:
// SQLite (the embedded default) and PostgreSQL (several nodes on one
// database, R4/R11), each against the real database (store_engines.h).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/cases/case_number.h"
#include "security/storage_row_cipher.h"
#include "storage/case_store.h"
#include "store_engines.h"

namespace gosline {
namespace {

using testing::PostgresEngine;
using testing::SqliteEngine;

const Time kT0 = FromUnixMillis(1'760'000'000'000);  // 2025-10-09

Time At(int64_t minutes) { return kT0 + std::chrono::minutes(minutes); }

Case MakeCase(const std::string& phone, Time created, CaseStatus status = CaseStatus::kNew) {
  Case c;
  c.phone = phone;
  c.channel = Channel::kCall;
  c.topic = "registration";
  c.agency = "mintsifry";
  c.region = "77";
  c.priority = Priority::kNormal;
  c.status = status;
  c.summary = "cannot log in";
  c.created_at = created;
  c.updated_at = created;
  c.history.push_back({0, created, "operator1", "created", "opened by phone"});
  return c;
}

void ExpectSameCase(const Case& a, const Case& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.number, b.number);
  EXPECT_EQ(a.phone, b.phone);
  EXPECT_EQ(a.portal_account_id, b.portal_account_id);
  EXPECT_EQ(a.channel, b.channel);
  EXPECT_EQ(a.topic, b.topic);
  EXPECT_EQ(a.agency, b.agency);
  EXPECT_EQ(a.region, b.region);
  EXPECT_EQ(a.priority, b.priority);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.summary, b.summary);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
  EXPECT_EQ(a.due_at, b.due_at);
  EXPECT_EQ(a.version, b.version);
  ASSERT_EQ(a.history.size(), b.history.size());
  for (size_t i = 0; i < a.history.size(); ++i) {
    EXPECT_EQ(a.history[i].seq, b.history[i].seq) << i;
    EXPECT_EQ(a.history[i].at, b.history[i].at) << i;
    EXPECT_EQ(a.history[i].actor, b.history[i].actor) << i;
    EXPECT_EQ(a.history[i].action, b.history[i].action) << i;
    EXPECT_EQ(a.history[i].detail, b.history[i].detail) << i;
  }
  ASSERT_EQ(a.links.size(), b.links.size());
  for (size_t i = 0; i < a.links.size(); ++i) {
    EXPECT_EQ(a.links[i].kind, b.links[i].kind) << i;
    EXPECT_EQ(a.links[i].ref, b.links[i].ref) << i;
    EXPECT_EQ(a.links[i].at, b.links[i].at) << i;
  }
}

std::vector<std::string> Numbers(const std::vector<Case>& cases) {
  std::vector<std::string> out;
  for (const Case& c : cases) out.push_back(c.number);
  return out;
}

template <typename Engine>
class CaseStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status st = engine_.SetUp();
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  // Another open of the same data: another process or node.
  std::unique_ptr<CaseStore> Open(std::shared_ptr<const RowCipher> cipher = nullptr) {
    Result<std::unique_ptr<CaseStore>> store = engine_.OpenCases(std::move(cipher));
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }
  // Runs SQL straight on the database, bypassing the store.
  void RawExec(const std::string& sql) {
    Status st = engine_.RawExec(sql);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  int64_t RawCount(const std::string& sql) {
    Result<int64_t> n = engine_.RawCount(sql);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  }
  std::string RawTable(const std::string& table) {
    Result<std::string> text = engine_.RawTable(table);
    EXPECT_TRUE(text.ok()) << text.status().ToString();
    return text.ok() ? *text : "";
  }

  Engine engine_;
};

struct EngineName {
  template <typename Engine>
  static std::string GetName(int) {
    return Engine::kName;
  }
};
using Engines = ::testing::Types<SqliteEngine, PostgresEngine>;
TYPED_TEST_SUITE(CaseStoreTest, Engines, EngineName);

// ---- round trips (R14) ----

TYPED_TEST(CaseStoreTest, R14_RoundTripsEveryFieldWithHistoryAndLinks) {
  auto store = this->Open();
  ASSERT_TRUE(store);
  Case c = MakeCase("+79161234567", At(0), CaseStatus::kEscalated);
  c.portal_account_id = "esia-1000123";
  c.channel = Channel::kCallback;
  c.priority = Priority::kUrgent;
  c.summary = "Справка о доходах: не приходит \"ответ\"; quote ' and ; semicolon";
  c.updated_at = At(5);
  c.due_at = At(24 * 60);
  c.history.push_back({0, At(3), "operator2", "escalated", "to FNS"});
  c.links.push_back({"call", "call-8f2a", At(0)});
  c.links.push_back({"recording", "rec/2025/10/09/8f2a.opus", At(1)});

  Result<Case> created = store->Create(c);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, 0);
  EXPECT_TRUE(CaseNumber::IsValid(created->number));
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->history[0].seq, 1);
  EXPECT_EQ(created->history[1].seq, 2);

  Result<Case> loaded = store->GetByNumber(created->number);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ExpectSameCase(*loaded, *created);
  EXPECT_EQ(loaded->summary, c.summary);
}

TYPED_TEST(CaseStoreTest, R14_RoundTripsAbsentOptionalFieldsAndEmptyLists) {
  auto store = this->Open();
  ASSERT_TRUE(store);
  Case c = MakeCase("+79160000001", At(0));
  c.history.clear();
  c.agency = "";
  c.region = "";
  Result<Case> created = store->Create(c);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  Result<Case> loaded = store->GetByNumber(created->number);
  ASSERT_TRUE(loaded.ok());
  EXPECT_FALSE(loaded->portal_account_id.has_value());
  EXPECT_FALSE(loaded->due_at.has_value());
  ExpectSameCase(*loaded, *created);
}

TYPED_TEST(CaseStoreTest, GetByUnknownNumberIsNotFound) {
  auto store = this->Open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->GetByNumber("0000000000").status().code(), Status::Code::kNotFound);
}

// ---- numbers (R16) ----

TYPED_TEST(CaseStoreTest, R16_GeneratedNumbersAreValidUniqueAndFollowTheId) {
  auto store = this->Open();
  ASSERT_TRUE(store);
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    Result<Case> c = store->Create(MakeCase("+79160000002", At(i)));
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_TRUE(CaseNumber::IsValid(c->number)) << c->number;
    EXPECT_EQ(c->number, CaseNumber::FromSequence(c->id));
    EXPECT_TRUE(seen.insert(c->number).second) << "duplicate " << c->number;
  }
}

TYPED_TEST(CaseStoreTest, R17_ImportedNumbersAreKeptAndGeneratedNumbersSkipPastThem) {
  auto store = this->Open();
  ASSERT_TRUE(store);
  Case imported = MakeCase("+79160000003", At(0));
  imported.number = CaseNumber::FromSequence(500);
  Result<Case> a = store->Create(imported);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->number, CaseNumber::FromSequence(500));

  Result<Case> b = store->Create(MakeCase("+79160000003", At(1)));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->number, CaseNumber::FromSequence(501));

  // A number from before (below the current ids) and a legacy one: both kept.
  Case old = MakeCase("+79160000003", At(2));
  old.number = CaseNumber::FromSequence(7);
  Case legacy = MakeCase("+79160000003", At(3));
  legacy.number = "MSK-2019-000123";
  ASSERT_TRUE(store->Create(old).ok());
  ASSERT_TRUE(store->Create(legacy).ok());
  EXPECT_TRUE(store->GetByNumber("MSK-2019-000123").ok());

  Result<Case> c = store->Create(MakeCase("+79160000003", At(4)));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->number, CaseNumber::FromSequence(504));

  // Taking an imported number twice is refused.
  Result<Case> dup = store->Create(old);
  EXPECT_EQ(dup.status().code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(dup.status().field(), "number");
}

// ---- updates ----

TYPED_TEST(CaseStoreTest, UpdateWritesFieldsAppendsHistoryAndLinksAndBumpsVersion) {
  auto store = this->Open();
  ASSERT_TRUE(store);
  Result<Case> created = store->Create(MakeCase("+79160000004", At(0)));
  ASSERT_TRUE(created.ok());
  Case c = *created;
  c.status = CaseStatus::kInProgress;
  c.topic = "taxes";
  c.portal_account_id = "esia-7";
  c.updated_at = At(10);
  c.due_at = At(100);
  c.history.push_back({0, At(10), "operator3", "transition", "new -> in_progress"});
  c.links.push_back({"call", "call-2", At(10)});
  ASSERT_TRUE(store->Update(c, 1).ok());
  EXPECT_EQ(c.version, 2);
  EXPECT_EQ(c.history.back().seq, 2);

  c.history.push_back({0, At(11), "operator3", "note", "called back"});
  c.links.push_back({"recording", "rec-2", At(11)});
  ASSERT_TRUE(store->Update(c, 2).ok());
  EXPECT_EQ(c.version, 3);
  EXPECT_EQ(c.history.back().seq, 3);

  Result<Case> loaded = store->GetByNumber(c.number);
  ASSERT_TRUE(loaded.ok());
  ExpectSameCase(*loaded, c);
  ASSERT_EQ(loaded->history.size(), 3u);  // nothing stored twice
  ASSERT_EQ(loaded->links.size(), 2u);
}

TYPED_TEST(CaseStoreTest, UpdateWithStaleVersionIsConflictAndChangesNothing) {
  auto store = this->Open();
  ASSERT_TRUE(store);
  Result<Case> created = store->Create(MakeCase("+79160000005", At(0)));
  ASSERT_TRUE(created.ok());
  Case first = *created;
  Case second = *created;
  first.summary = "first writer";
  ASSERT_TRUE(store->Update(first, 1).ok());

  second.summary = "second writer";
  second.history.push_back({0, At(1), "operator9", "note", "lost"});
  Status st = store->Update(second, 1);
  EXPECT_EQ(st.code(), Status::Code::kConflict) << st.ToString();
  EXPECT_EQ(second.version, 1);

  Result<Case> loaded = store->GetByNumber(created->number);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->summary, "first writer");
  EXPECT_EQ(loaded->version, 2);
  EXPECT_EQ(loaded->history.size(), 1u);
}

TYPED_TEST(CaseStoreTest, UpdateOfUnknownCaseIsNotFoundAndOfUnloadedCaseIsRefused) {
  auto store = this->Open();
  ASSERT_TRUE(store);
  Case ghost = MakeCase("+79160000006", At(0));
  ghost.id = 4242;
  EXPECT_EQ(store->Update(ghost, 1).code(), Status::Code::kNotFound);
  ghost.id = 0;
  EXPECT_EQ(store->Update(ghost, 1).code(), Status::Code::kInvalidArgument);
}

// ---- queries (R16) ----

TYPED_TEST(CaseStoreTest, R16_FindByPhoneListsOpenCasesFirstThenNewest) {
  auto store = this->Open();
  ASSERT_TRUE(store);
  const std::string phone = "+79160000007";
  auto add = [&](int minute, CaseStatus s) {
    Result<Case> c = store->Create(MakeCase(phone, At(minute), s));
    EXPECT_TRUE(c.ok());
    return c.ok() ? c->number : std::string();
  };
  std::string closed_new = add(50, CaseStatus::kClosed);
  std::string open_old = add(10, CaseStatus::kInProgress);
  std::string resolved_mid = add(30, CaseStatus::kResolved);
  std::string open_new = add(40, CaseStatus::kWaitingCitizen);
  add(60, CaseStatus::kNew);  // same time as the next: the later id comes first
  std::string tie_later = add(60, CaseStatus::kEscalated);
  ASSERT_TRUE(store->Create(MakeCase("+79160000099", At(70))).ok());  // another phone

  Result<std::vector<Case>> found = store->FindByPhone(phone, 10);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  std::vector<std::string> got = Numbers(*found);
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(got[0], tie_later);
  EXPECT_EQ(got[2], open_new);
  EXPECT_EQ(got[3], open_old);
  EXPECT_EQ(got[4], closed_new);
  EXPECT_EQ(got[5], resolved_mid);
  for (const Case& c : *found) EXPECT_EQ(c.phone, phone);

  Result<std::vector<Case>> two = store->FindByPhone(phone, 2);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->size(), 2u);
  EXPECT_TRUE(store->FindByPhone("+79169999999", 5)->empty());
  EXPECT_EQ(store->FindByPhone(phone, 0).status().field(), "limit");
  EXPECT_EQ(store->FindByPhone(phone, kMaxPageSize + 1).status().code(),
            Status::Code::kInvalidArgument);
}

TYPED_TEST(CaseStoreTest, R16_SearchAppliesEveryFilterNewestFirst) {
  auto store = this->Open();
  ASSERT_TRUE(store);
  for (int i = 0; i < 40; ++i) {
    Case c = MakeCase("+7916000" + std::to_string(1000 + i % 4), At(i));
    c.status = i % 2 ? CaseStatus::kInProgress : CaseStatus::kNew;
    c.topic = i % 3 ? "taxes" : "pensions";
    c.region = i % 5 ? "77" : "50";
    c.agency = i % 7 ? "fns" : "sfr";
    ASSERT_TRUE(store->Create(c).ok());
  }
  auto search = [&](CaseQuery q) {
    q.limit = kMaxPageSize;
    Result<CasePage> page = store->Search(q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? page->cases : std::vector<Case>{};
  };
  auto expect_sorted = [](const std::vector<Case>& cases) {
    for (size_t i = 1; i < cases.size(); ++i) {
      EXPECT_GE(cases[i - 1].created_at, cases[i].created_at);
    }
  };

  std::vector<Case> all = search({});
  EXPECT_EQ(all.size(), 40u);
  expect_sorted(all);
  EXPECT_TRUE(all.front().history.empty());  // summary view

  CaseQuery q;
  q.status = CaseStatus::kInProgress;
  q.topic = "taxes";
  std::vector<Case> got = search(q);
  EXPECT_EQ(got.size(), 13u);  // odd i, not divisible by 3
  for (const Case& c : got) {
    EXPECT_EQ(c.status, CaseStatus::kInProgress);
    EXPECT_EQ(c.topic, "taxes");
  }
  expect_sorted(got);

  q = {};
  q.region = "50";
  q.agency = "fns";
  got = search(q);
  EXPECT_EQ(got.size(), 6u);  // i in {0,5,...,35} but not 0 and 35 (sfr)

  q = {};
  q.created_from = At(10);
  q.created_to = At(20);
  got = search(q);
  ASSERT_EQ(got.size(), 10u);
  EXPECT_EQ(got.front().created_at, At(19));
  EXPECT_EQ(got.back().created_at, At(10));

  q = {};
  q.phone = "+79160001001";
  got = search(q);
  EXPECT_EQ(got.size(), 10u);
  for (const Case& c : got) EXPECT_EQ(c.phone, "+79160001001");
}

// Collects every page of q, inserting `insert_between` new cases after each.
std::vector<Case> AllPages(CaseStore& store, CaseQuery q, int insert_between, int* pages) {
  std::vector<Case> out;
  *pages = 0;
  for (int guard = 0; guard < 1000; ++guard) {
    Result<CasePage> page = store.Search(q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) break;
    ++*pages;
    EXPECT_LE(page->cases.size(), static_cast<size_t>(q.limit));
    out.insert(out.end(), page->cases.begin(), page->cases.end());
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
    for (int i = 0; i < insert_between; ++i) {
      // Newer than everything, and one with a timestamp equal to the oldest.
      Case c = MakeCase(q.phone.value_or("+79160005555"), i == 0 ? At(0) : At(10'000 + guard));
      EXPECT_TRUE(store.Create(c).ok());
    }
  }
  return out;
}

TYPED_TEST(CaseStoreTest, R16_SearchPagesCoverEveryCaseOnceWhileCasesAreAdded) {
  auto store = this->Open();
  ASSERT_TRUE(store);
  std::set<std::string> original;
  for (int i = 0; i < 57; ++i) {
    // Several cases per minute, so pages break inside equal timestamps.
    Result<Case> c = store->Create(MakeCase("+79160005555", At(i / 3),
                                            i % 4 ? CaseStatus::kNew : CaseStatus::kClosed));
    ASSERT_TRUE(c.ok());
    original.insert(c->number);
  }
  for (bool by_phone : {false, true}) {
    SCOPED_TRACE(by_phone ? "by phone" : "all");
    CaseQuery q;
    q.limit = 10;
    if (by_phone) q.phone = "+79160005555";
    q.created_to = At(1000);  // the cases inserted while paging are later...
    int pages = 0;
    std::vector<Case> got = AllPages(*store, q, 2, &pages);
    // ...except one per page stamped At(0), which may show up on a later
    // page. What matters: nothing twice, no original case missed.
    std::set<std::string> seen;
    for (const Case& c : got) {
      EXPECT_TRUE(seen.insert(c.number).second) << "duplicate " << c.number;
    }
    for (const std::string& n : original) EXPECT_TRUE(seen.count(n)) << "missed " << n;
    EXPECT_GE(pages, 6);
  }
}

// R20 in the store: an operator's scope is part of the query, so every page
// is full of cases they may see and no cursor points past one they may not.
TYPED_TEST(CaseStoreTest, R20_ScopedSearchPagesOnlyOverVisibleCases) {
  auto store = this->Open();
  ASSERT_TRUE(store);
  std::set<std::string> visible;
  for (int i = 0; i < 30; ++i) {
    Case c = MakeCase("+79160007777", At(i));
    switch (i % 5) {
      case 0: c.topic = "pension"; break;  // their queue's topic
      case 1: c.history.push_back({0, At(i), "user:ivanova", "answered", "call x"}); break;
      case 2: c.history.push_back({0, At(i), "user:ivanova", "note", "wrote"}); break;
      case 3: c.history.push_back({0, At(i), "user:petrov", "answered", "call y"}); break;
      default: break;  // someone else's topic, nobody's
    }
    Result<Case> created = store->Create(c);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    if (i % 5 < 2) visible.insert(created->number);
  }
  // The newest cases are invisible: the last page must not point at them.
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(store->Create(MakeCase("+79160007777", At(100 + i))).ok());
  for (bool by_phone : {false, true}) {
    SCOPED_TRACE(by_phone ? "by phone" : "all");
    CaseQuery q;
    q.limit = 4;
    if (by_phone) q.phone = "+79160007777";
    q.scope = CaseScope{"user:ivanova", {"pension"}};
    std::set<std::string> seen;
    for (int guard = 0; guard < 100; ++guard) {
      Result<CasePage> page = store->Search(q);
      ASSERT_TRUE(page.ok()) << page.status().ToString();
      for (const Case& c : page->cases) {
        EXPECT_TRUE(visible.count(c.number)) << "not visible: " << c.number;
        seen.insert(c.number);
      }
      if (page->next_cursor.empty()) break;
      EXPECT_EQ(page->cases.size(), 4u) << "a page with a next page is full";
      q.cursor = page->next_cursor;
    }
    EXPECT_EQ(seen, visible);
  }
  CaseQuery only_handled;
  only_handled.scope = CaseScope{"user:ivanova", {}};
  Result<CasePage> page = store->Search(only_handled);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->cases.size(), 6u) << "answered only; a note does not count";
}

TYPED_TEST(CaseStoreTest, SearchRejectsMalformedCursorAndBadLimit) {
  auto store = this->Open();
  ASSERT_TRUE(store);
  for (const char* bad : {"x", "!!!!", "MToxOjA", "MToxOjE=", "MToxOjE6MQ", "bm90IGEgY3Vyc29y", "MjoxOjE"}) {
    CaseQuery q;
    q.cursor = bad;
    Status st = store->Search(q).status();
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << bad;
    EXPECT_EQ(st.field(), "cursor") << bad;
  }
  CaseQuery q;
  q.limit = 0;
  EXPECT_EQ(store->Search(q).status().field(), "limit");
  q.limit = kMaxPageSize + 1;
  EXPECT_EQ(store->Search(q).status().field(), "limit");
}

// ---- batches (R17) ----

TYPED_TEST(CaseStoreTest, R17_CreateBatchStoresAllAndAssignsNumbers) {
  auto store = this->Open();
  ASSERT_TRUE(store);
  std::vector<Case> batch;
  for (int i = 0; i < 5; ++i) batch.push_back(MakeCase("+79160000010", At(i)));
  batch[2].number = CaseNumber::FromSequence(77);
  ASSERT_TRUE(store->CreateBatch(batch).ok());
  std::set<std::string> numbers;
  for (const Case& c : batch) {
    EXPECT_GT(c.id, 0);
    EXPECT_EQ(c.version, 1);
    EXPECT_TRUE(numbers.insert(c.number).second);
    Result<Case> loaded = store->GetByNumber(c.number);
    ASSERT_TRUE(loaded.ok());
    ExpectSameCase(*loaded, c);
  }
  EXPECT_EQ(batch[2].number, CaseNumber::FromSequence(77));
}

TYPED_TEST(CaseStoreTest, R17_CreateBatchIsAllOrNothingOnDuplicateNumber) {
  auto store = this->Open();
  ASSERT_TRUE(store);
  Case existing = MakeCase("+79160000011", At(0));
  existing.number = "LEGACY-1";
  ASSERT_TRUE(store->Create(existing).ok());

  std::vector<Case> batch = {MakeCase("+79160000011", At(1)), MakeCase("+79160000011", At(2)),
                             MakeCase("+79160000011", At(3))};
  batch[0].number = "LEGACY-2";
  batch[2].number = "LEGACY-1";
  Status st = store->CreateBatch(batch);
  EXPECT_EQ(st.code(), Status::Code::kAlreadyExists) << st.ToString();
  EXPECT_NE(st.message().find("case 3 of the batch"), std::string::npos) << st.message();
  EXPECT_EQ(store->GetByNumber("LEGACY-2").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(batch[0].id, 0);  // nothing assigned on failure
  EXPECT_EQ(batch[1].number, "");
  EXPECT_EQ(store->FindByPhone("+79160000011", 10)->size(), 1u);

  // A duplicate inside the batch itself is refused the same way.
  std::vector<Case> twice = {MakeCase("+79160000011", At(4)), MakeCase("+79160000011", At(5))};
  twice[0].number = twice[1].number = "LEGACY-3";
  EXPECT_EQ(store->CreateBatch(twice).code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(store->FindByPhone("+79160000011", 10)->size(), 1u);
}

// ---- ForEach (R17 export) ----

TYPED_TEST(CaseStoreTest, R17_ForEachStreamsEveryCaseInIdOrderWithDetails) {
  auto store = this->Open();
  ASSERT_TRUE(store);
  std::vector<Case> created;
  for (int i = 0; i < 30; ++i) {
    Case c = MakeCase("+79160000012", At(i));
    for (int h = 0; h < i % 3; ++h) c.history.push_back({0, At(i), "op", "note", "n" + std::to_string(h)});
    for (int l = 0; l < i % 4; ++l) c.links.push_back({"call", "c" + std::to_string(l), At(i)});
    Result<Case> r = store->Create(c);
    ASSERT_TRUE(r.ok());
    created.push_back(*r);
  }
  size_t i = 0;
  Status st = store->ForEach([&](const Case& c) {
    if (i < created.size()) ExpectSameCase(c, created[i]);
    ++i;
    return true;
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(i, created.size());

  int visited = 0;
  EXPECT_TRUE(store->ForEach([&](const Case&) { return ++visited < 5; }).ok());
  EXPECT_EQ(visited, 5);
}

// ---- files, migrations, durability ----

TYPED_TEST(CaseStoreTest, DataSurvivesCloseAndReopen) {
  std::string number;
  {
    auto store = this->Open();
    ASSERT_TRUE(store);
    Case c = MakeCase("+79160000013", At(0));
    c.links.push_back({"recording", "r1", At(1)});
    Result<Case> r = store->Create(c);
    ASSERT_TRUE(r.ok());
    number = r->number;
  }
  auto store = this->Open();
  ASSERT_TRUE(store);
  Result<Case> loaded = store->GetByNumber(number);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->links.size(), 1u);
  Result<Case> next = store->Create(MakeCase("+79160000013", At(2)));
  ASSERT_TRUE(next.ok());
  EXPECT_NE(next->number, number);
  EXPECT_TRUE(store->Ping().ok());
}

TYPED_TEST(CaseStoreTest, CorruptedRowGivesCorruptionNotACrash) {
  std::string number;
  {
    auto store = this->Open();
    ASSERT_TRUE(store);
    Result<Case> r = store->Create(MakeCase("+79160000014", At(0)));
    ASSERT_TRUE(r.ok());
    number = r->number;
  }
  this->RawExec("UPDATE cases SET status = 'lost_in_space' WHERE number = '" + number + "'");
  auto store = this->Open();
  ASSERT_TRUE(store);
  Result<Case> got = store->GetByNumber(number);
  ASSERT_EQ(got.status().code(), Status::Code::kCorruption) << got.status().ToString();
  EXPECT_NE(got.status().message().find("lost_in_space"), std::string::npos);
  EXPECT_EQ(store->FindByPhone("+79160000014", 5).status().code(), Status::Code::kCorruption);
  EXPECT_EQ(store->Search({}).status().code(), Status::Code::kCorruption);
  EXPECT_EQ(store->ForEach([](const Case&) { return true; }).code(), Status::Code::kCorruption);

  this->RawExec("UPDATE cases SET status = 'new', channel = 'pigeon'");
  EXPECT_EQ(store->GetByNumber(number).status().code(), Status::Code::kCorruption);
  // The store stays usable for healthy rows.
  EXPECT_TRUE(store->Create(MakeCase("+79160000015", At(1))).ok());
}

// ---- concurrency ----

TYPED_TEST(CaseStoreTest, ConcurrentCreatesFromFourThreadsGetUniqueNumbers) {
  auto store = this->Open();
  ASSERT_TRUE(store);
  constexpr int kThreads = 4, kPerThread = 100;
  std::vector<std::vector<std::string>> numbers(kThreads);
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Result<Case> c = store->Create(MakeCase("+7916100000" + std::to_string(t), At(i)));
        if (c.ok()) {
          numbers[t].push_back(c->number);
        } else {
          ++failures[t];
        }
        // Readers run alongside the writers.
        if (i % 10 == 0 && !store->FindByPhone("+7916100000" + std::to_string(t), 5).ok()) {
          ++failures[t];
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  std::set<std::string> all;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], 0);
    for (const std::string& n : numbers[t]) {
      EXPECT_TRUE(CaseNumber::IsValid(n));
      EXPECT_TRUE(all.insert(n).second) << "duplicate " << n;
    }
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(this->RawCount("SELECT COUNT(*) FROM cases"), kThreads * kPerThread);
}

// In a commit group one failing write must not undo or fail the others.
TYPED_TEST(CaseStoreTest, FailingWriteInAGroupLeavesTheOthersCommitted) {
  auto store = this->Open();
  ASSERT_TRUE(store);
  Case taken = MakeCase("+79160000016", At(0));
  taken.number = "TAKEN";
  ASSERT_TRUE(store->Create(taken).ok());
  constexpr int kThreads = 4, kPerThread = 50;
  std::vector<int> ok(kThreads, 0), refused(kThreads, 0), other(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Case c = MakeCase("+79160000017", At(i));
        if (i % 5 == 0) c.number = "TAKEN";
        Result<Case> r = store->Create(c);
        if (r.ok()) {
          ++ok[t];
        } else if (r.status().code() == Status::Code::kAlreadyExists) {
          ++refused[t];
        } else {
          ++other[t];
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  int total_ok = 0;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(refused[t], kPerThread / 5);
    EXPECT_EQ(other[t], 0);
    total_ok += ok[t];
  }
  EXPECT_EQ(total_ok, kThreads * kPerThread * 4 / 5);
  EXPECT_EQ(this->RawCount("SELECT COUNT(*) FROM cases WHERE phone = '+79160000017'"), total_ok);
}

// ---- schema ----

TYPED_TEST(CaseStoreTest, DatabaseFromNewerBinaryIsRefusedClearly) {
  { ASSERT_TRUE(this->Open()); }
  this->RawExec("INSERT INTO schema_migrations (version, applied_at_ms) VALUES (99, 0)");
  Result<std::unique_ptr<CaseStore>> store = this->engine_.OpenCases();
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("99"), std::string::npos) << store.status().message();
}

// ---- several nodes (R4, R11) ----

// Two opens of the same database (two nodes, or two processes for SQLite),
// each written by two threads: every number given out once, every write kept.
TYPED_TEST(CaseStoreTest, R4_CreatesFromTwoNodesAtOnceGetUniqueNumbers) {
  std::unique_ptr<CaseStore> nodes[2] = {this->Open(), this->Open()};
  ASSERT_TRUE(nodes[0] && nodes[1]);
  constexpr int kThreads = 4, kPerThread = 50;
  std::vector<std::vector<std::string>> numbers(kThreads);
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      CaseStore& store = *nodes[t % 2];
      for (int i = 0; i < kPerThread; ++i) {
        Result<Case> c = store.Create(MakeCase("+7916200000" + std::to_string(t), At(i)));
        if (!c.ok()) {
          errors[t] = c.status().ToString();
          return;
        }
        numbers[t].push_back(c->number);
      }
    });
  }
  for (std::thread& th : threads) th.join();
  std::set<std::string> all;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(errors[t], "") << "thread " << t;
    for (const std::string& n : numbers[t]) EXPECT_TRUE(all.insert(n).second) << "duplicate " << n;
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
  // What one node wrote, the other reads.
  Result<std::vector<Case>> seen = nodes[1]->FindByPhone("+79162000000", kMaxPageSize);
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  EXPECT_EQ(seen->size(), static_cast<size_t>(kPerThread));
}

// Two nodes update the same case from the same version: one wins, the other
// is told of the conflict, and nothing of the loser is stored.
TYPED_TEST(CaseStoreTest, R4_SameCaseUpdatedOnTwoNodesIsAConflictForOne) {
  std::unique_ptr<CaseStore> a = this->Open();
  std::unique_ptr<CaseStore> b = this->Open();
  ASSERT_TRUE(a && b);
  Result<Case> created = a->Create(MakeCase("+79162000009", At(0)));
  ASSERT_TRUE(created.ok());
  Result<Case> on_b = b->GetByNumber(created->number);
  ASSERT_TRUE(on_b.ok());
  Case first = *created;
  first.summary = "node a";
  ASSERT_TRUE(a->Update(first, 1).ok());
  Case second = *on_b;
  second.summary = "node b";
  second.history.push_back({0, At(1), "op", "note", "lost"});
  EXPECT_EQ(b->Update(second, 1).code(), Status::Code::kConflict);
  Result<Case> now = b->GetByNumber(created->number);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->summary, "node a");
  EXPECT_EQ(now->history.size(), 1u);
}

// ---- encryption at rest (R22) ----

const std::string kKeyHex1 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kKeyHex2 = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";

std::shared_ptr<const RowCipher> MakeCipher(const std::string& ring_text) {
  Result<security::KeyRing> ring = security::KeyRing::Parse(ring_text, "test ring");
  EXPECT_TRUE(ring.ok()) << ring.status().ToString();
  Result<security::FieldCipher> c = security::FieldCipher::Create(
      std::make_shared<const security::KeyRing>(std::move(*ring)));
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::make_shared<const security::StorageRowCipher>(
      std::make_shared<const security::FieldCipher>(std::move(*c)), "key file test.key");
}

TYPED_TEST(CaseStoreTest, R22_NoClearPhoneNameOrNoteInTheRowsAndPhoneLookupsWork) {
  const std::string phone = "+79161234567";
  auto store = this->Open(MakeCipher("k1:" + kKeyHex1));
  ASSERT_TRUE(store);
  Case c = MakeCase(phone, At(0));
  c.portal_account_id = "portal-7781";
  c.summary = "Ivanov Ivan asks about the pension recalculation";
  c.history.push_back({0, At(1), "op1", "note", "called back on 8 916 123-45-67"});
  Result<Case> created = store->Create(c);
  ASSERT_TRUE(created.ok()) << created.status().ToString();

  // Lookups by phone, in any accepted form, go through the keyed hash.
  Result<std::vector<Case>> found = store->FindByPhone("8 (916) 123-45-67", 10);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].phone, phone);
  EXPECT_EQ((*found)[0].summary, c.summary);
  CaseQuery q;
  q.phone = phone;
  Result<CasePage> page = store->Search(q);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->cases.size(), 1u);
  Result<Case> full = store->GetByNumber(created->number);
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  EXPECT_EQ(full->portal_account_id, "portal-7781");
  ASSERT_EQ(full->history.size(), 2u);
  EXPECT_EQ(full->history[1].detail, "called back on 8 916 123-45-67");

  // The rows as stored: no phone in any form, no name, no note.
  const std::string rows = this->RawTable("cases") + this->RawTable("case_history");
  ASSERT_NE(rows.find(created->number), std::string::npos) << rows;  // the rows are there
  for (const char* secret : {"9161234567", "123-45-67", "Ivanov", "pension", "portal-7781"}) {
    EXPECT_EQ(rows.find(secret), std::string::npos) << secret << " in\n" << rows;
  }
  EXPECT_NE(rows.find("registration"), std::string::npos);  // non-personal columns in clear
}

TYPED_TEST(CaseStoreTest, R22_WrongKeyOrNoKeyIsRefusedBeforeAnythingIsRead) {
  {
    auto store = this->Open(MakeCipher("k1:" + kKeyHex1));
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Create(MakeCase("+79161234567", At(0))).ok());
  }
  Result<std::unique_ptr<CaseStore>> wrong =
      this->engine_.OpenCases(MakeCipher("k2:" + kKeyHex2));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(wrong.status().message().find("test.key"), std::string::npos)
      << wrong.status().message();
  Result<std::unique_ptr<CaseStore>> none = this->engine_.OpenCases(nullptr);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("without a data key"), std::string::npos)
      << none.status().message();
}

}  // namespace
}  // namespace gosline
