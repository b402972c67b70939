// Metrics and provenance for a RAG service: who asked what, which chunks were retrieved for
// it, which of them the answer cites, and what the reader thought of the answer.
//
// The story: two questions kept coming back. Compliance asks "where did this answer come
// from?", and the answer must not be able to cite a chunk that was never retrieved for that
// question; product asks "which documents make answers good?". So retrievals are rows, an
// answer's citations point at retrievals of the same question (a two-column foreign key
// guarantees it), feedback is one row per reader and answer, and a view sums it up per
// document. Deleting a user keeps their questions for the metrics, without the person.
//
//   scripts/mig run dsl-examples/rag-metrics.groovy            (embedded PostgreSQL)
//
// expect: exit 0
plan('rag-metrics') {
    description 'RAG queries, retrievals, answer sources and feedback, with per-document quality'

    step('create users') {
        sql '''CREATE TABLE users (
                id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                email      text NOT NULL UNIQUE,
                is_service boolean NOT NULL DEFAULT false,
                created_at timestamptz NOT NULL DEFAULT now()
            )
        '''
        verify {
            table('users') {
                columns 4
                primaryKey 'id'
                unique 'email'
                column('is_service') { type 'boolean'; notNull true; defaultValue 'false' }
            }
        }
    }

    step('seed service users') {
        requires 'create users'
        description 'questions not asked by a signed-in person belong to one of these'
        sql '''INSERT INTO users (email, is_service) VALUES
                ('offline-eval@service.invalid', true),  -- the nightly evaluation run
                ('anonymous@service.invalid', true)      -- the public help widget
            ON CONFLICT (email) DO NOTHING
        '''
        verify { rowCount 'users', 2 }
    }

    step('create metric types') {
        description 'a retrieved chunk is a candidate until the reranker puts it in context or drops it'
        sql '''
            CREATE TYPE retrieval_status AS ENUM ('candidate', 'in_context', 'dropped');
            CREATE TYPE feedback_kind AS ENUM ('helpful', 'not_helpful', 'wrong_source', 'outdated');
        '''
        verify {
            enumType('retrieval_status') { labels 'candidate', 'in_context', 'dropped' }
            enumType('feedback_kind') { labels 'helpful', 'not_helpful', 'wrong_source', 'outdated' }
        }
    }

    step('create queries and retrievals') {
        requires 'create users', 'create metric types'
        sqlFile 'sql/rag-retrievals.sql'
        verify {
            table('queries') {
                columns 9
                foreignKey(column: 'user_id', references: 'users(id)', onDelete: 'set null')
                indexes 2
            }
            index('queries_user_asked_idx') { on 'queries'; unique false }
            table('retrievals') {
                columns 7
                column('status') { type 'retrieval_status'; notNull true; defaultValue "'candidate'" }
                foreignKey(column: 'query_id', references: 'queries(id)', onDelete: 'cascade')
                unique 'query_id', 'rank'
                unique 'query_id', 'id'
                indexes 4
            }
            index('retrievals_query_rank_key') { on 'retrievals'; unique true }
            index('retrievals_in_context_idx') { on 'retrievals'; unique false; method 'btree' }
        }
    }

    step('create answer sources') {
        requires 'create queries and retrievals'
        description 'the [n] citations of an answer, each pointing at a retrieval of the same question'
        sql '''CREATE TABLE answer_sources (
                query_id     bigint NOT NULL,
                citation_no  smallint NOT NULL CHECK (citation_no >= 1),
                retrieval_id bigint NOT NULL,
                PRIMARY KEY (query_id, citation_no),
                FOREIGN KEY (query_id, retrieval_id) REFERENCES retrievals (query_id, id) ON DELETE CASCADE
            );
            CREATE INDEX answer_sources_retrieval_idx ON answer_sources (query_id, retrieval_id);
        '''
        verify {
            table('answer_sources') {
                columns 3
                primaryKey 'query_id', 'citation_no'
                foreignKey(columns: ['query_id', 'retrieval_id'], references: 'retrievals(query_id, id)', onDelete: 'cascade')
                indexes 2
            }
        }
    }

    step('create feedback') {
        requires 'create queries and retrievals'
        sql '''CREATE TABLE feedback (
                id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                query_id   bigint NOT NULL REFERENCES queries (id) ON DELETE CASCADE,
                user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                kind       feedback_kind NOT NULL,
                comment    text,
                given_at   timestamptz NOT NULL DEFAULT now(),
                CONSTRAINT feedback_one_per_reader UNIQUE (query_id, user_id)
            );
            -- the review queue: answers someone did not find helpful, oldest first
            CREATE INDEX feedback_needs_review_idx ON feedback (given_at) WHERE kind <> 'helpful';
        '''
        verify {
            table('feedback') {
                columns 6
                foreignKey(column: 'query_id', references: 'queries(id)', onDelete: 'cascade')
                foreignKey(column: 'user_id', references: 'users(id)', onDelete: 'cascade')
                unique 'query_id', 'user_id'
                indexes 3
            }
            index('feedback_needs_review_idx') { on 'feedback'; unique false }
        }
    }

    step('create document quality view') {
        requires 'create answer sources', 'create feedback'
        sqlFile 'sql/rag-document-quality.sql'
        verify {
            view 'document_quality'
            expect('the view reads on empty tables') { value('SELECT count(*) FROM document_quality') == 0 }
        }
    }

    verify {                                   // plan-level: read-only, after all steps
        expect('both service users are still there') {
            value('SELECT count(*) FROM users WHERE is_service') == 2
        }
    }
}
