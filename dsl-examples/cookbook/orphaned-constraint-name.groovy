// Cookbook story 1: an orphaned constraint name (docs/COOKBOOK.md).
//
// A first attempt at kb.chunks failed halfway, and the half-made table was kept, renamed to
// kb.chunks_failed. Its UNIQUE constraint kept its name, and so did the index behind it, which
// takes the name in pg_class: the retry's CREATE TABLE failed with
//     ERROR:  relation "unique_chunk" already exists
// and nothing in the error said it was a constraint on another table. Here the step frees the
// name in kb first (only in kb: the searchPath says where to look), and says what it dropped.
//
//   scripts/mig run dsl-examples/cookbook/orphaned-constraint-name.groovy     (embedded PostgreSQL)
//   psql "$URL" -f dsl-examples/cookbook/incidents/orphaned-constraint-name.sql   (the incident)
//   scripts/mig run --url "$URL" dsl-examples/cookbook/orphaned-constraint-name.groovy
//
// expect: exit 0
plan('orphaned-constraint-name') {
    description 'kb.chunks, whose constraint name a failed attempt may have left on another table'
    searchPath 'kb'                  // cleanup, guards and verify resolve names in kb only

    step('schema kb') {
        ensureSchema 'kb'            // the failed attempt may have made it already
        verify { schema 'kb' }
    }

    step('chunks') {
        requires 'schema kb'
        cleanup {
            dropConstraintNamed 'unique_chunk'                    // a constraint of that name, on any table in kb
            dropRelationNamed 'unique_chunk', kinds: ['index']    // or a bare index of that name
        }
        sql '''CREATE TABLE kb.chunks (
                   id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                   document_id bigint NOT NULL,
                   chunk_index integer NOT NULL,
                   body        text NOT NULL,
                   CONSTRAINT unique_chunk UNIQUE (document_id, chunk_index)
               )'''
        verify {
            table('chunks') {
                columns 'id', 'document_id', 'chunk_index', 'body'
                primaryKey 'id'
                unique 'document_id', 'chunk_index'
                indexes 0, excluding: 'constraints'       // the key's and unique_chunk's, nothing else
            }
            index('unique_chunk') { on 'chunks'; unique true }
        }
    }
}
