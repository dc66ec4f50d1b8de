-- The rows of a corpus database that do not depend on ids, on the path a document was listed
-- under or on the database (SQLite and PostgreSQL print them alike). Compared between runs.
SELECT d.sha256, d.department, d.year, d.kind, d.unit, d.n_tables, d.checks_held, d.checks_repaired, d.checks_broken,
       d.tally_version, d.options
FROM documents d ORDER BY d.sha256;
SELECT d.sha256, t.table_index, t.title, c."row", c.col, c.text, c.value, c.status, c.row_code, c.header_path
FROM cells c JOIN tables t ON t.id = c.table_id JOIN documents d ON d.id = t.document_id
ORDER BY d.sha256, t.table_index, c."row", c.col;
SELECT d.sha256, k.check_id, k.status, k.residual, ct."row", ct.col, ct.coefficient
FROM checks k JOIN documents d ON d.id = k.document_id LEFT JOIN check_terms ct ON ct.check_id = k.id
ORDER BY d.sha256, k.check_id, ct."row", ct.col, ct.coefficient;
