// Where cases live. One interface, two engines: SQLite (embedded default,
// storage/sqlite) and PostgreSQL (scale-out, later). Every method is atomic:
// when it returns ok the change is durable (survives kill -9 of the process).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/cases/case.h"
#include "core/cases/case_query.h"
#include "core/common/status.h"

namespace gosline {

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  // Inserts a new case with its history and links. Assigns id and, when
  // c.number is empty, the number (CaseNumber::FromSequence(id)). version = 1.
  virtual Result<Case> Create(const Case& c) = 0;

  // Inserts many cases in one transaction: all or nothing (used by import).
  // Cases that carry a number keep it; a duplicate number fails the batch.
  virtual Status CreateBatch(std::vector<Case>& cases) = 0;

  // Full case with history and links.
  virtual Result<Case> GetByNumber(const std::string& number) = 0;

  // Writes the changed case when its stored version is still
  // expected_version (else kConflict), appending only the history entries
  // and links with seq/positions beyond what is stored. Bumps c.version.
  virtual Status Update(Case& c, int64_t expected_version) = 0;

  // Cases of one phone: open first, then newest first.
  virtual Result<std::vector<Case>> FindByPhone(const std::string& e164, int limit) = 0;

  virtual Result<CasePage> Search(const CaseQuery& q) = 0;

  // Streams every case (with history and links) in id order; used by export.
  // The visitor returns false to stop.
  virtual Status ForEach(const std::function<bool(const Case&)>& visit) = 0;

  // Liveness of the engine (used by /readyz).
  virtual Status Ping() = 0;
};

}  // namespace gosline
