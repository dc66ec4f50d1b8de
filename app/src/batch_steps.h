// app/: the pieces of the batch shared by the parent (batch.cpp) and a document's child process
// (batch_worker.cpp).
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "tally/app/batch.h"
#include "tally/export/export.h"

namespace tally::app::detail {

nlohmann::json json_of(const BatchRecord& record);
BatchRecord record_of(const nlohmann::json& json);

// The ledger: one record per document name, rewritten atomically after each document.
class Ledger {
 public:
  explicit Ledger(std::filesystem::path path) : path_(std::move(path)) {
    std::ifstream in(path_);
    if (!in) return;
    try {
      const nlohmann::json j = nlohmann::json::parse(in);
      for (const nlohmann::json& d : j.at("documents")) {
        BatchRecord r = record_of(d);
        records_[r.name] = r;
      }
    } catch (const std::exception&) {
      records_.clear();  // an unreadable ledger is a fresh start, not a failure
    }
  }
  // The done record for this content, if any.
  const BatchRecord* done(const std::string& sha256) const {
    if (sha256.empty()) return nullptr;
    for (const auto& [name, r] : records_)
      if (r.status == "done" && r.sha256 == sha256) return &r;
    return nullptr;
  }
  const BatchRecord* find(const std::string& name) const {
    const auto it = records_.find(name);
    return it == records_.end() ? nullptr : &it->second;
  }
  void put(const BatchRecord& record) {
    records_[record.name] = record;
    save();
  }
  // Without saving (a merge saves once at the end).
  void set(const BatchRecord& record) { records_[record.name] = record; }
  const std::map<std::string, BatchRecord>& records() const { return records_; }
  void save() const {
    nlohmann::json documents = nlohmann::json::array();
    for (const auto& [name, r] : records_) documents.push_back(json_of(r));
    exports::write_file_atomically(
        path_, nlohmann::json{{"version", 1}, {"documents", documents}}.dump(1) + "\n");
  }

 private:
  std::filesystem::path path_;
  std::map<std::string, BatchRecord> records_;
};

// Reads one document and writes its outputs and its database rows (`database` may be null; with
// `database_mutex` when threads share it). Fills `record`: status done or error, counts, producer.
// Never throws: whatever goes wrong is the record's error.
void read_one_document(const BatchInput& input, const std::filesystem::path& outdir,
                       const BatchOptions& options, exports::CorpusWriter* database,
                       std::mutex* database_mutex, BatchRecord& record);

// The corpus database a batch writes, or null: BatchOptions::database, else OUTDIR/tally.sqlite
// when the sqlite format is asked for.
std::unique_ptr<exports::CorpusWriter> open_batch_database(const std::filesystem::path& outdir,
                                                           const BatchOptions& options);

// What the parent sends a child and reads back.
nlohmann::json request_of(const BatchInput& input, const std::filesystem::path& outdir,
                          const BatchOptions& options);

// Runs one document in a child process under the options' limits. `record` holds the name and hash
// on entry; on return it is the child's record, or an error record naming the signal or limit.
void read_in_child(const BatchInput& input, const std::filesystem::path& outdir,
                   const BatchOptions& options, BatchRecord& record);

}  // namespace tally::app::detail
