// The oracle of a fuzz target: a property that must hold for every input.
// A violation aborts, which libFuzzer and the regression replay both report
// as a crash with the input that caused it (assert() would vanish in
// release-style builds, and the fuzz build must check in all of them).
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                                   \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      std::fprintf(stderr, "%s:%d: fuzz property failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                        \
    }                                                                                      \
  } while (0)
