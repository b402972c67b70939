package dev.mig.run

import dev.mig.testing.HostileNames
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Shared
import spock.lang.Specification

import java.sql.Connection
import java.sql.PreparedStatement

import static dev.mig.testing.HostileNames.dsl
import static dev.mig.testing.HostileNames.literal
import static dev.mig.testing.HostileNames.sql as q
import static dev.mig.testing.HostileNames.stored

/**
 * Every cleanup action, run on real objects whose names are hostile (quotes, comment markers,
 * {@code x"; DROP TABLE users; --}, unicode, 63-byte names, ...) and on generated names. Each
 * run must drop exactly its targets: the sentinel table {@code users} keeps its rows and every
 * other object of the database is still there. Half the objects live in a schema whose name is
 * hostile too, and are named schema-qualified in the plan.
 *
 * The generated names come from a seed printed with every failure; rerun one with
 * {@code -Dmig.hostileSeed=N}.
 */
class HostileNamesSpec extends Specification {

    static final String HOSTILE_SCHEMA = 'Sch"ema; DROP TABLE users; -- ü'
    static final String HOLDER = 'mig holder"; DROP TABLE users; --'
    static final String TRIGGER_FUNCTION = 'touch"(); DROP TABLE users; --'

    @Shared long seed = Long.getLong('mig.hostileSeed') ?: new Random().nextLong()
    @Shared List<String> names = HostileNames.FIXED + HostileNames.generate(seed, 36)
    @Shared PlanFiles files = new PlanFiles()

    String db
    Connection conn

    def setup() {
        db = TestPostgres.createDatabase('hostile')
        conn = TestPostgres.connect(db)
        run('CREATE TABLE users (id serial PRIMARY KEY, name text)',
                "INSERT INTO users (name) VALUES ('ann'), ('bob'), ('cy')",
                "CREATE SCHEMA ${q(HOSTILE_SCHEMA)}")
        for (String schema : ['public', HOSTILE_SCHEMA]) {
            run("CREATE TABLE ${q(schema, HOLDER)} (id int)")
        }
    }

    def cleanup() {
        conn?.close()
    }

    /** Even-numbered names live in public and are written unqualified; odd ones in the hostile schema, qualified. */
    static String schemaOf(int i) { i % 2 == 0 ? 'public' : HOSTILE_SCHEMA }

    static String written(int i, String name) { i % 2 == 0 ? dsl(null, name) : dsl(HOSTILE_SCHEMA, name) }

    String nameAfter(int i) { names[(i + 1) % names.size()] }

    def "the names are hostile enough"() {
        expect:
        names.size() == HostileNames.FIXED.size() + 36
        names.toSet().size() == names.size()
        names.collect { stored(it) }.toSet().size() == names.size()
        names.count { HostileNames.bytes(it) == 63 } >= 4
        names.any { it.contains('"') } && names.any { it.contains("'") } && names.any { it.contains('--') }
    }

    def "dropConstraintNamed drops constraints with hostile names and nothing else"() {
        given:
        def targets = []
        def lines = []
        def reports = []
        names.eachWithIndex { String n, int i ->
            String s = schemaOf(i)
            run("ALTER TABLE ${q(s, HOLDER)} ADD CONSTRAINT ${q(n)} CHECK (id > 0)")
            targets << ['constraint', s, HOLDER, stored(n), 'c']
            lines << "dropConstraintNamed ${groovy(written(i, n))}"
            reports << "dropped constraint ${stored(n)} on ${s}.${HOLDER}"
        }

        expect:
        cleansExactly('constraints', targets, lines, reports)
    }

    def "dropRelationNamed drops tables, sequences, views, indexes and materialized views with hostile names and nothing else"() {
        given:
        def kinds = [['table', 'r', { String s, String n -> "CREATE TABLE ${q(s, n)} (id int)" }],
                     ['sequence', 'S', { String s, String n -> "CREATE SEQUENCE ${q(s, n)}" }],
                     ['view', 'v', { String s, String n -> "CREATE VIEW ${q(s, n)} AS SELECT 1 AS one" }],
                     ['index', 'i', { String s, String n -> "CREATE INDEX ${q(n)} ON ${q(s, HOLDER)} (id)" }],
                     ['materialized view', 'm', { String s, String n -> "CREATE MATERIALIZED VIEW ${q(s, n)} AS SELECT 1 AS one" }]]
        def targets = []
        def lines = []
        def reports = []
        names.eachWithIndex { String n, int i ->
            String s = schemaOf(i)
            def (String word, String relkind, Closure create) = kinds[i % kinds.size()]
            run(create(s, n))
            targets << ['class', s, stored(n), stored(n), relkind]
            lines << "dropRelationNamed ${groovy(written(i, n))}" + (i % 3 == 0 ? ", kinds: ['${word}']" : '')
            reports << "dropped ${word} ${s}.${stored(n)}"
        }

        expect:
        cleansExactly('relations', targets, lines, reports)
    }

