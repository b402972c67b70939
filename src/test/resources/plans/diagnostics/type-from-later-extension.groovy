// 42704: the embeddings table uses type vector, whose extension a later step creates.
plan('type-from-later-extension') {
    step('embeddings') {
        sql '''CREATE TABLE embeddings (
                   id        bigint PRIMARY KEY,
                   embedding vector(3) NOT NULL
               )'''
    }
    step('enable vector') {
        sql 'CREATE EXTENSION IF NOT EXISTS vector'
    }
}
