-- Questions asked of the RAG service and the chunks retrieved for each. Run by the
-- 'create queries and retrievals' step of rag-metrics.groovy.

CREATE TABLE queries (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- a deleted user's questions stay for the metrics, without the person
    user_id           bigint REFERENCES users (id) ON DELETE SET NULL,
    question          text NOT NULL,
    answer            text,
    model             text NOT NULL,
    latency_ms        integer CHECK (latency_ms >= 0),
    prompt_tokens     integer,
    completion_tokens integer,
    asked_at          timestamptz NOT NULL DEFAULT now()
);

-- "my recent questions" and per-user usage
CREATE INDEX queries_user_asked_idx ON queries (user_id, asked_at DESC);

CREATE TABLE retrievals (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    query_id    bigint NOT NULL REFERENCES queries (id) ON DELETE CASCADE,
    document_id bigint NOT NULL,
    chunk_index integer NOT NULL,
    rank        smallint NOT NULL CHECK (rank >= 1),
    score       real NOT NULL,
    status      retrieval_status NOT NULL DEFAULT 'candidate',
    CONSTRAINT retrievals_query_rank_key UNIQUE (query_id, rank),
    -- the target of answer_sources' foreign key: a citation names its query and its retrieval
    CONSTRAINT retrievals_query_id_key UNIQUE (query_id, id)
);

-- which documents actually feed answers; the other statuses are the bulk of the rows and are
-- never asked for by document, so they stay out of this index
CREATE INDEX retrievals_in_context_idx ON retrievals (document_id, chunk_index)
    WHERE status = 'in_context';
