package dev.mig.imports

import java.nio.file.Files
import java.nio.file.Path

/**
 * A seeded, realistic history of migrations (tables, added columns, indexes, concurrent indexes
 * in files of their own, plpgsql functions whose $$ bodies hold semicolons, triggers, extensions,
 * views, comments, seed rows, DO blocks, sequences, checks, enums), with a down part for each,
 * written out in the layout of each tool. It also knows the order and the transaction mode in
 * which each file is meant to run, so a test can apply the files without mig to compare.
 */
final class MigrationHistory {

    /** One migration: its slug, up and down SQL, and whether it must run outside a transaction. */
    static final class Change {
        String slug
        String up
        String down
        boolean concurrent
    }

    /** A file to apply, in order, as psql -f would: one transaction unless {@code autocommit}. */
    static final class Script {
        String file
        String sql
        boolean autocommit
    }

    final List<Change> changes = []
    final List<Change> repeatables = []
    private final Random random
    private final List<Map> tables = []
    private int k = 0
    private boolean citext

    MigrationHistory(long seed, int size) {
        random = new Random(seed)
        add('enable_pgcrypto', 'CREATE EXTENSION IF NOT EXISTS pgcrypto;', 'DROP EXTENSION IF EXISTS pgcrypto;')
        createTable()
        while (changes.size() < size) {
            int r = random.nextInt(100)
            if (r < 14) createTable()
            else if (r < 28) addColumn()
            else if (r < 38) createIndex()
            else if (r < 46) concurrentIndex()
            else if (r < 54) function()
            else if (r < 60) trigger()
            else if (r < 66) view()
            else if (r < 72) comment()
            else if (r < 82) seedRows()
            else if (r < 87) doBlock()
            else if (r < 91) sequence()
            else if (r < 95) check()
            else if (r < 97) enumType()
            else if (!citext) { citext = true; add('enable_citext', 'CREATE EXTENSION IF NOT EXISTS citext;', 'DROP EXTENSION IF EXISTS citext;') }
            else seedRows()
        }
        Map t = tables[0]
        repeatables << new Change(slug: 'reporting_views', up: """\
            -- Repeatable: recreated whenever it changes; the ; in this comment does not split
            CREATE OR REPLACE VIEW report_${t.name} AS
                SELECT id, name, 'report; of ${t.name}'::text AS label FROM ${t.name};
            COMMENT ON VIEW report_${t.name} IS 'Generated; do not edit';
            """.stripIndent(), down: "DROP VIEW IF EXISTS report_${t.name};")
        repeatables << new Change(slug: 'grants_and_helpers', up: """\
            CREATE OR REPLACE FUNCTION helper_now() RETURNS timestamptz LANGUAGE sql STABLE AS \$\$ SELECT now(); \$\$;
            """.stripIndent(), down: 'DROP FUNCTION IF EXISTS helper_now();')
    }

    private Map pick() { tables[random.nextInt(tables.size())] }

    private void add(String slug, String up, String down, boolean concurrent = false) {
        k++
        changes << new Change(slug: slug, up: "-- ${k}: ${slug.replace('_', ' ')}; generated\n" + up.stripIndent(), down: down.stripIndent(), concurrent: concurrent)
    }

    private void createTable() {
        String name = "t${k}_" + ['users', 'orders', 'items', 'events', 'notes', 'tags'][random.nextInt(6)]
        Map parent = tables ? pick() : null
        String email = citext ? 'email citext' : 'email text'
        tables << [name: name, columns: ['id', 'name', 'created_at'], index: 0]
        add("create_${name}", """\
            CREATE TABLE ${name} (
                id bigserial PRIMARY KEY,
                public_id uuid NOT NULL DEFAULT gen_random_uuid(),
                name text NOT NULL DEFAULT 'unnamed',
                ${email},
                ${parent ? "parent_id bigint REFERENCES ${parent.name} (id) ON DELETE CASCADE," : ''}
                created_at timestamptz NOT NULL DEFAULT now()
            );
            """, "DROP TABLE ${name};")
    }

