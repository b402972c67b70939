// A small bookshop schema: an extension, an enum, two tables with a foreign key and indexes,
// a function, seed data, and verify blocks that say what must be true after each step.
//
//   scripts/mig run dsl-examples/quickstart.groovy            (embedded PostgreSQL)
//   scripts/mig run --url postgres://me@localhost/shop dsl-examples/quickstart.groovy
//
// expect: exit 0
plan('quickstart') {
    description 'Bookshop: authors, books, search by author'

    step('enable citext') {
        description 'case-insensitive e-mail addresses'
        guard { !extension('citext').exists() }        // false -> skipped, and asked again next run
        sql 'CREATE EXTENSION IF NOT EXISTS citext'
        verify { extension 'citext' }
    }

    step('create genre type') {
        guard { !type('genre').exists() }
        sql "CREATE TYPE genre AS ENUM ('fiction', 'poetry', 'history', 'science')"
        verify { enumType('genre') { labels 'fiction', 'poetry', 'history', 'science' } }
    }

    step('create authors and books') {
        requires 'enable citext', 'create genre type'
        sqlFile 'sql/bookshop.sql'
        verify {
            table('authors') {
                columns 4
                column('email') { type 'citext'; notNull true }
                indexes 2
            }
            table('books') {
                columns 6
                column('title') { type 'text'; notNull true }
                column('genre') { type 'genre'; notNull true }
                column('published') { type 'date'; notNull false }
                indexes atLeast(2)
            }
            index('books_author_idx') { on 'books'; method 'btree'; valid true }
        }
    }

    step('create search function') {
        requires 'create authors and books'
        sql '''
            CREATE OR REPLACE FUNCTION books_by_author(author_email citext)
            RETURNS SETOF books LANGUAGE sql STABLE AS $$
                SELECT b.* FROM books b JOIN authors a ON a.id = b.author_id
                 WHERE a.email = author_email
                 ORDER BY b.published
            $$
        '''
        verify { function 'books_by_author(citext)' }
    }

    step('seed a first author') {
        guard { value('SELECT count(*) FROM authors') == 0 }
        groovy { db ->
            def author = db.firstRow('''INSERT INTO authors (name, email) VALUES (?, ?) RETURNING id''',
                                     ['Ursula K. Le Guin', 'ursula@example.org'])
            db.executeInsert('''INSERT INTO books (author_id, title, genre, published)
                                VALUES (?, ?, 'fiction'::genre, ?)''',
                             [author.id, 'The Dispossessed', java.sql.Date.valueOf('1974-05-01')])
        }
        verify {
            rowCount 'authors', 1
            expect('the seeded book is findable through the search function') {
                value("SELECT count(*) FROM books_by_author('URSULA@example.org')") == 1
            }
        }
    }

    step('grant read access') {
        runAlways true                                   // grants are re-applied on every run
        sql 'GRANT SELECT ON authors, books TO PUBLIC'
    }

    verify {                                             // plan-level: read-only, after all steps
        rowCount 'books', atLeast(1)
        absent { table 'book' }
    }
}
