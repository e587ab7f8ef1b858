#include "storage/sqlite/group_commit.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace gosline::sqlite {
namespace {

std::unique_ptr<GroupCommitWriter> MakeWriter(
    GroupCommitWriter::OnUnitError on_error = GroupCommitWriter::OnUnitError::kFailAlone) {
  auto conn = SqliteConnection::Open(":memory:", {});
  EXPECT_TRUE(conn.ok());
  EXPECT_TRUE((*conn)->Exec("CREATE TABLE t (v INTEGER PRIMARY KEY)").ok());
  return std::make_unique<GroupCommitWriter>(std::move(*conn), 64, on_error);
}

GroupCommitWriter::Work Insert(int v) {
  return [v](SqliteConnection& conn) {
    return conn.Exec("INSERT INTO t (v) VALUES (" + std::to_string(v) + ")");
  };
}

int64_t Count(GroupCommitWriter& w) {
  int64_t n = -1;
  EXPECT_TRUE(w.WithConnection([&](SqliteConnection& conn) {
                 GOSLINE_ASSIGN_OR_RETURN(std::string text,
                     conn.QueryText("SELECT COUNT(*) FROM t"));
                 n = std::stoll(text);
                 return Status::Ok();
               }).ok());
  return n;
}

// Writers that queue while a transaction runs are committed together by the
// next leader, each in its own savepoint: one failing unit leaves the rest.
TEST(GroupCommitTest, QueuedWritesShareOneTransactionAndFailAlone) {
  auto writer = MakeWriter();
  ASSERT_TRUE(writer->Run(Insert(1)).ok());

  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  std::thread first([&] {
    EXPECT_TRUE(writer->Run([&](SqliteConnection& conn) {
                        entered.set_value();
                        // Hold the writer while the others queue (bounded).
                        released.wait_for(std::chrono::seconds(30));
                        return Insert(2)(conn);
                      }).ok());
  });
  EXPECT_EQ(entered.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
  std::vector<std::thread> others;
  std::vector<Status> results(3);
  int values[3] = {3, 1 /* duplicate key: fails */, 4};
  for (int i = 0; i < 3; ++i) {
    others.emplace_back([&, i] { results[i] = writer->Run(Insert(values[i])); });
  }
  for (int i = 0; i < 5000 && writer->queued() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const size_t queued = writer->queued();
  release.set_value();
  first.join();
  for (std::thread& t : others) t.join();
  ASSERT_EQ(queued, 3u);

  EXPECT_TRUE(results[0].ok()) << results[0].ToString();
  EXPECT_EQ(results[1].code(), Status::Code::kAlreadyExists) << results[1].ToString();
  EXPECT_TRUE(results[2].ok()) << results[2].ToString();
  EXPECT_EQ(Count(*writer), 4);  // 1, 2, 3, 4
  GroupCommitWriter::Stats stats = writer->stats();
  EXPECT_EQ(stats.groups, 3u);  // {1}, {2}, {3, dup, 4}
  EXPECT_EQ(stats.units, 5u);
}

// kFailGroup: one failing unit fails and undoes every unit of its group,
// and only that group; the writer goes on with the next.
TEST(GroupCommitTest, FailGroupModeWritesAGroupWholeOrNotAtAll) {
  auto writer = MakeWriter(GroupCommitWriter::OnUnitError::kFailGroup);
  ASSERT_TRUE(writer->Run(Insert(1)).ok());

  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  std::thread first([&] {
    EXPECT_TRUE(writer->Run([&](SqliteConnection& conn) {
                        entered.set_value();
                        released.wait_for(std::chrono::seconds(30));
                        return Insert(2)(conn);
                      }).ok());
  });
  EXPECT_EQ(entered.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
  std::vector<std::thread> others;
  std::vector<Status> results(3);
  int values[3] = {3, 1 /* duplicate key: fails */, 4};
  for (int i = 0; i < 3; ++i) {
    others.emplace_back([&, i] { results[i] = writer->Run(Insert(values[i])); });
  }
  for (int i = 0; i < 5000 && writer->queued() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const size_t queued = writer->queued();
  const size_t in_flight = writer->in_flight();
  release.set_value();
  first.join();
  for (std::thread& t : others) t.join();
  ASSERT_EQ(queued, 3u);
  EXPECT_EQ(in_flight, 4u);  // the three queued and the one being run

  EXPECT_EQ(results[0].code(), Status::Code::kIoError) << results[0].ToString();
  EXPECT_EQ(results[1].code(), Status::Code::kAlreadyExists) << results[1].ToString();
  EXPECT_EQ(results[2].code(), Status::Code::kIoError) << results[2].ToString();
  // The three threads queue in any order: the duplicate is unit 1, 2 or 3.
  EXPECT_NE(results[2].message().find(" of 3 failed"), std::string::npos)
      << results[2].message();
  EXPECT_EQ(Count(*writer), 2);  // 1, 2: nothing of {3, dup, 4}
  EXPECT_EQ(writer->in_flight(), 0u);
  ASSERT_TRUE(writer->Run(Insert(3)).ok());
  EXPECT_EQ(Count(*writer), 3);
  EXPECT_EQ(writer->stats().groups, 4u);  // {1}, {2}, {3, dup, 4}, {3}
}

TEST(GroupCommitTest, ALoneFailingWriteIsRolledBack) {
  auto writer = MakeWriter();
  Status st = writer->Run([](SqliteConnection& conn) {
    GOSLINE_RETURN_IF_ERROR(Insert(10)(conn));
    return Status::InvalidArgument("changed my mind");
  });
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Count(*writer), 0);
}

}  // namespace
}  // namespace gosline::sqlite
