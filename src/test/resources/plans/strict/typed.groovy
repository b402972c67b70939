// passes --strict: helpers, def variables, ident, guards, expect, groovy, cleanup, recipes, undo, lint
def columnCount = 2

String createTable(String name) { "CREATE TABLE IF NOT EXISTS ${ident(name)} (id bigint PRIMARY KEY, note text)" }

recipe('clear name') { String name ->
    dropConstraintNamed name
    dropRelationNamed name, kinds: ['index']
}

plan('typed') {
    description 'everything --strict accepts'
    lockTimeout '5s'
    retries 1

    step('create notes') {
        guard { !table('notes').exists() && serverVersion >= 120000 }
        guard(onFalse: 'warn', message: 'nullable') { !column('notes', 'note').notNull }
        cleanup { apply 'clear name', 'notes_note_key' }
        sql createTable('notes')
        groovy { db -> db.execute('SELECT 1') ; def row = db.firstRow('SELECT 1 AS one'); assert row.one == 1 }
        verify {
            table('notes') {
                columns columnCount
                column('id') { type 'bigint'; notNull true }
                indexes atLeast(1)
                primaryKey 'id'
            }
            index('notes_pkey') { unique true; valid true }
            absent { table 'old_notes' }
            expect('no rows') { value('SELECT count(*) FROM notes') == 0 }
        }
        undo { sql 'DROP TABLE notes' }
        lint { allow 'table-rewrite' }
        tags 'a'
    }
}
