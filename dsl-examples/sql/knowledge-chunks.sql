-- The chunks a RAG service searches: one row per piece of a document, with its full-text
-- vector kept up to date by PostgreSQL itself. Run by the 'create chunks' step of
-- knowledge-chunks.groovy.

CREATE TABLE kb.chunks (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   bigint NOT NULL,
    document_id bigint NOT NULL,
    chunk_index integer NOT NULL CHECK (chunk_index >= 0),
    body        text NOT NULL,
    token_count integer NOT NULL CHECK (token_count > 0),
    metadata    jsonb NOT NULL DEFAULT '{}',
    tsv         tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- the name the failed attempt left behind on kb.staging_chunks; the step's cleanup freed it
    CONSTRAINT unique_chunk UNIQUE (document_id, chunk_index)
);

COMMENT ON TABLE kb.chunks IS 'Searchable pieces of knowledge-base documents';

CREATE INDEX chunks_tsv_idx ON kb.chunks USING gin (tsv);
CREATE INDEX chunks_tenant_document_idx ON kb.chunks (tenant_id, document_id);

/* Row-level security: a tenant sees its own chunks, and everyone sees chunks marked shared
   (product manuals, public FAQs). The application sets app.tenant_id per transaction:
       SET LOCAL app.tenant_id = '42';
   current_setting(..., true) is NULL when the setting was never made and '' after a RESET in a
   pooled session; nullif turns '' into NULL, so either way no tenant rows match, instead of an
   "invalid input syntax for type bigint" error. FORCE holds the table's owner to the policies
   too, for applications that connect as the owner. */
ALTER TABLE kb.chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE kb.chunks FORCE ROW LEVEL SECURITY;

CREATE POLICY chunks_tenant_isolation ON kb.chunks
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

CREATE POLICY chunks_shared_read ON kb.chunks FOR SELECT
    USING (metadata @> '{"shared": true}');
