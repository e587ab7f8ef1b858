// The release manifest's text (R22, integrity of the installed software):
// what is written reads back the same, and anything else is refused with its
// line, since a manifest is only ever written by `gosline release sign`.
#include "security/release_manifest.h"

#include <gtest/gtest.h>

namespace gosline::security {
namespace {

const std::string kDigestA(64, 'a');
const std::string kDigestB = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

TEST(ReleaseManifest, RendersSortedAndReadsBack) {
  Result<std::string> text = RenderManifest({{"web/index.html", kDigestA},
                                             {"bin/gosline", kDigestB},
                                             {"data/knowledge/snils.md", kDigestA}});
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, "gosline-manifest 1\n" + kDigestB + "  bin/gosline\n" + kDigestA +
                       "  data/knowledge/snils.md\n" + kDigestA + "  web/index.html\n");
  Result<std::vector<ManifestEntry>> back = ParseManifest(*text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->size(), 3u);
  EXPECT_EQ((*back)[0].path, "bin/gosline");
  EXPECT_EQ((*back)[0].sha256_hex, kDigestB);
  EXPECT_EQ((*back)[2].path, "web/index.html");
}

TEST(ReleaseManifest, PathsWithSpacesAndUnicodeAreKept) {
  Result<std::string> text = RenderManifest({{"data/knowledge/справка о судимости.md", kDigestA}});
  ASSERT_TRUE(text.ok());
  Result<std::vector<ManifestEntry>> back = ParseManifest(*text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->front().path, "data/knowledge/справка о судимости.md");
}

TEST(ReleaseManifest, RefusesPathsThatLeaveTheirArea) {
  for (const char* bad : {"", "gosline", "web/../../etc/passwd", "/etc/passwd", "web//x", "web/./x",
                          "web/a\nb", "web/a\\b", "web/"}) {
    EXPECT_FALSE(IsManifestPath(bad)) << bad;
    EXPECT_FALSE(RenderManifest({{bad, kDigestA}}).ok()) << bad;
  }
  EXPECT_TRUE(IsManifestPath("web/assets/app.js"));
}

TEST(ReleaseManifest, RefusesDuplicatesOnWriting) {
  EXPECT_FALSE(RenderManifest({{"web/a", kDigestA}, {"web/a", kDigestB}}).ok());
  EXPECT_FALSE(RenderManifest({{"web/a", "ABCDEF"}}).ok());
  EXPECT_FALSE(RenderManifest({{"web/a", std::string(64, 'A')}}).ok());  // lowercase only
}

TEST(ReleaseManifest, HostileTextIsRefusedWithItsLine) {
  const std::string header = "gosline-manifest 1\n";
  const std::string line_a = kDigestA + "  web/a\n";
  const std::string line_b = kDigestA + "  web/b\n";
  struct Case {
    std::string text;
    std::string says;
  };
  for (const Case& c : std::vector<Case>{
           {"", "empty"},
           {"gosline-manifest 2\n", "line 1"},
           {header + line_a.substr(0, line_a.size() - 1), "line 2: no line end"},
           {header + line_b + line_a, "line 3: paths out of order"},
           {header + line_a + line_a, "line 3"},
           {header + kDigestA + " web/a\n", "line 2"},
           {header + kDigestA + "  \n", "line 2"},
           {header + std::string(63, 'a') + "g  web/a\n", "line 2: not a SHA-256"},
           {header + kDigestA + "  web/../x\n", "line 2: not a manifest path"},
           {header + "\n", "line 2"},
       }) {
    Result<std::vector<ManifestEntry>> r = ParseManifest(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.status().message().find(c.says), std::string::npos) << r.status().message();
  }
  EXPECT_TRUE(ParseManifest(header).ok());  // nothing installed is a valid, if odd, manifest
}

}  // namespace
}  // namespace gosline::security