    private void addColumn() {
        Map t = pick()
        String col = "c${k}"
        t.columns << col
        String type = ['integer NOT NULL DEFAULT 0', 'text', "numeric(12,2) DEFAULT 1.50", "jsonb NOT NULL DEFAULT '{}'::jsonb", 'boolean DEFAULT false'][random.nextInt(5)]
        add("add_${col}_to_${t.name}", "ALTER TABLE ${t.name} ADD COLUMN ${col} ${type};", "ALTER TABLE ${t.name} DROP COLUMN ${col};")
    }

    private void createIndex() {
        Map t = pick()
        String col = t.columns[random.nextInt(t.columns.size())]
        String idx = "${t.name}_${col}_i${k}"
        add("index_${idx}", "CREATE INDEX ${idx} ON ${t.name} (${col});", "DROP INDEX ${idx};")
    }

    private void concurrentIndex() {
        Map t = pick()
        String col = t.columns[random.nextInt(t.columns.size())]
        String idx = "${t.name}_${col}_ci${k}"
        add("concurrent_index_${idx}", "CREATE INDEX CONCURRENTLY IF NOT EXISTS ${idx} ON ${t.name} (${col});",
                "DROP INDEX IF EXISTS ${idx};", true)
    }

    private void function() {
        String f = "calc_${k}"
        add("function_${f}", """\
            CREATE OR REPLACE FUNCTION ${f}(a integer, b text DEFAULT 'x;y') RETURNS text
            LANGUAGE plpgsql IMMUTABLE AS \$\$
            DECLARE
                total integer := 0;
            BEGIN
                FOR i IN 1..a LOOP
                    total := total + i * ${k};
                END LOOP;
                RETURN b || ';' || total::text; -- a ; in a comment
            END;
            \$\$;
            """, "DROP FUNCTION ${f}(integer, text);")
    }

    private void trigger() {
        Map t = pick()
        String f = "touch_${k}"
        add("trigger_${f}_on_${t.name}", """\
            ALTER TABLE ${t.name} ADD COLUMN IF NOT EXISTS updated_at timestamptz;
            CREATE FUNCTION ${f}() RETURNS trigger LANGUAGE plpgsql AS \$body\$
            BEGIN
                NEW.updated_at := now();
                RETURN NEW;
            END;
            \$body\$;
            CREATE TRIGGER ${f}_trg BEFORE UPDATE ON ${t.name}
                FOR EACH ROW EXECUTE FUNCTION ${f}();
            """, "DROP TRIGGER ${f}_trg ON ${t.name};\nDROP FUNCTION ${f}();")
    }

    private void view() {
        Map t = pick()
        String v = "v${k}_${t.name}"
        add("view_${v}", "CREATE VIEW ${v} AS\n    SELECT id, name, created_at FROM ${t.name} WHERE name <> 'x;y';", "DROP VIEW ${v};")
    }

    private void comment() {
        Map t = pick()
        add("comment_${t.name}", "COMMENT ON TABLE ${t.name} IS 'Holds ${t.name}; it''s commented at ${k}';\nCOMMENT ON COLUMN ${t.name}.name IS 'The name';",
                "COMMENT ON TABLE ${t.name} IS NULL;")
    }

    private void seedRows() {
        Map t = pick()
        int rows = 1 + random.nextInt(4)
        String values = (1..rows).collect { "('seed ${k}.${it}; ok')" }.join(', ')
        add("seed_${t.name}", "INSERT INTO ${t.name} (name) VALUES ${values};", "DELETE FROM ${t.name} WHERE name LIKE 'seed ${k}.%';")
    }

    private void doBlock() {
        String name = "dyn_${k}"
        add("do_${name}", """\
            DO \$\$
            BEGIN
                IF to_regclass('${name}') IS NULL THEN
                    EXECUTE 'CREATE TABLE ${name} (id int PRIMARY KEY, note text DEFAULT ''a;b'')';
                END IF;
            END
            \$\$;
            """, "DROP TABLE IF EXISTS ${name};")
    }

    private void sequence() {
        add("sequence_s${k}", "CREATE SEQUENCE s${k} START ${k * 10} INCREMENT 5;\nSELECT nextval('s${k}');", "DROP SEQUENCE s${k};")
    }

    private void check() {
        Map t = pick()
        add("check_${t.name}_${k}", "ALTER TABLE ${t.name} ADD CONSTRAINT ${t.name}_name_len_${k} CHECK (length(name) < ${200 + k});",
                "ALTER TABLE ${t.name} DROP CONSTRAINT ${t.name}_name_len_${k};")
    }