    def "dropIndexIfInvalid drops invalid indexes with hostile names and leaves valid ones"() {
        given:
        def targets = []
        def lines = []
        def reports = []
        names.eachWithIndex { String n, int i ->
            String s = schemaOf(i)
            run("CREATE INDEX ${q(n)} ON ${q(s, HOLDER)} (id)")
            boolean invalid = (i.intdiv(2)) % 2 == 0
            if (invalid) {
                // what a failed CREATE INDEX CONCURRENTLY leaves behind
                bind('UPDATE pg_index SET indisvalid = false WHERE indexrelid = (SELECT c.oid FROM pg_class c'
                        + ' JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE c.relname = ? AND ns.nspname = ?)', stored(n), s)
                targets << ['class', s, stored(n), stored(n), 'i']
                reports << "dropped invalid index ${s}.${stored(n)}"
            } else {
                reports << "dropIndexIfInvalid ${written(i, n)}: no invalid index of that name"
            }
            lines << "dropIndexIfInvalid ${groovy(written(i, n))}"
        }

        expect:
        cleansExactly('invalid-indexes', targets, lines, reports)
    }

    def "dropFunctionOverloads drops every overload of functions, procedures and aggregates with hostile names, and nothing else"() {
        given:
        def routines = []
        def lines = []
        def reports = []
        names.eachWithIndex { String n, int i ->
            String s = schemaOf(i)
            String arg = q(nameAfter(i))
            switch (i % 3) {
                case 0:
                    run("CREATE FUNCTION ${q(s, n)}(int) RETURNS int LANGUAGE sql AS 'SELECT 1'",
                            "CREATE FUNCTION ${q(s, n)}(${arg} text, \"mig b\" int) RETURNS int LANGUAGE sql AS 'SELECT 2'")
                    reports << "dropped function ${s}.${stored(n)}(integer)"
                    break
                case 1:
                    run("CREATE PROCEDURE ${q(s, n)}(${arg} int) LANGUAGE sql AS 'SELECT 1'",
                            "CREATE FUNCTION ${q(s, n)}(text) RETURNS int LANGUAGE sql AS 'SELECT 2'")
                    reports << "dropped function ${s}.${stored(n)}(text)"
                    break
                default:
                    run("CREATE AGGREGATE ${q(s, n)}(int) (sfunc = int4pl, stype = int)",
                            "CREATE FUNCTION ${q(s, n)}(${arg} text) RETURNS int LANGUAGE sql AS 'SELECT 2'")
                    reports << "dropped aggregate ${s}.${stored(n)}(integer)"
            }
            routines << [s, stored(n)]
            lines << "dropFunctionOverloads ${groovy(written(i, n))}"
        }
        def targets = snapshot().findAll { it[0] == 'routine' && [it[1], it[2]] in routines }

        expect:
        routines.findAll { r -> targets.count { [it[1], it[2]] == r } != 2 } == []
        cleansExactly('functions', targets, lines, reports)
    }

    def "dropPoliciesOn drops the policies of tables with hostile names, themselves named hostilely, and nothing else"() {
        given:
        def tables = []
        def lines = []
        def reports = []
        names.eachWithIndex { String n, int i ->
            String s = schemaOf(i)
            run("CREATE TABLE ${q(s, n)} (id int)",
                    "ALTER TABLE ${q(s, n)} ENABLE ROW LEVEL SECURITY",
                    "CREATE POLICY ${q(n)} ON ${q(s, n)} USING (id > 0)",
                    "CREATE POLICY ${q(nameAfter(i))} ON ${q(s, n)} FOR SELECT USING (true)")
            tables << [s, stored(n)]
            lines << "dropPoliciesOn ${groovy(written(i, n))}"
            reports << "dropped policy ${stored(n)} on ${s}.${stored(n)}" << "dropped policy ${stored(nameAfter(i))} on ${s}.${stored(n)}"
        }
        def targets = snapshot().findAll { it[0] == 'policy' && [it[1], it[2]] in tables }

        expect:
        targets.size() == 2 * names.size()
        cleansExactly('policies', targets, lines, reports)
    }

