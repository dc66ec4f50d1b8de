// The corpus database of a batch (SQLite).
#include <sqlite3.h>

#include <map>

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
  cells_repaired INTEGER, cells_flagged INTEGER
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

double to_double(const core::Amount& amount) {
  double scale = 1;
  for (int i = 0; i < amount.decimals; ++i) scale *= 10;
  return static_cast<double>(amount.units) / scale;
}

std::string check_status_text(core::CheckStatus status) {
  switch (status) {
    case core::CheckStatus::Held: return "held";
    case core::CheckStatus::HeldRounding: return "held_rounding";
    case core::CheckStatus::HeldAfterRepair: return "held_after_repair";
    case core::CheckStatus::Broken: return "broken";
  }
  return "unknown";
}

std::string kind_text(core::DocumentKind kind) {
  switch (kind) {
    case core::DocumentKind::Budget: return "budget";
    case core::DocumentKind::FinalAccount: return "final_account";
    case core::DocumentKind::Unknown: break;
  }
  return "unknown";
}

std::string lower(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

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
  template <typename T>
  Statement& bind(int i, const std::optional<T>& v) {
    return v ? bind(i, *v) : bind_null(i);
  }
  // Runs it and resets it for the next binds.
  void run() {
    const int rc = sqlite3_step(stmt_);
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
      throw core::Error(core::ErrorCode::OutputUnwritable, std::string("corpus database: ") + sqlite3_errmsg(db_));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

struct CorpusDatabase::Impl {
  sqlite3* db = nullptr;
  std::string path;

  void exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string why = message ? message : "unknown error";
      sqlite3_free(message);
      throw core::Error(core::ErrorCode::OutputUnwritable, path + ": cannot write the corpus database (" + why + ").");
    }
  }
};

const char* CorpusDatabase::schema() { return kSchema; }

