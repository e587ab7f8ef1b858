#include "storage/page_cursor.h"

#include <gtest/gtest.h>

namespace gosline {
namespace {

TEST(PageCursorTest, RoundTripsKeys) {
  for (PageKey key : {PageKey{0, 0, 1}, PageKey{1, 1'760'000'000'123, 42},
                      PageKey{0, -5, 999'999'999}, PageKey{1, INT64_MAX, INT64_MAX}}) {
    std::string cursor = EncodeCursor(key);
    EXPECT_EQ(cursor.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos)
        << cursor;
    Result<PageKey> back = DecodeCursor(cursor);
    ASSERT_TRUE(back.ok()) << cursor;
    EXPECT_EQ(back->open, key.open);
    EXPECT_EQ(back->created_ms, key.created_ms);
    EXPECT_EQ(back->id, key.id);
  }
}

TEST(PageCursorTest, RejectsAnythingItDidNotProduce) {
  std::string valid = EncodeCursor({1, 1000, 7});
  std::string long_one(200, 'A');
  for (const std::string& bad :
       {std::string("x"), std::string("@@@@"), valid + "=", valid.substr(0, valid.size() - 1),
        std::string(" ") + valid, long_one, EncodeCursor({2, 1, 1}), EncodeCursor({0, 1, 0}),
        std::string("MToxOjE6MQ"), std::string("MToxOg"), std::string("YTpiOmM")}) {
    Result<PageKey> r = DecodeCursor(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().field(), "cursor") << bad;
  }
}

}  // namespace
}  // namespace gosline
