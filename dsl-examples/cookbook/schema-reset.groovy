// Cookbook story 3: a schema reset, and two migrations under one version (docs/COOKBOOK.md).
//
// Two branches each added a migration numbered 3, and the old tool tracked one of them: on the
// dev database the other never ran. The team reset the dev schema by hand (deleted the history
// rows, dropped the tables they knew of) and ran everything again. Every run "succeeded", and
// objects of an abandoned branch lived on in the schema, used by code that broke everywhere else.
// Here steps have names, not numbers (two steps of one name are a plan error); the plan owns its
// schema, so mig reset drops all of it and runs the plan again; and the plan-level verify says
// what the schema holds, exactly, so a stale object fails the run with its name.
//
//   scripts/mig run dsl-examples/cookbook/schema-reset.groovy                 (embedded PostgreSQL)
//   psql "$URL" -f dsl-examples/cookbook/incidents/schema-reset.sql           (the dev database)
//   scripts/mig run --url "$URL" dsl-examples/cookbook/schema-reset.groovy         (exit 3: extra: labels)
//   scripts/mig reset --yes --url "$URL" dsl-examples/cookbook/schema-reset.groovy
//
// expect: exit 0
plan('schema-reset') {
    description 'notes and tags, in a schema only this plan fills'
    owns 'notes'                     // mig reset may drop this schema, and nothing else
    searchPath 'notes'

    step('schema notes') {
        ensureSchema 'notes'
        verify { schema 'notes' }
    }

    step('notes') {
        requires 'schema notes'
        sql '''CREATE TABLE notes.notes (
                   id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                   title      text NOT NULL,
                   body       text NOT NULL DEFAULT '',
                   created_at timestamptz NOT NULL DEFAULT now()
               )'''
        verify { table('notes') { columns 'id', 'title', 'body', 'created_at' } }
    }

    step('tags') {
        requires 'notes'
        sql '''CREATE TABLE notes.tags (
                   note_id bigint NOT NULL REFERENCES notes.notes (id) ON DELETE CASCADE,
                   tag     text NOT NULL,
                   PRIMARY KEY (note_id, tag)
               )'''
        verify { table('tags') { foreignKey(column: 'note_id', references: 'notes(id)', onDelete: 'cascade') } }
    }

    step('note status') {                  // was V3__note_status.sql
        requires 'notes'
        ensureEnum 'notes.note_status', 'draft', 'published', 'archived'
        sql "ALTER TABLE notes.notes ADD COLUMN status notes.note_status NOT NULL DEFAULT 'draft'"
        verify { table('notes') { column('status') { type 'notes.note_status'; notNull true } } }
    }

    verify {                               // after every run: the schema holds this, and only this
        schema('notes') {
            tables 'notes', 'tags'
            enums 'note_status'
            sequences 1                    // the identity of notes.id
            functions 0
        }
    }
}
