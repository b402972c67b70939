package dev.mig.diagnose

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.json.JsonSlurper
import groovy.sql.Sql

import java.nio.file.Path

/**
 * Each mig hint, from a real failing plan on the embedded PostgreSQL: what the console prints
 * under the server's error as {@code mig hint:}, and what the JSON report carries as {@code migHint}.
 */
class DiagnosticsSpec extends DatabaseSpec {

    static Path fixture(String name) {
        Path.of(DiagnosticsSpec.getResource("/plans/diagnostics/${name}").toURI())
    }

    /** The lines of the failure block's {@code mig hint:} row, without the block's indentation. */
    static String hint(MigCli result) {
        List<String> lines = result.out.readLines()
        int start = lines.findIndexOf { it.startsWith('      mig hint:  ') }
        if (start < 0) {
            return null
        }
        List<String> block = [lines[start].substring('      mig hint:  '.length())]
        for (int i = start + 1; i < lines.size() && lines[i].startsWith(' ' * 17); i++) {
            block << lines[i].substring(17)
        }
        block.join('\n')
    }

    Map report(Path json) {
        new JsonSlurper().parse(json.toFile()) as Map
    }

    Path plan(String name, String text) {
        files.write(name + '.groovy', text)
    }

    // ---- 42P07 / 42710: a name that is taken --------------------------------------------------

    def "42P07: a name held by a constraint's index on another table names that constraint and dropConstraintNamed"() {
        given:
        sql { Sql s ->
            s.execute('CREATE SCHEMA kb')
            s.execute('CREATE TABLE kb.old_chunks (doc_id bigint, position int, CONSTRAINT unique_chunk UNIQUE (doc_id, position))')
        }
        Path json = files.dir.resolve('report.json')

        when:
        def result = mig(fixture('name-held-by-constraint.groovy').toString(), '--report', "json:${json}".toString())

        then:
        result.exitCode == 1
        result.out.contains('SQL State: 42P07')
        hint(result) == '''\
            the name belongs to the unique constraint unique_chunk on table kb.old_chunks: kb.unique_chunk is that constraint's index, and index names share one namespace with tables
            to free it: cleanup { dropConstraintNamed 'kb.unique_chunk' }'''.stripIndent()
        // the hint sits between the server's rows and the effect
        result.out.indexOf('mig hint:') > result.out.indexOf('Message:')
        result.out.indexOf('mig hint:') < result.out.indexOf('Effect:')
        report(json).steps[0].error.migHint == hint(result).readLines()
    }

