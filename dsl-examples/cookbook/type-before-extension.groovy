// Cookbook story 4: a type used before its extension (docs/COOKBOOK.md).
//
// The first migration used citext and vector(1536); the extensions came in a later one, so a
// fresh database failed with
//     ERROR:  type "citext" does not exist
// and on a managed server without pgvector, `type "vector" does not exist` could not be fixed
// by any order. Here each step ensures the extension it uses, before the SQL that uses it, and
// the vector search asks the server first: where pgvector is missing its guard skips it, saying
// why, and the trigram search stands in for it (insteadOf). The embedded PostgreSQL has no
// pgvector, so that is what runs there.
//
//   scripts/mig run dsl-examples/cookbook/type-before-extension.groovy         (embedded PostgreSQL)
//   scripts/mig run --url "$URL" dsl-examples/cookbook/type-before-extension.groovy
//   (dsl-examples/cookbook/incidents/type-before-extension.sql: the migrations that failed)
//
// expect: exit 0
plan('type-before-extension') {
    description 'documents with e-mail addresses and attributes, and the best search the server allows'
    searchPath 'kb, public'              // guards and verify look in kb, then public (the extensions)

    step('documents') {
        ensureSchema 'kb'
        ensureExtension 'citext'                     // in public, where the session's search_path finds it
        ensureExtension 'hstore', version: '1.8'     // created at 1.8, or updated to it
        sql '''CREATE TABLE kb.documents (
                   id           bigint PRIMARY KEY,
                   author_email citext NOT NULL,
                   attributes   hstore NOT NULL DEFAULT '',
                   body         text NOT NULL
               )'''
        verify {
            extension 'citext'
            table('documents') {
                column('author_email') { type 'citext'; notNull true }
                column('attributes') { type 'hstore'; notNull true }
            }
        }
    }

    step('vector search') {
        requires 'documents'
        guard(message: 'pgvector is not on this server') { extension('vector').available }
        ensureExtension 'vector'
        sql '''ALTER TABLE kb.documents ADD COLUMN embedding vector(1536);
               CREATE INDEX documents_embedding_idx ON kb.documents USING hnsw (embedding vector_cosine_ops)'''
        verify {
            table('documents') { column('embedding') { type 'vector(1536)' } }
            index('documents_embedding_idx') { method 'hnsw'; on 'documents' }
        }
    }

    step('trigram search') {
        insteadOf 'vector search'            // runs where the guard above skipped 'vector search'
        ensureExtension 'pg_trgm'
        sql 'CREATE INDEX documents_body_trgm ON kb.documents USING gin (body gin_trgm_ops)'
        verify {
            index('documents_body_trgm') { method 'gin'; on 'documents' }
            absent { column 'kb.documents.embedding' }
        }
    }
}
