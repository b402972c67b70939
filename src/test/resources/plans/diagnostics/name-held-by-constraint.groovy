// 42P07: a failed attempt left the unique constraint unique_chunk on kb.old_chunks; its index
// holds the name, so the new index of that name on kb.chunks cannot be created.
plan('name-held-by-constraint') {
    step('chunks') {
        sqlFile 'sql/chunks.sql'
    }
}
