// The corpus database in PostgreSQL (libpq): the SQLite schema in PostgreSQL's types, written by
// many shards at once.
#include <libpq-fe.h>

#include <map>
#include <memory>
#include <set>
#include <vector>

#include "corpus_rows.h"
#include "tally/core/error.h"
#include "tally/export/export.h"

namespace tally::exports {

namespace {

// `row` is quoted: a keyword in PostgreSQL. The advisory lock makes concurrent first writers create
// the schema one after the other (CREATE … IF NOT EXISTS alone races in the catalogue).
constexpr const char* kSchema = R"sql(
SELECT pg_advisory_xact_lock(7245301);
CREATE TABLE IF NOT EXISTS documents (
  id BIGSERIAL PRIMARY KEY,
  path TEXT NOT NULL, file TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE,
  bytes BIGINT, page_count INTEGER,
  department TEXT, year INTEGER, kind TEXT, unit TEXT,
  n_tables INTEGER, checks_held INTEGER, checks_repaired INTEGER, checks_broken INTEGER,
  cells_repaired INTEGER, cells_flagged INTEGER,
  tally_version TEXT, poppler_version TEXT, tesseract_version TEXT, options TEXT
);
CREATE TABLE IF NOT EXISTS tables (
  id BIGSERIAL PRIMARY KEY,
  document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  table_index INTEGER NOT NULL, number INTEGER,
  title TEXT, kind TEXT, department TEXT, unit TEXT,
  first_page INTEGER, last_page INTEGER, n_rows INTEGER, n_cols INTEGER, header_rows INTEGER
);
CREATE TABLE IF NOT EXISTS cells (
  table_id BIGINT NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
  "row" INTEGER NOT NULL, col INTEGER NOT NULL, rowspan INTEGER, colspan INTEGER,
  is_header INTEGER NOT NULL, page INTEGER, text TEXT,
  read TEXT, value TEXT, amount DOUBLE PRECISION,
  status TEXT, status_note TEXT, row_code TEXT, row_label TEXT, row_role TEXT,
  header_path TEXT, column_role TEXT,
  PRIMARY KEY (table_id, "row", col)
);
CREATE TABLE IF NOT EXISTS checks (
  id BIGSERIAL PRIMARY KEY,
  document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  check_id TEXT, kind TEXT, origin TEXT, description TEXT, status TEXT, residual TEXT, tolerance TEXT
);
CREATE TABLE IF NOT EXISTS check_terms (
  check_id BIGINT NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
  table_id BIGINT NOT NULL, "row" INTEGER NOT NULL, col INTEGER NOT NULL, coefficient INTEGER
);
CREATE TABLE IF NOT EXISTS errors (path TEXT PRIMARY KEY, sha256 TEXT, code TEXT, message TEXT);
CREATE INDEX IF NOT EXISTS cells_code ON cells(row_code);
CREATE INDEX IF NOT EXISTS tables_document ON tables(document_id);
CREATE INDEX IF NOT EXISTS checks_document ON checks(document_id);
CREATE INDEX IF NOT EXISTS check_terms_check ON check_terms(check_id);
)sql";

// Tables whose new id the rows after them need.
bool returns_id(const std::string& table) {
  return table == "documents" || table == "tables" || table == "checks";
}

class Postgres : public CorpusWriter, detail::RowSink {
 public:
  explicit Postgres(const std::string& url) : connection_(PQconnectdb(url.c_str())) {
    if (!connection_ || PQstatus(connection_) != CONNECTION_OK) {
      const std::string why = connection_ ? PQerrorMessage(connection_) : "out of memory";
      PQfinish(connection_);
      // The URL may carry a password: name the server by what libpq parsed, never by the URL.
      throw core::Error(core::ErrorCode::OutputUnwritable,
                        "PostgreSQL: cannot connect (" + trimmed(why) + ").");
    }
    server_ = std::string("PostgreSQL ") + PQhost(connection_) + ":" + PQport(connection_) + "/" +
              PQdb(connection_);
    exec("SET client_min_messages = warning");
    exec("BEGIN");
    exec(kSchema);
    exec("COMMIT");
  }
  ~Postgres() override { PQfinish(connection_); }
  Postgres(const Postgres&) = delete;
  Postgres& operator=(const Postgres&) = delete;

