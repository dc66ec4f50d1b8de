// The corpus database of a batch (SQLite).
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "corpus_rows.h"
#include "tally/core/error.h"
#include "tally/export/export.h"

namespace tally::exports {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS documents (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,             -- the input as the batch named it
  file TEXT NOT NULL,             -- file name
  sha256 TEXT NOT NULL UNIQUE,
  bytes INTEGER, page_count INTEGER,
  department TEXT, year INTEGER, kind TEXT, unit TEXT,   -- kind: budget | final_account | unknown
  n_tables INTEGER, checks_held INTEGER, checks_repaired INTEGER, checks_broken INTEGER,
  cells_repaired INTEGER, cells_flagged INTEGER,
  tally_version TEXT, poppler_version TEXT, tesseract_version TEXT,  -- what read it
  options TEXT                    -- the options that change the reading
);
CREATE TABLE IF NOT EXISTS tables (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  table_index INTEGER NOT NULL,   -- Table::id within the document
  number INTEGER,                 -- the printed 表 N
  title TEXT, kind TEXT, department TEXT, unit TEXT,
  first_page INTEGER, last_page INTEGER, n_rows INTEGER, n_cols INTEGER, header_rows INTEGER
);
CREATE TABLE IF NOT EXISTS cells (
  table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
  row INTEGER NOT NULL, col INTEGER NOT NULL, rowspan INTEGER, colspan INTEGER,
  is_header INTEGER NOT NULL,
  page INTEGER, text TEXT,
  read TEXT,                      -- the amount as first read (exact decimal text)
  value TEXT,                     -- the final amount (exact decimal text)
  amount REAL,                    -- the final amount as a number, for sums
  status TEXT,                    -- ok | repaired | flagged
  status_note TEXT,
  row_code TEXT,                  -- the row's classification code (类款项 joined), if any
  row_label TEXT, row_role TEXT,
  header_path TEXT,               -- the column's merged header texts joined with '/'
  column_role TEXT,
  PRIMARY KEY (table_id, row, col)
);
CREATE TABLE IF NOT EXISTS checks (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  check_id TEXT, kind TEXT, origin TEXT, description TEXT,
  status TEXT,                    -- held | held_rounding | held_after_repair | broken
  residual TEXT, tolerance TEXT   -- exact decimal text
);
CREATE TABLE IF NOT EXISTS check_terms (
  check_id INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
  table_id INTEGER NOT NULL, row INTEGER NOT NULL, col INTEGER NOT NULL, coefficient INTEGER
);
CREATE TABLE IF NOT EXISTS errors (
  path TEXT PRIMARY KEY, sha256 TEXT, code TEXT, message TEXT
);
CREATE INDEX IF NOT EXISTS cells_code ON cells(row_code);
CREATE INDEX IF NOT EXISTS tables_document ON tables(document_id);
CREATE INDEX IF NOT EXISTS checks_document ON checks(document_id);
)sql";

