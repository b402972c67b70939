// passes --strict: helpers, def variables, ident, guards, expect, groovy, cleanup, recipes, undo, lint,
// counts and names, ensure words, insteadOf, verify(whenSkipped:)
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

    step('notes by kind') {
        guard { extension('hstore').available && schema('public').tables == ['notes'] && !table('notes').foreignKeys }
        ensureSchema 'kb', owner: 'app'
        ensureExtension 'hstore', version: '1.8'
        ensureEnum 'note_kind', 'plain', 'pinned'
        ensureEnum('note_mood', ['calm', 'loud'])
        verify(whenSkipped: true) {
            schema('public') { tables atLeast(1); enums 'note_kind', 'note_mood'; functions 0 }
            table('notes') {
                columns 'id', 'note'
                foreignKeys 0
                noForeignKey 'note'
                indexes 0, excluding: 'constraints'
                policies 0
                triggers 'notes_touch'
            }
            absent { column 'notes.kind'; enumType 'old_kind' }
        }
    }

    step('plain notes') {
        insteadOf 'notes by kind'
        sql 'SELECT 1'
    }
}
