"""The layer check on a fixture tree with known violations (and on nothing
else), so that a check that passes on src/ is known to be able to fail."""

import pathlib
import subprocess
import sys
import unittest

import check_layers

HERE = pathlib.Path(__file__).resolve().parent
TREE = HERE / "fixtures" / "tree"
FIXTURE_EXCEPTIONS = {
    ("src/security/auth.h", "app/clock.h"): "fixture",
    ("src/security/gone.h", "app/clock.h"): "fixture: matches nothing",
}


class CheckLayersTest(unittest.TestCase):
    def test_reports_each_violation_with_file_and_line(self):
        violations, _ = check_layers.check(TREE, FIXTURE_EXCEPTIONS)
        self.assertEqual(
            [v.split(" ", 1)[0] for v in violations],
            ["src/app/service.h:5:",
             "src/app/service_test.cc:4:",
             "src/core/cases/rule.h:3:",
             "src/http/routes.cc:4:",
             "src/knowledge/kb.h:3:",
             "src/storage/postgres/engine.h:3:",
             "src/storage/store.h:3:",
             "src/widgets/widget.h:1:"],
            "\n".join(violations))

    def test_says_what_the_layer_may_include(self):
        violations, _ = check_layers.check(TREE, FIXTURE_EXCEPTIONS)
        text = "\n".join(violations)
        self.assertIn("src/core/cases/rule.h:3: core includes app/service.h; core may include core",
                      text)
        self.assertIn("src/storage/store.h:3: storage includes config/settings.h; "
                      "storage may include core, storage", text)
        self.assertIn("src/app/service.h:5: app names a storage engine "
                      "(storage/sqlite/engine.h)", text)
        self.assertIn("src/storage/postgres/engine.h:3: storage names a storage engine "
                      "(storage/sqlite/engine.h)", text)

    def test_an_exception_allows_its_include_and_a_stale_one_is_reported(self):
        violations, stale = check_layers.check(TREE, FIXTURE_EXCEPTIONS)
        self.assertFalse(any(v.startswith("src/security/") for v in violations))
        self.assertEqual(len(stale), 1)
        self.assertTrue(stale[0].startswith("src/security/gone.h: exception for app/clock.h"))
        without, _ = check_layers.check(TREE, {})
        self.assertIn("src/security/auth.h:5:", "\n".join(without))

    def test_command_fails_on_the_fixture(self):
        run = subprocess.run([sys.executable, str(HERE / "check_layers.py"), str(TREE)],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(run.returncode, 1, run.stdout + run.stderr)
        self.assertIn("src/core/cases/rule.h:3: core includes app/service.h", run.stdout)

    def test_ranks_follow_the_intended_order(self):
        order = ["core", "storage", "app", "http", "cli"]
        for lower, higher in zip(order, order[1:]):
            self.assertLess(check_layers.RANKS[lower], check_layers.RANKS[higher])
        self.assertEqual(check_layers.allowed_layers("app"),
                         ["core", "config", "security", "storage", "app"])


if __name__ == "__main__":
    unittest.main()