// A prepared statement with positional binds.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
      throw core::Error(core::ErrorCode::Internal, std::string("sqlite: ") + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, const std::string& text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, const char* text) { return bind(i, std::string(text)); }
  Statement& bind(int i, std::int64_t n) {
    sqlite3_bind_int64(stmt_, i, n);
    return *this;
  }
  Statement& bind(int i, int n) { return bind(i, static_cast<std::int64_t>(n)); }
  Statement& bind(int i, double x) {
    sqlite3_bind_double(stmt_, i, x);
    return *this;
  }
  Statement& bind_null(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  Statement& bind(int i, const detail::Value& value) {
    if (const auto* n = std::get_if<std::int64_t>(&value)) return bind(i, *n);
    if (const auto* x = std::get_if<double>(&value)) return bind(i, *x);
    if (const auto* text = std::get_if<std::string>(&value)) return bind(i, *text);
    return bind_null(i);
  }
  // Steps once; true while it yields a row.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE)
      throw core::Error(core::ErrorCode::OutputUnwritable,
                        std::string("corpus database: ") + sqlite3_errmsg(db_));
    return false;
  }
  std::string text(int column) const {
    const unsigned char* t = sqlite3_column_text(stmt_, column);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  // Runs it and resets it for the next binds.
  void run() {
    const int rc = sqlite3_step(stmt_);
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
      throw core::Error(core::ErrorCode::OutputUnwritable,
                        std::string("corpus database: ") + sqlite3_errmsg(db_));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// How long a writer waits for another process holding the database (shards of one machine writing
// one file): a document's transaction takes well under a second; a minute is ample.
constexpr int kBusyTimeoutMs = 60'000;

// The tables whose ids others refer to; merging shifts them past the ids already present.
constexpr const char* kCorpusTables[] = {"documents", "tables", "cells", "checks", "check_terms"};

class SqliteSink : public detail::RowSink {
 public:
  explicit SqliteSink(sqlite3* db) : db_(db) {}
  std::int64_t insert(const char* table, const detail::Row& row) override {
    auto& statement = statements_[table];
    if (!statement) {
      std::string sql = std::string("INSERT INTO ") + table + " (", marks;
      for (const auto& [column, value] : row) {
        sql += std::string(marks.empty() ? "" : ", ") + "\"" + column + "\"";
        marks += marks.empty() ? "?" : ",?";
      }
      statement = std::make_unique<Statement>(db_, (sql + ") VALUES (" + marks + ")").c_str());
    }
    int i = 1;
    for (const auto& [column, value] : row) statement->bind(i++, value);
    statement->run();
    return sqlite3_last_insert_rowid(db_);
  }

 private:
  sqlite3* db_;
  std::map<std::string, std::unique_ptr<Statement>> statements_;
};

std::vector<std::string> columns_of(sqlite3* db, const std::string& schema,
                                    const std::string& table) {
  std::vector<std::string> columns;
  Statement info(db, ("PRAGMA " + schema + ".table_info(" + table + ")").c_str());
  while (info.step()) columns.push_back(info.text(1));
  return columns;
}

}  // namespace

struct CorpusDatabase::Impl {
  sqlite3* db = nullptr;
  std::string path;

  void exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string why = message ? message : "unknown error";
      sqlite3_free(message);
      throw core::Error(core::ErrorCode::OutputUnwritable,
                        path + ": cannot write the corpus database (" + why + ").");
    }
  }
  // A database made before the producer columns existed gets them (NULL for its old rows).
  void add_missing_columns() {
    const std::vector<std::string> have = columns_of(db, "main", "documents");
    for (const char* column : detail::kProducerColumns)
      if (std::find(have.begin(), have.end(), column) == have.end())
        exec(std::string("ALTER TABLE documents ADD COLUMN ") + column + " TEXT");
  }
};

const char* CorpusDatabase::schema() {
  return kSchema;
}

