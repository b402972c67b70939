-- The embeddings table uses type vector, but no step creates the extension that provides it.

CREATE TABLE documents (
    id    bigint PRIMARY KEY,
    title text NOT NULL
);

CREATE TABLE embeddings (
    id          bigint PRIMARY KEY,
    document_id bigint NOT NULL REFERENCES documents (id),
    model       text NOT NULL,
    embedding   vector(1536) NOT NULL
);