  void add_document(const core::Document& document, const std::string& path) override {
    exec("BEGIN");
    try {
      // Two shards holding the same document take turns; the second replaces the first.
      run("SELECT pg_advisory_xact_lock(hashtext($1))", {document.source.sha256});
      run("DELETE FROM documents WHERE sha256 = $1", {document.source.sha256});
      run("DELETE FROM errors WHERE path = $1 OR sha256 = $2", {path, document.source.sha256});
      detail::write_document_rows(document, path, *this);
      exec("COMMIT");
    } catch (...) {
      PQclear(PQexec(connection_, "ROLLBACK"));
      throw;
    }
  }

  void add_error(const std::string& path, const std::string& sha256, const std::string& code,
                 const std::string& message) override {
    run("INSERT INTO errors (path, sha256, code, message) VALUES ($1, $2, $3, $4) ON CONFLICT "
        "(path) DO UPDATE"
        " SET sha256 = EXCLUDED.sha256, code = EXCLUDED.code, message = EXCLUDED.message",
        {path, sha256, code, message});
  }

  std::int64_t insert(const char* table, const detail::Row& row) override {
    const std::string name = table;
    if (!prepared_.count(name)) {
      std::string sql = "INSERT INTO " + name + " (", marks;
      int i = 0;
      for (const auto& [column, value] : row) {
        sql += std::string(i ? ", " : "") + "\"" + column + "\"";
        marks += (i ? ", $" : "$") + std::to_string(i + 1);
        ++i;
      }
      sql += ") VALUES (" + marks + ")" + (returns_id(name) ? " RETURNING id" : "");
      check(PQprepare(connection_, ("insert_" + name).c_str(), sql.c_str(), i, nullptr),
            PGRES_COMMAND_OK);
      prepared_.insert(name);
    }
    std::vector<std::string> texts;
    std::vector<const char*> values;
    texts.reserve(row.size());
    for (const auto& [column, value] : row) {
      if (const auto* n = std::get_if<std::int64_t>(&value))
        texts.push_back(std::to_string(*n));
      else if (const auto* x = std::get_if<double>(&value))
        texts.push_back(number_text(*x));
      else if (const auto* text = std::get_if<std::string>(&value))
        texts.push_back(*text);
      else
        texts.emplace_back();
    }
    for (std::size_t i = 0; i < row.size(); ++i)
      values.push_back(std::holds_alternative<std::monostate>(row[i].second) ? nullptr
                                                                             : texts[i].c_str());
    PGresult* result =
        PQexecPrepared(connection_, ("insert_" + name).c_str(), static_cast<int>(values.size()),
                       values.data(), nullptr, nullptr, 0);
    const bool with_id = returns_id(name);
    check_kept(result, with_id ? PGRES_TUPLES_OK : PGRES_COMMAND_OK);
    const std::int64_t id = with_id ? std::stoll(PQgetvalue(result, 0, 0)) : 0;
    PQclear(result);
    return id;
  }

 private:
  static std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
  }
  static std::string number_text(double x) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.17g", x);
    return buffer;
  }
  void exec(const char* sql) { check(PQexec(connection_, sql), PGRES_COMMAND_OK, true); }
  void run(const char* sql, const std::vector<std::string>& parameters) {
    std::vector<const char*> values;
    for (const std::string& p : parameters) values.push_back(p.c_str());
    check(PQexecParams(connection_, sql, static_cast<int>(values.size()), nullptr, values.data(),
                       nullptr, nullptr, 0),
          PGRES_COMMAND_OK, true);
  }
  // Frees `result`; throws naming the server when it is not `expected` (a SELECT's rows count as
  // done).
  void check(PGresult* result, ExecStatusType expected, bool rows_ok = false) {
    const ExecStatusType status = PQresultStatus(result);
    const bool ok = status == expected || (rows_ok && status == PGRES_TUPLES_OK);
    const std::string why = ok ? "" : trimmed(PQresultErrorMessage(result));
    PQclear(result);
    if (!ok)
      throw core::Error(core::ErrorCode::OutputUnwritable,
                        server_ + ": cannot write the corpus database (" + why + ").");
  }
  void check_kept(PGresult* result, ExecStatusType expected) {
    if (PQresultStatus(result) == expected) return;
    check(result, expected);
  }

  PGconn* connection_;
  std::string server_ = "PostgreSQL";
  std::set<std::string> prepared_;
};

}  // namespace

std::unique_ptr<CorpusWriter> open_postgres_corpus(const std::string& url) {
  return std::make_unique<Postgres>(url);
}

}  // namespace tally::exports