    private void enumType() {
        add("enum_mood_${k}", "CREATE TYPE mood_${k} AS ENUM ('sad', 'ok', 'happy');", "DROP TYPE mood_${k};")
    }

    // ---- the layouts

    /**
     * Flyway: V1__, then now and then V<n>.1__ or V<n>_2__ between V<n> and V<n+1>; U files for most; two R__ files.
     * With {@code code}, a Java migration in the middle (V<version>_0_5__Backfill_in_java.java, right after the middle
     * V file) that only updates rows, so nothing later needs it; it is not among the scripts, as psql cannot run it.
     */
    List<Script> writeFlyway(Path dir, boolean code = false) {
        Files.createDirectories(dir)
        List<Script> order = []
        int major = 0
        int minor = 0
        changes.eachWithIndex { Change c, int i ->
            String version
            if (i > 0 && random.nextInt(100) < 15) {
                minor++
                version = random.nextBoolean() ? "${major}.${minor}" : "${major}_${minor}"
            } else {
                major++
                minor = 0
                version = "${major}"
            }
            String file = "V${version}__${c.slug}.sql"
            write(dir, file, c.up)
            if (random.nextInt(100) < 70) {
                write(dir, "U${version}__${c.slug}.sql", c.down)
            }
            order << new Script(file: file, sql: c.up, autocommit: c.concurrent)
            if (code && i == changes.size().intdiv(2)) {
                String name = "V${version.replace('.', '_')}_0_5__Backfill_in_java"
                write(dir, "${name}.java", JAVA_MIGRATION.replace('CLASS', name))
            }
        }
        repeatables.sort { it.slug }.each { Change c ->
            write(dir, "R__${c.slug}.sql", c.up)
            order << new Script(file: "R__${c.slug}.sql", sql: c.up)
        }
        order
    }

    /** golang-migrate: <n>_slug.up.sql and .down.sql, numbered 1, 2, ... 10 (so name order is not version order). */
    List<Script> writeGolang(Path dir) {
        Files.createDirectories(dir)
        List<Script> order = []
        changes.eachWithIndex { Change c, int i ->
            String file = "${i + 1}_${c.slug}.up.sql"
            write(dir, file, c.up)
            write(dir, "${i + 1}_${c.slug}.down.sql", c.down)
            order << new Script(file: file, sql: c.up, autocommit: c.concurrent)
        }
        order
    }

    /** dbmate: 2020...._slug.sql with -- migrate:up (transaction:false for concurrent builds) and -- migrate:down. */
    List<Script> writeDbmate(Path dir) {
        Files.createDirectories(dir)
        List<Script> order = []
        long stamp = 20200101120000L
        changes.each { Change c ->
            stamp += 1 + random.nextInt(50)
            String file = "${stamp}_${c.slug}.sql"
            write(dir, file, "-- migrate:up${c.concurrent ? ' transaction:false' : ''}\n${c.up}\n-- migrate:down\n${c.down}\n")
            order << new Script(file: file, sql: c.up, autocommit: c.concurrent)
        }
        order
    }

    /** Plain: <n>_slug.sql, unpadded, so only natural ordering runs them right. */
    List<Script> writePlain(Path dir) {
        Files.createDirectories(dir)
        List<Script> order = []
        changes.eachWithIndex { Change c, int i ->
            String file = "${i + 1}_${c.slug}.sql"
            write(dir, file, c.up)
            order << new Script(file: file, sql: c.up, autocommit: c.concurrent)
        }
        order
    }

    /** A Flyway Java migration that only updates rows (a backfill), as real ones often do. */
    static final String JAVA_MIGRATION = '''\
        package db.migration;

        import org.flywaydb.core.api.migration.BaseJavaMigration;
        import org.flywaydb.core.api.migration.Context;

        public class CLASS extends BaseJavaMigration {
            @Override
            public void migrate(Context context) throws Exception {
                try (var s = context.getConnection().createStatement()) {
                    s.executeUpdate("UPDATE pg_catalog.pg_class SET relname = relname WHERE false");
                }
            }
        }
        '''.stripIndent()

    private static void write(Path dir, String name, String text) {
        Files.writeString(dir.resolve(name), text)
    }
}
