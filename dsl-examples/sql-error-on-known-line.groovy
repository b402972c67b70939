// An error in a SQL file names the file and line, shows the statement with a caret under the
// error position, and rolls back the whole step: the documents table created by the first
// statement of the same file is not left behind. mig's hint names the extension that provides the type.
//
// expect: exit 1
// expect-output: sql/broken-embeddings.sql:12
// expect-output: type "vector" does not exist
// expect-output: mig hint:  type vector comes from extension vector (pgvector)
plan('sql-error-on-known-line') {
    step('create documents and embeddings') {
        sqlFile 'sql/broken-embeddings.sql'
    }

    step('never reached') {
        sql 'CREATE TABLE never_created (id int)'
    }
}
