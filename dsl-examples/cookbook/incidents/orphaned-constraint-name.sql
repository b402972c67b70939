-- The state a failed first attempt left behind (cookbook story 1, orphaned-constraint-name.groovy).
-- The first attempt created kb.chunks, then failed on a later statement; its tool ran each statement
-- on its own, so nothing was rolled back. Someone kept the half-made table for its rows by renaming
-- it. RENAME renames the table only: its constraint, and the index behind it, keep their names.
CREATE SCHEMA kb;
CREATE TABLE kb.chunks (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id bigint NOT NULL,
    chunk_index integer NOT NULL,
    body        text NOT NULL,
    CONSTRAINT unique_chunk UNIQUE (document_id, chunk_index)
);
INSERT INTO kb.chunks (document_id, chunk_index, body) VALUES (1, 0, 'imported'), (1, 1, 'imported too');
ALTER TABLE kb.chunks RENAME TO chunks_failed;
-- The retry, CREATE TABLE kb.chunks (..., CONSTRAINT unique_chunk UNIQUE (...)), now fails with
--   ERROR:  relation "unique_chunk" already exists