CorpusDatabase::CorpusDatabase(const std::filesystem::path& path) : impl_(new Impl) {
  impl_->path = path.string();
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (sqlite3_open_v2(impl_->path.c_str(), &impl_->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    const std::string why = impl_->db ? sqlite3_errmsg(impl_->db) : "out of memory";
    sqlite3_close(impl_->db);
    delete impl_;
    throw core::Error(core::ErrorCode::OutputUnwritable,
                      path.string() + ": cannot open the corpus database (" + why + ").");
  }
  sqlite3_busy_timeout(impl_->db, kBusyTimeoutMs);
  try {
    impl_->exec("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;");
    impl_->exec("BEGIN IMMEDIATE");
    impl_->exec(kSchema);
    impl_->add_missing_columns();
    impl_->exec("COMMIT");
  } catch (...) {
    sqlite3_close(impl_->db);
    delete impl_;
    throw;
  }
}

CorpusDatabase::~CorpusDatabase() {
  sqlite3_close(impl_->db);
  delete impl_;
}

void CorpusDatabase::add_document(const core::Document& document, const std::string& path) {
  sqlite3* db = impl_->db;
  impl_->exec("BEGIN IMMEDIATE");
  try {
    Statement(db, "DELETE FROM documents WHERE sha256 = ?").bind(1, document.source.sha256).run();
    Statement(db, "DELETE FROM errors WHERE path = ? OR sha256 = ?")
        .bind(1, path)
        .bind(2, document.source.sha256)
        .run();
    SqliteSink sink(db);
    detail::write_document_rows(document, path, sink);
    impl_->exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void CorpusDatabase::add_error(const std::string& path, const std::string& sha256,
                               const std::string& code, const std::string& message) {
  Statement(impl_->db,
            "INSERT OR REPLACE INTO errors (path, sha256, code, message) VALUES (?,?,?,?)")
      .bind(1, path)
      .bind(2, sha256)
      .bind(3, code)
      .bind(4, message)
      .run();
}

void CorpusDatabase::merge_from(const std::filesystem::path& other) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(other, ec))
    throw core::Error(core::ErrorCode::NotFound, other.string() + ": no corpus database there.");
  {
    // Bring the other file's schema up to date first (it may predate the producer columns).
    CorpusDatabase upgraded(other);
  }
  Statement attach(impl_->db, "ATTACH DATABASE ? AS other");
  attach.bind(1, other.string()).run();
  impl_->exec("BEGIN IMMEDIATE");
  try {
    // The other file's documents not here yet, by content; ids shifted past those here.
    impl_->exec(
        "CREATE TEMP TABLE IF NOT EXISTS merging (id INTEGER PRIMARY KEY); DELETE FROM merging;"
        "INSERT INTO merging SELECT id FROM other.documents WHERE sha256 NOT IN (SELECT sha256 "
        "FROM main.documents)");
    const auto shift_of = [&](const char* table) {
      Statement max(impl_->db,
                    (std::string("SELECT COALESCE(MAX(") +
                     (std::string(table) == "cells" ? "rowid" : "id") + "), 0) FROM main." + table)
                        .c_str());
      max.step();
      return max.text(0);
    };
    const std::string documents = shift_of("documents"), tables = shift_of("tables"),
                      checks = shift_of("checks");
    const std::map<std::string, std::string> shifted = {{"documents.id", documents},
                                                        {"tables.id", tables},
                                                        {"tables.document_id", documents},
                                                        {"cells.table_id", tables},
                                                        {"checks.id", checks},
                                                        {"checks.document_id", documents},
                                                        {"check_terms.check_id", checks},
                                                        {"check_terms.table_id", tables}};
    const std::map<std::string, std::string> chosen = {
        {"documents", "id IN (SELECT id FROM merging)"},
        {"tables", "document_id IN (SELECT id FROM merging)"},
        {"cells",
         "table_id IN (SELECT t.id FROM other.tables t JOIN merging m ON m.id = t.document_id)"},
        {"checks", "document_id IN (SELECT id FROM merging)"},
        {"check_terms",
         "check_id IN (SELECT k.id FROM other.checks k JOIN merging m ON m.id = k.document_id)"}};
    for (const char* table : kCorpusTables) {
      std::string names, values;
      for (const std::string& column : columns_of(impl_->db, "other", table)) {
        names += (names.empty() ? "\"" : ", \"") + column + "\"";
        const auto shift = shifted.find(std::string(table) + "." + column);
        // A term whose cell was in no table keeps its -1.
        const std::string value =
            shift == shifted.end() ? "\"" + column + "\""
            : column == "table_id" && std::string(table) == "check_terms"
                ? "CASE WHEN table_id < 0 THEN table_id ELSE table_id + " + shift->second + " END"
                : "\"" + column + "\" + " + shift->second;
        values += (values.empty() ? "" : ", ") + value;
      }
      impl_->exec(std::string("INSERT INTO main.") + table + " (" + names + ") SELECT " + values +
                  " FROM other." + table + " WHERE " + chosen.at(table));
    }
    // Errors: of documents read nowhere (a document done in one shard is not an error of the
    // corpus).
    impl_->exec(
        "INSERT OR IGNORE INTO main.errors (path, sha256, code, message) SELECT path, sha256, "
        "code, message"
        " FROM other.errors WHERE sha256 = '' OR sha256 IS NULL OR sha256 NOT IN (SELECT sha256 "
        "FROM main.documents)");
    impl_->exec("DELETE FROM main.errors WHERE sha256 IN (SELECT sha256 FROM main.documents)");
    impl_->exec("COMMIT");
  } catch (...) {
    sqlite3_exec(impl_->db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_exec(impl_->db, "DETACH DATABASE other", nullptr, nullptr, nullptr);
    throw;
  }
  impl_->exec("DETACH DATABASE other");
}

std::size_t CorpusDatabase::document_count() const {
  Statement count(impl_->db, "SELECT COUNT(*) FROM documents");
  count.step();
  return static_cast<std::size_t>(std::stoull(count.text(0)));
}

bool is_postgres_url(const std::string& target) {
  return target.rfind("postgresql://", 0) == 0 || target.rfind("postgres://", 0) == 0;
}

std::unique_ptr<CorpusWriter> open_corpus(const std::string& target) {
  if (is_postgres_url(target)) return open_postgres_corpus(target);
  return std::make_unique<CorpusDatabase>(target);
}

}  // namespace tally::exports
