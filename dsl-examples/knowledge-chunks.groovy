// A knowledge base for retrieval-augmented generation: a chunks table with full-text search,
// row-level security per tenant, and a search function that ranks chunks for a question.
//
// The story: a first attempt at this table failed halfway and was "cleaned up" by hand. What
// remained is kb.staging_chunks, an import table whose DDL had been copied from the chunks
// table, constraint name included. A unique constraint's index takes its name in pg_class, so
// on that database a plain
//     CREATE TABLE kb.chunks (..., CONSTRAINT unique_chunk UNIQUE (document_id, chunk_index))
// fails with: relation "unique_chunk" already exists. Nothing in the error says it is a
// constraint on another table. The 'create chunks' step clears the name first, and on a
// database without the leftover its cleanup simply reports that there was nothing to drop.
//
//   scripts/mig run dsl-examples/knowledge-chunks.groovy            (embedded PostgreSQL)
//
// pgvector is not part of this example (the embedded PostgreSQL has no vector type); an
// embedding column and an hnsw index would be one more step with its own guard on
// extension('vector').
//
// expect: exit 0
plan('knowledge-chunks') {
    description 'Knowledge-base chunks: full-text search, tenant isolation, ranked search'
    searchPath 'kb, public'          // guards, cleanup and verify look in kb first, then public

    step('create schema kb') {
        sql 'CREATE SCHEMA IF NOT EXISTS kb'        // the failed attempt may have created it
        verify { schema 'kb' }
    }

    step('create chunks') {
        requires 'create schema kb'
        cleanup {
            // Qualified on purpose: only a name in kb collides with kb.chunks' constraint index.
            // A constraint of the same name on a table in another schema is not in the way and
            // is left alone.
            dropConstraintNamed 'kb.unique_chunk'                     // a constraint and its index
            dropRelationNamed 'kb.unique_chunk', kinds: ['index']     // or a bare index of that name
        }
        sqlFile 'sql/knowledge-chunks.sql'
        verify {
            table('chunks') {                      // kb.chunks, through the plan's searchPath
                columns 9
                column('tenant_id') { type 'bigint'; notNull true }
                column('body') { type 'text'; notNull true }
                column('token_count') { type 'integer'; notNull true }
                column('metadata') { type 'jsonb'; notNull true; defaultValue "'{}'" }
                column('tsv') { type 'tsvector' }
                column('created_at') { type 'timestamptz'; defaultValue 'now()' }
                primaryKey 'id'
                unique 'document_id', 'chunk_index'
                indexes 4                          // primary key, unique_chunk, full text, tenant
                rowLevelSecurity true
                policies 2
                comment 'Searchable pieces of knowledge-base documents'
            }
            index('kb.unique_chunk') { unique true; on 'kb.chunks' }
            index('kb.chunks_tsv_idx') { method 'gin'; on 'kb.chunks' }
            index('kb.chunks_tenant_document_idx') { method 'btree'; on 'kb.chunks' }
            policy('kb.chunks', 'chunks_tenant_isolation')
            policy('kb.chunks', 'chunks_shared_read')
        }
    }

    step('create search function') {
        requires 'create chunks'
        // SECURITY INVOKER (the default): the caller's row-level security filters the search.
        sql '''CREATE OR REPLACE FUNCTION kb.search_chunks(query text, max_results integer DEFAULT 5)
            RETURNS TABLE (chunk_id bigint, document_id bigint, chunk_index integer, body text, rank real)
            LANGUAGE sql STABLE AS $$
                SELECT c.id, c.document_id, c.chunk_index, c.body, ts_rank(c.tsv, q) AS rank
                  FROM kb.chunks c, websearch_to_tsquery('english', query) AS q
                 WHERE c.tsv @@ q
                 ORDER BY rank DESC, c.id
                 LIMIT max_results
            $$
        '''
        verify {
            function 'kb.search_chunks(text, integer)'
            expect('the search runs on an empty table') {
                value("SELECT count(*) FROM kb.search_chunks('refund policy')") == 0
            }
        }
    }
}