    def "dropTriggersOn drops the user triggers of tables with hostile names and keeps their foreign-key triggers"() {
        given:
        run("CREATE FUNCTION ${q(TRIGGER_FUNCTION)}() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN RETURN NEW; END\$\$")
        def tables = []
        def lines = []
        def reports = []
        names.eachWithIndex { String n, int i ->
            String s = schemaOf(i)
            run("CREATE TABLE ${q(s, n)} (id int, user_id int REFERENCES users (id))",
                    "CREATE TRIGGER ${q(n)} BEFORE INSERT ON ${q(s, n)} FOR EACH ROW EXECUTE FUNCTION ${q(TRIGGER_FUNCTION)}()",
                    "CREATE TRIGGER ${q(nameAfter(i))} AFTER UPDATE ON ${q(s, n)} FOR EACH ROW EXECUTE FUNCTION ${q(TRIGGER_FUNCTION)}()")
            tables << [s, stored(n)]
            lines << "dropTriggersOn ${groovy(written(i, n))}"
            reports << "dropped trigger ${stored(n)} on ${s}.${stored(n)}" << "dropped trigger ${stored(nameAfter(i))} on ${s}.${stored(n)}"
        }
        def before = snapshot()
        def targets = before.findAll { it[0] == 'trigger' && [it[1], it[2]] in tables && it[4] == 'user' }

        expect:
        targets.size() == 2 * names.size()
        before.count { it[0] == 'trigger' && it[4] == 'internal' } >= 4 * names.size()
        cleansExactly('triggers', targets, lines, reports)
    }

    def "dropTypeIfUnused drops unused types with hostile names and leaves used ones alone"() {
        given:
        def targets = []
        def lines = []
        def reports = []
        names.eachWithIndex { String n, int i ->
            String s = schemaOf(i)
            String other = q(nameAfter(i))
            def (String word, String typtype) = [['enum type', 'e'], ['composite type', 'c'], ['domain', 'd'], ['range type', 'r']][i % 4]
            switch (typtype) {
                case 'e': run("CREATE TYPE ${q(s, n)} AS ENUM (${literal(stored(n))}, 'b')"); break
                case 'c': run("CREATE TYPE ${q(s, n)} AS (\"mig a\" int, ${other} text)"); break
                case 'd': run("CREATE DOMAIN ${q(s, n)} AS int CONSTRAINT ${other} CHECK (VALUE > 0)"); break
                default: run("CREATE TYPE ${q(s, n)} AS RANGE (subtype = float8, multirange_type_name = ${q(s, 'multirange ' + i)})")
            }
            if (i % 5 == 4) {
                run("ALTER TABLE ${q(s, HOLDER)} ADD COLUMN ${q('c' + i)} ${q(s, n)}")
                reports << "dropTypeIfUnused ${written(i, n)}: left alone, used by column "
            } else {
                targets << ['type', s, stored(n), stored(n), typtype]
                reports << "dropped ${word} ${s}.${stored(n)}"
            }
            lines << "dropTypeIfUnused ${groovy(written(i, n))}"
        }

        expect:
        cleansExactly('types', targets, lines, reports)
    }

    def "dropOrphanedSequences drops orphaned sequences with hostile names, in a schema named by the option too, and keeps used ones"() {
        given:
        def targets = []
        def reports = []
        names.eachWithIndex { String n, int i ->
            String s = schemaOf(i)
            run("CREATE SEQUENCE ${q(s, n)}")
            switch (i % 3) {
                case 0:
                    run("ALTER TABLE ${q(s, HOLDER)} ADD COLUMN ${q('o' + i)} int",
                            "ALTER SEQUENCE ${q(s, n)} OWNED BY ${q(s, HOLDER)}.${q('o' + i)}")
                    break
                case 1:
                    targets << ['class', s, stored(n), stored(n), 'S']
                    reports << "dropped orphaned sequence ${s}.${stored(n)}"
                    break
                default:
                    run("ALTER TABLE ${q(s, HOLDER)} ADD COLUMN ${q('d' + i)} bigint DEFAULT nextval(${literal(q(s, n))}::regclass)")
            }
        }
        def lines = ["dropOrphanedSequences schema: ${groovy(q(HOSTILE_SCHEMA))}", 'dropOrphanedSequences()']

        expect:
        cleansExactly('sequences', targets, lines, reports)
    }

