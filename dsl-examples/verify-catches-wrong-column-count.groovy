// The failure this tool exists for: a migration that "succeeds" but does not leave what it
// promised. The SQL runs without error, but the table lacks the embedding column that the
// verify block expects, so the step is rolled back and the run exits 3: the table is NOT left
// half-made in the database, and the journal does not claim the step.
//
// expect: exit 3
// expect-output: table chunks: expected 4 columns, found 3 (missing: embedding)
plan('verify-catches-wrong-column-count') {
    step('create chunks') {
        sql '''
            CREATE TABLE chunks (
                id       bigint PRIMARY KEY,
                document text NOT NULL,
                body     text NOT NULL
            )
        '''
        verify {
            table('chunks') {
                columns 4
                column('body') { type 'text'; notNull true }
                column('embedding') { type 'real[]' }
            }
        }
    }
}