CorpusDatabase::CorpusDatabase(const std::filesystem::path& path) : impl_(new Impl) {
  impl_->path = path.string();
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (sqlite3_open_v2(impl_->path.c_str(), &impl_->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    const std::string why = impl_->db ? sqlite3_errmsg(impl_->db) : "out of memory";
    sqlite3_close(impl_->db);
    delete impl_;
    throw core::Error(core::ErrorCode::OutputUnwritable, path.string() + ": cannot open the corpus database (" + why + ").");
  }
  try {
    impl_->exec("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;");
    impl_->exec(kSchema);
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
    Statement(db, "DELETE FROM errors WHERE path = ? OR sha256 = ?").bind(1, path).bind(2, document.source.sha256).run();

    int held = 0, repaired = 0, broken = 0, cells_repaired = 0, cells_flagged = 0;
    for (const core::Check& check : document.checks) {
      held += check.status == core::CheckStatus::Held || check.status == core::CheckStatus::HeldRounding;
      repaired += check.status == core::CheckStatus::HeldAfterRepair;
      broken += check.status == core::CheckStatus::Broken;
    }
    for (const core::Table& table : document.tables)
      for (const core::Cell& cell : table.cells) {
        cells_repaired += cell.status == core::CellStatus::Repaired;
        cells_flagged += cell.status == core::CellStatus::Flagged;
      }
    const core::Metadata& m = document.metadata;
    Statement(db,
              "INSERT INTO documents (path, file, sha256, bytes, page_count, department, year, kind, unit, n_tables,"
              " checks_held, checks_repaired, checks_broken, cells_repaired, cells_flagged)"
              " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
        .bind(1, path).bind(2, document.source.file).bind(3, document.source.sha256).bind(4, document.source.bytes)
        .bind(5, document.source.page_count).bind(6, m.department).bind(7, m.year).bind(8, kind_text(m.kind))
        .bind(9, m.unit).bind(10, static_cast<int>(document.tables.size())).bind(11, held).bind(12, repaired)
        .bind(13, broken).bind(14, cells_repaired).bind(15, cells_flagged)
        .run();
    const std::int64_t document_id = sqlite3_last_insert_rowid(db);

    Statement insert_table(db,
                           "INSERT INTO tables (document_id, table_index, number, title, kind, department, unit,"
                           " first_page, last_page, n_rows, n_cols, header_rows) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    Statement insert_cell(db,
                          "INSERT OR REPLACE INTO cells (table_id, row, col, rowspan, colspan, is_header, page, text, read,"
                          " value, amount, status, status_note, row_code, row_label, row_role, header_path, column_role)"
                          " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    std::map<int, std::int64_t> table_ids;
    for (const core::Table& table : document.tables) {
      insert_table.bind(1, document_id).bind(2, table.id).bind(3, table.number).bind(4, table.title)
          .bind(5, table.kind).bind(6, table.department).bind(7, table.unit)
          .bind(8, table.pages.empty() ? 0 : table.pages.front()).bind(9, table.pages.empty() ? 0 : table.pages.back())
          .bind(10, table.n_rows).bind(11, table.n_cols).bind(12, table.header_rows)
          .run();
      const std::int64_t table_id = sqlite3_last_insert_rowid(db);
      table_ids[table.id] = table_id;
      for (const core::Cell& cell : table.cells) {
        const auto& amount = cell.value ? cell.value : cell.read;
        insert_cell.bind(1, table_id).bind(2, cell.row).bind(3, cell.col).bind(4, cell.rowspan).bind(5, cell.colspan)
            .bind(6, cell.row < table.header_rows ? 1 : 0).bind(7, cell.page).bind(8, cell.text);
        if (cell.read) insert_cell.bind(9, cell.read->to_string());
        if (amount) insert_cell.bind(10, amount->to_string()).bind(11, to_double(*amount));
        insert_cell.bind(12, lower(core::to_string(cell.status))).bind(13, cell.status_note);
        if (cell.row >= 0 && static_cast<std::size_t>(cell.row) < table.rows.size()) {
          const core::RowInfo& row = table.rows[static_cast<std::size_t>(cell.row)];
          if (row.code) insert_cell.bind(14, row.code->joined());
          insert_cell.bind(15, row.label).bind(16, lower(core::to_string(row.role)));
        }
        if (cell.col >= 0 && static_cast<std::size_t>(cell.col) < table.columns.size()) {
          const core::ColumnInfo& column = table.columns[static_cast<std::size_t>(cell.col)];
          insert_cell.bind(17, column.header_path).bind(18, lower(core::to_string(column.role)));
        }
        insert_cell.run();
      }
    }

    Statement insert_check(db,
                           "INSERT INTO checks (document_id, check_id, kind, origin, description, status, residual, tolerance)"
                           " VALUES (?,?,?,?,?,?,?,?)");
    Statement insert_term(db, "INSERT INTO check_terms (check_id, table_id, row, col, coefficient) VALUES (?,?,?,?,?)");
    for (const core::Check& check : document.checks) {
      insert_check.bind(1, document_id).bind(2, check.id).bind(3, check.kind).bind(4, check.origin)
          .bind(5, check.description).bind(6, check_status_text(check.status))
          .bind(7, core::Amount{check.residual, check.decimals}.to_string())
          .bind(8, core::Amount{check.tolerance, check.decimals}.to_string())
          .run();
      const std::int64_t check_id = sqlite3_last_insert_rowid(db);
      for (const core::Term& term : check.terms) {
        const auto it = table_ids.find(term.cell.table);
        insert_term.bind(1, check_id).bind(2, it == table_ids.end() ? std::int64_t{-1} : it->second)
            .bind(3, term.cell.row).bind(4, term.cell.col).bind(5, term.coefficient)
            .run();
      }
    }
    impl_->exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void CorpusDatabase::add_error(const std::string& path, const std::string& sha256, const std::string& code,
                               const std::string& message) {
  Statement(impl_->db, "INSERT OR REPLACE INTO errors (path, sha256, code, message) VALUES (?,?,?,?)")
      .bind(1, path).bind(2, sha256).bind(3, code).bind(4, message)
      .run();
}

}  // namespace tally::exports