    /**
     * Runs a plan whose one step's cleanup block is {@code lines}, then checks that exactly
     * {@code targets} went away, that every expected report line (or line start) was printed,
     * and that users still has its three rows.
     */
    void cleansExactly(String planName, Collection targets, List lines, List reports) {
        String reproduce = "seed ${seed} (rerun with -Dmig.hostileSeed=${seed})"
        Set<List<String>> before = snapshot()
        Set<List<String>> wanted = targets.collect { it.collect { String.valueOf(it) } } as Set
        assert wanted.size() == targets.size() : "${reproduce}: two targets with one name"
        assert (wanted - before).isEmpty() : "${reproduce}: targets not created: ${wanted - before}"

        def plan = files.write("${planName}-${db}.groovy",
                "plan('hostile ${planName}') {\n    step('clean') {\n        cleanup {\n"
                        + lines.collect { '            ' + it }.join('\n')
                        + "\n        }\n    }\n}\n")
        MigCli result = MigCli.run(['run', '--url', TestPostgres.jdbcUrl(db), plan.toString()])
        assert result.exitCode == 0 : "${reproduce}: ${result}"

        Set<List<String>> after = snapshot()
        assert (after.intersect(wanted)).isEmpty() : "${reproduce}: still there: ${after.intersect(wanted)}"
        assert (before - wanted) == after : "${reproduce}: dropped but not a target: ${(before - wanted) - after}; appeared: ${after - before}"
        assert sentinelRows() == ['ann', 'bob', 'cy'] : reproduce

        List<String> printed = result.out.readLines().findAll { it.contains('cleanup (committed): ') }
                .collect { it.substring(it.indexOf('cleanup (committed): ') + 'cleanup (committed): '.length()) }
        List<String> missing = reports.collect { String.valueOf(it) }.findAll { String r -> !printed.any { it.startsWith(r) } }
        assert missing.isEmpty() : "${reproduce}: report lines missing: ${missing}\n${result}"
    }

    List<String> sentinelRows() {
        TestPostgres.withSql(db) { Sql s -> s.rows('SELECT name FROM public.users ORDER BY id')*.name }
    }

    private static final String USER_SCHEMA = """n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'mig')
            AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'"""

    /**
     * Every object of the database a cleanup could touch, as [kind, schema, owner, name, detail]:
     * relations (not a composite type's), types (not array, multirange or row types, which go
     * with their owner), routines (not a range type's constructors), table constraints, triggers
     * (user or internal), policies and schemas.
     */
    Set<List<String>> snapshot() {
        String select = """
            SELECT 'class'::text, n.nspname::text, c.relname::text, c.relname::text, c.relkind::text  -- text, not name: longer values must not be cut to 63 bytes
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMA} AND c.relkind <> 'c'
            UNION ALL
            SELECT 'type', n.nspname, t.typname, t.typname, t.typtype::text
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_class c ON c.oid = t.typrelid
            WHERE ${USER_SCHEMA} AND t.typtype IN ('b', 'c', 'd', 'e', 'r') AND NOT (t.typelem <> 0 AND t.typlen = -1)
              AND (t.typtype <> 'c' OR c.relkind = 'c')
            UNION ALL
            SELECT 'routine', n.nspname, p.proname, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', p.prokind::text
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_SCHEMA}
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'i')
            UNION ALL
            SELECT 'constraint', n.nspname, c.relname, con.conname, con.contype::text
            FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMA}
            UNION ALL
            SELECT 'trigger', n.nspname, c.relname, t.tgname, CASE WHEN t.tgisinternal THEN 'internal' ELSE 'user' END
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMA}
            UNION ALL
            SELECT 'policy', n.nspname, c.relname, pol.polname, ''
            FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMA}
            UNION ALL
            SELECT 'schema', n.nspname, '', n.nspname, '' FROM pg_namespace n WHERE ${USER_SCHEMA}
        """
        Set<List<String>> rows = new HashSet<>()
        conn.createStatement().withCloseable { st ->
            def rs = st.executeQuery(select)
            while (rs.next()) {
                rows.add((1..5).collect { rs.getString(it) })
            }
        }
        rows
    }

    void run(Object... statements) {
        conn.createStatement().withCloseable { st ->
            for (Object s : statements) {
                st.execute(s.toString())
            }
        }
    }

    void bind(String statement, Object... args) {
        conn.prepareStatement(statement).withCloseable { PreparedStatement ps ->
            args.eachWithIndex { Object a, int i -> ps.setObject(i + 1, a) }
            assert ps.executeUpdate() == 1
        }
    }

    static String groovy(String text) { HostileNames.groovy(text) }
}
