CREATE TABLE kb.chunks (
    id       bigint PRIMARY KEY,
    doc_id   bigint NOT NULL,
    position int    NOT NULL,
    body     text   NOT NULL
);

CREATE UNIQUE INDEX unique_chunk ON kb.chunks (doc_id, position);