    def "42P07: a constraint declared in CREATE TABLE kb.t looks for the name in kb"() {
        given:
        sql { Sql s ->
            s.execute('CREATE SCHEMA kb')
            s.execute('CREATE TABLE kb.staging_chunks (doc_id bigint, position int, CONSTRAINT unique_chunk UNIQUE (doc_id, position))')
        }
        def p = plan('create-table-constraint', """
            plan('create-table-constraint') {
                step('chunks') {
                    sql 'CREATE TABLE kb.chunks (doc_id bigint, position int, CONSTRAINT unique_chunk UNIQUE (doc_id, position))'
                }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        hint(result).startsWith('the name belongs to the unique constraint unique_chunk on table kb.staging_chunks: kb.unique_chunk is')
        hint(result).endsWith("to free it: cleanup { dropConstraintNamed 'kb.unique_chunk' }")
    }

    def "42P07: a plain index on another table is named with dropRelationNamed kinds index"() {
        given:
        sql { Sql s ->
            s.execute('CREATE TABLE old_items (id int)')
            s.execute('CREATE INDEX items_id ON old_items (id)')
        }
        def p = plan('plain-index', """
            plan('plain-index') {
                step('items') {
                    sql 'CREATE TABLE items (id int)'
                    sql 'CREATE INDEX items_id ON items (id)'
                }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        result.exitCode == 1
        hint(result) == '''\
            public.items_id is an index on table public.old_items (not a constraint's); index names share one namespace with tables
            to free it: cleanup { dropRelationNamed 'items_id', kinds: ['index'] }'''.stripIndent()
    }

    def "42P07: a sequence that no column owns, and one that a column owns"() {
        given:
        sql { Sql s ->
            s.execute('CREATE SEQUENCE stray_seq')
            s.execute('CREATE TABLE orders (id serial)')
        }
        def p = plan('sequence', """
            plan('sequence') {
                step('stray') { sql 'CREATE TABLE stray_seq (id int)' }
            }
        """)
        def q = plan('owned-sequence', """
            plan('owned-sequence') {
                step('owned') { sql 'CREATE INDEX orders_id_seq ON orders (id)' }
            }
        """)

        when:
        def stray = mig(p.toString())
        def owned = mig(q.toString())

        then:
        hint(stray) == '''\
            public.stray_seq is a sequence that no column owns
            to free it: cleanup { dropRelationNamed 'stray_seq', kinds: ['sequence'] } (or dropOrphanedSequences())'''.stripIndent()
        hint(owned) == 'public.orders_id_seq is a sequence owned by column public.orders.id (serial or identity): it goes with that column; choose another name'
    }

    def "42P07: an existing table suggests a guard, or dropRelationNamed for a leftover"() {
        given:
        sql { Sql s -> s.execute('CREATE TABLE users (id int)') }
        def p = plan('table-exists', """
            plan('table-exists') {
                step('users') { sql 'CREATE TABLE users (id bigint PRIMARY KEY)' }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        hint(result) == '''\
            public.users is a table that exists already
            if it is this step's own table (an earlier attempt, or made by hand): guard { !table('users').exists() }, or CREATE ... IF NOT EXISTS
            if it is a leftover: cleanup { dropRelationNamed 'users', kinds: ['table'] } (drops its rows)'''.stripIndent()
    }

    def "42P07: a step that creates the same name twice is told so, with the first place"() {
        given:
        def p = files.write('twice.groovy', """\
            plan('twice') {
                step('two statements') {
                    sql '''CREATE TABLE a (id int);
                           CREATE TABLE a (id int);'''
                }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        result.out.contains('twice.groovy:4')
        hint(result) == "nothing else holds public.a: this step creates it twice, first at ${p.fileName}:3 (rolled back with the step)".toString()
            || hint(result) == "nothing else holds public.a: this step creates it twice, first at ${p}:3 (rolled back with the step)".toString()
    }

    def "42710: CREATE TYPE of a name an enum holds names the enum, its labels and dropTypeIfUnused"() {
        given:
        sql { Sql s -> s.execute("CREATE TYPE mood AS ENUM ('sad', 'ok')") }
        def p = plan('type-exists', """
            plan('type-exists') {
                step('mood') { sql "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')" }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        result.out.contains('SQL State: 42710')
        hint(result) == '''\
            public.mood is an enum type ('sad', 'ok') that exists already
            if it is this step's own type (an earlier attempt, or made by hand): guard { !type('mood').exists() }
            if it is a leftover: cleanup { dropTypeIfUnused 'mood' } (left alone, and said so, while a column or function uses it)'''.stripIndent()
    }

    def "42710: a type named like a table is that table's row type"() {
        given:
        sql { Sql s -> s.execute('CREATE TABLE status (id int)') }
        def p = plan('row-type', """
            plan('row-type') {
                step('status') { sql "CREATE TYPE status AS ENUM ('on', 'off')" }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        hint(result).startsWith('public.status is the row type of table public.status: every table, view and sequence has a type of its own name')
    }

    // ---- 42704: a type (or operator class) that does not exist -------------------------------------

    def "42704: a type from an extension this server lacks names the extension and the later step that creates it"() {
        when:
        def result = mig(fixture('type-from-later-extension.groovy').toString())

        then:
        result.exitCode == 1
        result.out.contains('type "vector" does not exist')
        hint(result) ==~ /(?s)type vector comes from extension vector \(pgvector\), which this server does not have \(not in pg_available_extensions\): install it on the server, then CREATE EXTENSION IF NOT EXISTS vector\n/ +
                /step 'enable vector' creates extension vector later in this plan \(.*type-from-later-extension.groovy:10\): move that step before this one/
    }

    def "42704: a type from an extension the server has but the database lacks says to create it"() {
        given:
        def p = plan('citext', """
            plan('citext') {
                step('users') { sql 'CREATE TABLE users (email citext)' }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        hint(result) ==~ /type citext comes from extension citext, available on this server \(version [\d.]+\) but not installed in this database: CREATE EXTENSION IF NOT EXISTS citext in a step before this one/
    }

    def "42704: an extension installed in a schema off the search_path says to qualify the type"() {
        given:
        sql { Sql s ->
            s.execute('CREATE SCHEMA extensions')
            s.execute('CREATE EXTENSION citext SCHEMA extensions')
        }
        def p = plan('off-path', """
            plan('off-path') {
                step('users') { sql 'CREATE TABLE users (email citext)' }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        hint(result).startsWith('type citext comes from extension citext, installed in schema extensions, which is not on the search_path (')
    }

    def "42704: an operator class of pg_trgm names pg_trgm"() {
        given:
        sql { Sql s -> s.execute('CREATE TABLE docs (body text)') }
        def p = plan('trgm', """
            plan('trgm') {
                step('index') { sql 'CREATE INDEX docs_body ON docs USING gin (body gin_trgm_ops)' }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        hint(result).startsWith('operator class gin_trgm_ops comes from extension pg_trgm, available on this server')
    }

    def "42704: a misspelt type gets a did-you-mean"() {
        given:
        def p = plan('typo', """
            plan('typo') {
                step('t') { sql 'CREATE TABLE t (n intt)' }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        hint(result).startsWith("no type intt here; did you mean '")
        hint(result).contains("'int'")
    }

    // ---- 42P01 / 42883 / 3F000: things that do not exist -------------------------------------------

    def "42P01: a relation that a later step creates names that step"() {
        given:
        def p = plan('later-table', """
            plan('later-table') {
                step('seed') { sql "INSERT INTO settings VALUES ('mode', 'fast')" }
                step('settings') { sql 'CREATE TABLE settings (k text PRIMARY KEY, v text)' }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        result.out.contains('SQL State: 42P01')
        hint(result) ==~ /step 'settings' creates table settings later in this plan \(.*later-table.groovy:4\): move that step before this one/
    }

    def "42P01: a table in a schema the search_path does not reach says to qualify it"() {
        given:
        sql { Sql s ->
            s.execute('CREATE SCHEMA app')
            s.execute('CREATE TABLE app.settings (k text)')
        }
        def p = plan('other-schema', """
            plan('other-schema') {
                step('read') { sql 'SELECT * FROM settings' }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        hint(result) ==~ /a relation named settings exists in schema app, which the search_path \(.*\) does not reach: qualify it \(app.settings\) or add the schema to the search_path/
    }

    def "42883: a call that matches no overload lists the overloads that exist"() {
        given:
        sql { Sql s ->
            s.execute('CREATE FUNCTION score(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT a $$')
            s.execute('CREATE FUNCTION score(a integer, b integer) RETURNS integer LANGUAGE sql AS $$ SELECT a + b $$')
        }
        def p = plan('overloads', """
            plan('overloads') {
                step('call') { sql 'SELECT score(true)' }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        result.out.contains('SQL State: 42883')
        hint(result) == '''\
            function score(boolean) matches none of the 2 that exist:
              public.score(a integer) returns integer
              public.score(a integer, b integer) returns integer
            cast the arguments to the types of one of them'''.stripIndent()
    }

    def "42883: uuid_generate_v4 names uuid-ossp"() {
        given:
        def p = plan('uuid', """
            plan('uuid') {
                step('call') { sql 'SELECT uuid_generate_v4()' }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        hint(result).startsWith('function uuid_generate_v4 comes from extension uuid-ossp, available on this server')
        hint(result).contains('CREATE EXTENSION IF NOT EXISTS "uuid-ossp"')
    }

    def "42883: a function that a later step creates names that step"() {
        given:
        def p = plan('later-function', """
            plan('later-function') {
                step('use') { sql 'CREATE VIEW v AS SELECT slugify(\\'A b\\') AS s' }
                step('define') {
                    sql '''CREATE OR REPLACE FUNCTION slugify(t text) RETURNS text
                           LANGUAGE sql AS \$\$ SELECT lower(replace(t, ' ', '-')) \$\$'''
                }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        hint(result) ==~ /step 'define' creates function slugify later in this plan \(.*later-function.groovy:5\): move that step before this one/
    }

    def "3F000: a schema that a later step creates names that step"() {
        given:
        def p = plan('later-schema', """
            plan('later-schema') {
                step('chunks') { sql 'CREATE TABLE kb.chunks (id int)' }
                step('schema') { sql 'CREATE SCHEMA IF NOT EXISTS kb' }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        result.out.contains('SQL State: 3F000')
        hint(result) ==~ /step 'schema' creates schema kb later in this plan \(.*later-schema.groovy:4\): move that step before this one/
    }

    def "3F000: a schema no step creates gets a did-you-mean and CREATE SCHEMA"() {
        given:
        sql { Sql s -> s.execute('CREATE SCHEMA billing') }
        def p = plan('no-schema', """
            plan('no-schema') {
                step('t') { sql 'CREATE TABLE biling.invoices (id int)' }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        hint(result) == "no schema biling on this database (did you mean 'billing'?), and no later step of this plan creates it: CREATE SCHEMA IF NOT EXISTS biling in a step before this one"
    }

    // ---- 23503 / 23505 / 23502: rows that break a new constraint ---------------------------------

    def "23503: a polymorphic key counts the rows without a match, shows some, and says a plain foreign key cannot express it"() {
        given:
        sql { Sql s ->
            s.execute('CREATE TABLE posts (id int PRIMARY KEY)')
            s.execute('CREATE TABLE comments (id serial PRIMARY KEY, commentable_id int, commentable_type text)')
            s.execute('INSERT INTO posts VALUES (1), (2)')
            s.execute("""INSERT INTO comments (commentable_id, commentable_type) VALUES
                         (1, 'Post'), (2, 'Post'), (7, 'Photo'), (7, 'Photo'), (9, 'Photo'), (NULL, 'Post')""")
        }
        Path json = files.dir.resolve('fk.json')

        when:
        def result = mig(fixture('polymorphic-foreign-key.groovy').toString(), '--report', "json:${json}".toString())

        then:
        result.exitCode == 1
        result.out.contains('SQL State: 23503')
        hint(result) == '''\
            3 rows of public.comments have a commentable_id that public.posts(id) does not have (2 values), most frequent first:
              commentable_id=7 (2 rows), commentable_id=9 (1 row)
            fix or delete those rows first; or add the key NOT VALID (only new rows are checked) and VALIDATE CONSTRAINT once they are clean
            commentable_id has a sibling column commentable_type: the key looks polymorphic (one column pointing at several tables, chosen by commentable_type), which a plain foreign key cannot express; use one key column per target table, or no foreign key
              the rows without a match, by commentable_type: Photo 3'''.stripIndent()
        report(json).steps[0].error.migHint[0].startsWith('3 rows of public.comments')
    }

    def "23503: REFERENCES without columns uses the primary key; VALIDATE CONSTRAINT reads the key from the catalog"() {
        given:
        sql { Sql s ->
            s.execute('CREATE TABLE users (id int PRIMARY KEY)')
            s.execute('CREATE TABLE orders (id int, user_id int)')
            s.execute('INSERT INTO users VALUES (1)')
            s.execute('INSERT INTO orders VALUES (1, 1), (2, 42)')
        }
        def p = plan('fk-pk', """
            plan('fk-pk') {
                step('fk') { sql 'ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users' }
            }
        """)
        def q = plan('fk-validate', """
            plan('fk-validate') {
                step('fk') {
                    sql 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID'
                }
                step('validate') { sql 'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk' }
            }
        """)

        when:
        def added = mig(p.toString())
        def validated = mig(q.toString())

        then:
        hint(added).startsWith('1 row of public.orders have a user_id that public.users(id) does not have (1 value), most frequent first:\n  user_id=42 (1 row)')
        hint(validated).startsWith('1 row of public.orders have a user_id that public.users(id) does not have (1 value)')
    }

    def "23505: a unique index over duplicates counts them and shows the most repeated"() {
        given:
        sql { Sql s ->
            s.execute('CREATE TABLE accounts (id int PRIMARY KEY, email text)')
            s.execute("""INSERT INTO accounts VALUES (1, 'a@x'), (2, 'a@x'), (3, 'a@x'), (4, 'b@x'), (5, 'b@x'),
                         (6, 'c@x'), (7, NULL), (8, NULL)""")
        }
        def p = plan('unique', """
            plan('unique') {
                step('unique email') { sql 'CREATE UNIQUE INDEX accounts_email_key ON accounts (email)' }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        result.out.contains('SQL State: 23505')
        hint(result) == '''\
            2 values of (email) in public.accounts are held by more than one row (5 rows in all), most repeated first:
              email=a@x (3 rows), email=b@x (2 rows)
            keep one row per value (delete or merge the others) before the unique index is built'''.stripIndent()
    }

    def "23505: an expression key is not counted, and the hint says how to list the duplicates"() {
        given:
        sql { Sql s ->
            s.execute('CREATE TABLE accounts (email text)')
            s.execute("INSERT INTO accounts VALUES ('A@x'), ('a@x')")
        }
        def p = plan('unique-expression', """
            plan('unique-expression') {
                step('unique email') { sql 'ALTER TABLE accounts ADD CONSTRAINT accounts_email UNIQUE (email)' }
                step('unique lower') { sql 'CREATE UNIQUE INDEX accounts_lower ON accounts (lower(email))' }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        hint(result) == 'the key (lower(email)) is an expression, which mig does not count: SELECT lower(email), count(*) FROM public.accounts GROUP BY 1 HAVING count(*) > 1 lists the duplicates'
    }

    def "23502: SET NOT NULL counts the nulls and names some rows by primary key"() {
        given:
        sql { Sql s ->
            s.execute('CREATE TABLE projects (id int PRIMARY KEY, tenant_id int)')
            s.execute('INSERT INTO projects VALUES (1, 10), (2, NULL), (3, NULL)')
        }
        def p = plan('not-null', """
            plan('not-null') {
                step('tenant not null') { sql 'ALTER TABLE projects ALTER COLUMN tenant_id SET NOT NULL' }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        result.out.contains('SQL State: 23502')
        hint(result) == '''\
            2 rows of public.projects have tenant_id null, e.g. id=2, id=3
            fill them first (UPDATE projects SET tenant_id = ... WHERE tenant_id IS NULL), in this step before SET NOT NULL or in an earlier one'''.stripIndent()
    }

    def "23502: ADD COLUMN NOT NULL without a default on a table with rows says to give it a default"() {
        given:
        sql { Sql s ->
            s.execute('CREATE TABLE projects (id int PRIMARY KEY)')
            s.execute('INSERT INTO projects VALUES (1), (2)')
        }
        def p = plan('add-not-null', """
            plan('add-not-null') {
                step('tenant') { sql 'ALTER TABLE projects ADD COLUMN tenant_id int NOT NULL' }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        hint(result) == 'public.projects has 2 rows, and the new column tenant_id, NOT NULL without a DEFAULT, would be null in each: give it a DEFAULT, or add it nullable, fill it, then SET NOT NULL'
    }

    // ---- 25001, 55P03, 57014 ----------------------------------------------------------------------

    def "25001: CONCURRENTLY in a transactional step says transaction false and shows the step"() {
        given: 'a statement run by a groovy block, which the plan check cannot see (sql text would be a plan error)'
        sql { Sql s -> s.execute('CREATE TABLE items (id int)') }
        def p = plan('concurrently', """
            plan('concurrently') {
                step('index items') {
                    groovy { db -> db.execute('CREATE INDEX CONCURRENTLY items_id ON items (id)') }
                }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        result.out.contains('SQL State: 25001')
        hint(result) ==~ /(?s)CREATE INDEX CONCURRENTLY cannot run inside a transaction, and step 'index items' \(.*concurrently.groovy:3\) runs in one: write it as step\('index items'\) \{ transaction false; ... \}\n/ +
                /a step without a transaction is not rolled back on failure, so write it to be rerunnable .*/
    }

    def "55P03: a lock timeout names its value and the session the watcher saw blocking the statement"() {
        given:
        sql { Sql s -> s.execute('CREATE TABLE items (id int)') }
        def blocker = TestPostgres.connect(db)
        blocker.createStatement().execute("SET application_name = 'report-job'")
        int blockerPid = new Sql(blocker).firstRow('SELECT pg_backend_pid() AS pid').pid as int
        blocker.autoCommit = false
        blocker.createStatement().execute('SELECT * FROM items')
        def p = plan('lock', """
            plan('lock') {
                step('add column') {
                    lockTimeout '1s'
                    sql 'ALTER TABLE items ADD COLUMN name text'
                }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        result.out.contains('SQL State: 55P03')
        def lines = hint(result).readLines()
        lines[0] == "lock_timeout 1s fired (the step's lockTimeout): the statement waited that long for a lock another session holds; lockTimeout on the step waits longer"
        lines[1] == 'blocked by (seen while the statement waited):'
        lines[2] ==~ /  pid ${blockerPid} \(user postgres, application report-job, client [^,]+, idle in transaction for \d+ s\): SELECT \* FROM items/
        lines[3].startsWith('a session idle in transaction keeps its locks until it commits or rolls back')
        lines[4] == 'retries 3 in the step (or in the plan block) tries the whole step again after a short pause'

        cleanup:
        blocker?.close()
    }

    def "55P03: when the wait was too short for the watcher, the hint lists the sessions holding locks on the statement's relations"() {
        given:
        sql { Sql s -> s.execute('CREATE TABLE items (id int)') }
        def blocker = TestPostgres.connect(db)
        blocker.autoCommit = false
        blocker.createStatement().execute("SET application_name = 'report-job'")
        int blockerPid = new Sql(blocker).firstRow('SELECT pg_backend_pid() AS pid').pid as int
        blocker.createStatement().execute('SELECT * FROM items')
        def p = plan('lock', """
            plan('lock') {
                step('add column') {
                    lockTimeout '20ms'
                    sql 'ALTER TABLE items ADD COLUMN name text'
                }
            }
        """)

        when: 'the statement gives up after 20 ms, before the watcher first looks (100 ms)'
        def result = mig(p.toString())

        then:
        result.out.contains('SQL State: 55P03')
        def lines = hint(result).readLines()
        lines[0].startsWith("lock_timeout 20ms fired (the step's lockTimeout)")
        lines[1] == 'sessions holding locks on public.items:'
        lines[2] ==~ /  pid ${blockerPid} \(user postgres, application report-job, idle in transaction, transaction open \d+ s\) holds AccessShareLock on public.items; last query: SELECT \* FROM items/
        lines[3].startsWith('a session idle in transaction keeps its locks until it commits or rolls back')

        cleanup:
        blocker?.close()
    }

    def "57014: a statement timeout names its value and where it was set"() {
        given:
        def p = plan('slow', """
            plan('slow') {
                statementTimeout '200ms'
                step('slow') { sql 'SELECT pg_sleep(5)' }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        result.out.contains('SQL State: 57014')
        hint(result).startsWith("statement_timeout 200ms fired (the plan's statementTimeout): the statement ran longer than that")
    }

    // ---- 42501 ------------------------------------------------------------------------------------

    def "42501: a missing privilege names the role, what it holds, the owner and the GRANT; so does ownership"() {
        given:
        String role = 'mig_hint_reader'
        sql { Sql s ->
            s.execute("DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} LOGIN; END IF; END \$\$".toString())
            s.execute("GRANT CREATE ON DATABASE \"${db}\" TO ${role}".toString())
            s.execute('CREATE TABLE secrets (id int)')
            s.execute("GRANT INSERT ON secrets TO ${role}".toString())
        }
        String roleUrl = url.replace('user=postgres', "user=${role}")
        def p = plan('denied', """
            plan('denied') {
                step('read') { sql 'SELECT * FROM secrets' }
            }
        """)
        def q = plan('not-owner', """
            plan('not-owner') {
                step('alter') { sql 'ALTER TABLE secrets ADD COLUMN note text' }
            }
        """)

        when:
        def denied = MigCli.run(['run', '--url', roleUrl, p.toString()])
        def notOwner = MigCli.run(['run', '--url', roleUrl, q.toString()])

        then:
        denied.out.contains('SQL State: 42501')
        hint(denied) == """\
            role ${role} lacks SELECT on table public.secrets, owned by postgres; it holds INSERT there
            its owner can grant it: GRANT SELECT ON TABLE public.secrets TO ${role}""".stripIndent()
        hint(notOwner) == """\
            only the owner of table public.secrets (postgres), a member of that role, or a superuser may do this; mig runs as role ${role} here
            run the step as a role that is (a member of) postgres, or have the owner hand it over: ALTER TABLE secrets OWNER TO ${role}""".stripIndent()
    }

    // ---- the hint itself ----------------------------------------------------------------------------

    def "a step without a transaction is diagnosed too"() {
        given:
        def p = plan('autocommit', """
            plan('autocommit') {
                step('index') {
                    transaction false
                    sql 'CREATE INDEX CONCURRENTLY IF NOT EXISTS events_at ON events (at)'
                }
                step('events') { sql 'CREATE TABLE events (at timestamptz)' }
            }
        """)

        when:
        def result = mig(p.toString())

        then:
        result.out.contains('SQL State: 42P01')
        hint(result) ==~ /step 'events' creates table events later in this plan \(.*autocommit.groovy:7\): move that step before this one/
    }

    def "a diagnosis that fails becomes one line and never an exception"() {
        given:
        def p = plan('any', """
            plan('any') {
                step('users') { sql 'CREATE TABLE users (id int)' }
            }
        """)
        def loaded = new dev.mig.plan.PlanLoader().load(p)
        def connection = TestPostgres.connect(db)
        connection.autoCommit = false
        connection.close()
        def error = new ServerError('42P07', 'relation "users" already exists', null, 'CREATE TABLE users (id int)',
                null, null, null, null)

        when:
        def lines = new Diagnostician(connection, loaded, ['public']).diagnose(loaded.steps[0], error, null)

        then:
        lines.size() == 1
        lines[0].startsWith('(mig could not diagnose this: ')
        lines[0].endsWith(')')
    }

    def "an error whose message does not read as expected gets no hint"() {
        given:
        def p = plan('odd', """
            plan('odd') {
                step('users') { sql 'CREATE TABLE users (id int)' }
            }
        """)
        def loaded = new dev.mig.plan.PlanLoader().load(p)
        def connection = TestPostgres.connect(db)
        connection.autoCommit = false

        expect:
        new Diagnostician(connection, loaded, ['public']).diagnose(loaded.steps[0],
                new ServerError(state, message, null, 'CREATE TABLE users (id int)', null, null, null, null), null) == []

        cleanup:
        connection.close()

        where:
        state   | message
        '42P07' | 'la relation « users » existe déjà'
        '42704' | 'le type « vector » n\'existe pas'
        '23503' | 'insert or update on table "orders" violates foreign key constraint "f"'
        '25001' | 'something else entirely'
        '55P03' | 'could not lock'
    }

    def "an error mig has no hint for prints no mig hint row, and the report has an empty migHint"() {
        given:
        Path json = files.dir.resolve('none.json')
        def p = plan('division', """
            plan('division') {
                step('divide') { sql 'SELECT 1 / 0' }
            }
        """)

        when:
        def result = mig(p.toString(), '--report', "json:${json}".toString())

        then:
        result.out.contains('SQL State: 22012')
        !result.out.contains('mig hint')
        report(json).steps[0].error.migHint == []
    }
}
