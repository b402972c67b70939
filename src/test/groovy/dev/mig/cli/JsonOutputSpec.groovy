package dev.mig.cli

import com.fasterxml.jackson.databind.ObjectMapper
import com.networknt.schema.InputFormat
import com.networknt.schema.SchemaRegistry
import com.networknt.schema.SpecificationVersion
import dev.mig.report.JsonDocument
import dev.mig.run.PlanLock
import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import org.flywaydb.core.Flyway

import java.nio.file.Files
import java.nio.file.Path
import java.sql.Connection
import spock.lang.Isolated

/**
 * Issue 14 item 7: {@code mig status}, {@code mig plan} and {@code mig lint} with {@code --format json}
 * print one JSON document on stdout (nothing else), with the exit code of the text output, on the
 * real database state; an error before the document is {@code {"error": ...}} on stdout too.
 */
@Isolated("one feature swaps System.out, as bin/mig's stdout, to see what the plan prints")
class JsonOutputSpec extends DatabaseSpec {

    static final String SECRET = 'Hunter2-json-secret'

    Path plan

    def setup() {
        files.write('sql/items.sql', '''\
            -- items and their prices
            CREATE TABLE items (id bigint PRIMARY KEY, price numeric);

            CREATE INDEX items_price ON items (price);
        ''')
        plan = writePlan("sql 'CREATE TABLE shops (id bigint PRIMARY KEY)'")
    }

    /** Three steps; the first one's SQL is given so that a test can change it after it was applied. */
    Path writePlan(String firstSql) {
        files.write('shop.groovy', """\
            plan('shop') {
                step('create shops') {
                    ${firstSql}
                }
                step('create items') {
                    tags 'items'
                    sqlFile 'sql/items.sql'
                }
                step('legacy cleanup') {
                    guard { table('legacy_items').exists() }
                    sql 'DROP TABLE legacy_items'
                }
            }
        """)
    }

    static final Path SCHEMA = Path.of('docs/output.schema.json')

    /** The schema's errors for a document, through a draft 2020-12 validator; empty when it conforms. */
    static List<String> schemaErrors(String json) {
        def schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(SCHEMA), InputFormat.JSON)
        schema.validate(new ObjectMapper().readTree(json))*.toString()
    }

    /** Parses stdout as one JSON document conforming to docs/output.schema.json: fails if stdout holds anything else. */
    static Map parse(MigCli result) {
        def mapper = new ObjectMapper()
        def parser = mapper.factory.createParser(result.out)
        Map doc = mapper.readValue(parser, Map)
        assert parser.nextToken() == null, "more than one JSON document on stdout:\n${result}"
        assert schemaErrors(result.out) == [], result.toString()
        doc
    }

    MigCli cli(String command, String... args) {
        MigCli.run([command, '--url', url] + (args as List) + [plan.toString()])
    }

    def "status --format json: applied, drifted and pending steps with the journal's checksum, applied_at and counts; exit 5 as text"() {
        given: 'the first two steps applied, then the first one changed'
        assert mig('--until', 'create items', plan.toString()).exitCode == 0
        Map journal = sql { Sql s -> s.rows('SELECT step, checksum, applied_at, applied_by FROM mig.steps').collectEntries { [it.step, it] } }
        writePlan("sql 'CREATE TABLE shops (id bigint PRIMARY KEY, name text)'")

        when:
        def json = cli('status', '--format', 'json')
        def text = cli('status')
        def doc = parse(json)

        then: 'one document, with the exit code of the text output'
        text.exitCode == 5
        json.exitCode == 5
        json.out.trim().startsWith('{')
        doc.schemaVersion == JsonDocument.SCHEMA_VERSION
        doc.command == 'status'
        doc.plan == 'shop'
        doc.file.endsWith('shop.groovy')
        doc.target == "postgresql://postgres@localhost:${TestPostgres.port()}/${db}".toString()
        doc.journalSchema == 'mig'
        doc.journalExists == true
        doc.exitCode == 5
        doc.lock == [held: false, pid: null, user: null, application: null, since: null]
        doc.counts == [steps: 3, pending: 1, applied: 1, adopted: 0, drifted: 1, skipped: 0, failed: 0, interrupted: 0, toRun: 1]
        doc.notInPlan == []

        and: 'each step as the journal has it'
        doc.steps*.name == ['create shops', 'create items', 'legacy cleanup']
        doc.steps*.state == ['drifted', 'applied', 'pending']
        doc.steps*.origin == ['run', 'run', null]
        with(doc.steps[0] as Map) {
            line == 2
            journalChecksum == journal['create shops'].checksum
            checksum != journalChecksum
            java.time.OffsetDateTime.parse(appliedAt as String).toInstant() == journal['create shops'].applied_at.toInstant()
        }
        with(doc.steps[1] as Map) {
            checksum == journalChecksum
            journalChecksum == journal['create items'].checksum
            appliedBy == 'postgres'
            tags == ['items']
            transactional == true
            durationMs instanceof Number
        }
        with(doc.steps[2] as Map) {
            journalChecksum == null
            appliedAt == null
        }
    }

    def "status --format json: a step mig import --adopt took over from real Flyway is adopted; a run holding the plan lock shows as held"() {
        given: 'Flyway applied V1; mig adopts it into a plan of two steps'
        Path dir = Files.createDirectories(files.dir.resolve('flyway'))
        Files.writeString(dir.resolve('V1__people.sql'), 'CREATE TABLE people (id int PRIMARY KEY);\n')
        Files.writeString(dir.resolve('V2__pets.sql'), 'CREATE TABLE pets (id int);\n')
        Flyway.configure().dataSource(url, null, null).locations('filesystem:' + dir).target('1').load().migrate()
        Path imported = files.dir.resolve('people.groovy')
        def adopt = MigCli.run(['import', dir.toString(), '--out', imported.toString(), '--adopt', url])
        assert adopt.exitCode == 0, adopt.toString()
        String planName = sql { Sql s -> s.firstRow('SELECT DISTINCT plan FROM mig.steps').plan }

        and: 'another session holds the plan lock, as a run does'
        Connection holder = TestPostgres.connect(db)
        int holderPid = new Sql(holder).firstRow('SELECT pg_backend_pid() AS p').p
        new Sql(holder).execute('SELECT pg_advisory_lock(?)', [PlanLock.keyFor('mig', planName)])

        when:
        def json = MigCli.run(['status', '--url', url, '--format', 'json', imported.toString()])
        def doc = parse(json)

        then:
        json.exitCode == 0
        doc.steps*.name == ['V1__people.sql', 'V2__pets.sql']
        doc.steps*.state == ['adopted', 'pending']
        doc.steps*.origin == ['adopted', null]
        doc.counts.adopted == 1
        doc.counts.toRun == 1
        doc.lock.held == true
        doc.lock.pid == holderPid
        doc.lock.user == 'postgres'

        when: 'the lock is released'
        holder.close()
        def after = parse(MigCli.run(['status', '--url', url, '--format', 'json', imported.toString()]))

        then:
        after.lock.held == false
    }

    def "plan --format json: each step's state, verdict and why, guards' answers, transaction mode and statements with their lines"() {
        given:
        assert mig('--until', 'create shops', plan.toString()).exitCode == 0

        when:
        def json = cli('plan', '--format', 'json')
        def text = cli('plan')
        def doc = parse(json)

        then:
        text.exitCode == 0
        json.exitCode == 0
        json.err.isEmpty()
        doc.schemaVersion == JsonDocument.SCHEMA_VERSION
        doc.command == 'plan'
        doc.plan == 'shop'
        doc.exitCode == 0
        doc.runWouldStop == false
        doc.counts == [steps: 3, run: 1, skip: 1, fail: 0, applied: 1, drifted: 0, notSelected: 0]
        doc.selection == [tags: [], until: null, skipTags: [], withRequires: true, required: [], excluded: []]
        doc.steps*.selected == [true, true, true]
        doc.steps*.state == ['applied', 'pending', 'pending']
        doc.steps*.verdict == [null, 'run', 'skip']
        doc.steps*.transactional == [true, true, true]
        with(doc.steps[1] as Map) {
            statements*.line == [2, 4]
            statements*.file.every { it.endsWith('items.sql') }
            statements[1].sql.startsWith('CREATE INDEX items_price')
            guards == []
        }
        with(doc.steps[2] as Map) {
            why != null
            text.out.contains(why as String)
            guards.size() == 1
            guards[0].answer == false
            guards[0].onFalse == 'skip'
            guards[0].line == 10
            statements == []
        }
        doc.steps[0].appliedAt != null

        when: 'the applied step changes: plan exits 5 in both formats'
        writePlan("sql 'CREATE TABLE shops (id bigint)'")
        def drifted = cli('plan', '--format', 'json')

        then:
        drifted.exitCode == 5
        cli('plan').exitCode == 5
        parse(drifted).steps[0].state == 'drifted'
        parse(drifted).runWouldStop == true
    }

    def "plan --tags and --until: the selection in the document, the steps outside it not selected with why and no guards asked, as the text says"() {
        when:
        def tagged = cli('plan', '--tags', 'items', '--format', 'json')
        def taggedText = cli('plan', '--tags', 'items')
        def until = cli('plan', '--until', 'create items', '--format', 'json')
        def untilText = cli('plan', '--until', 'create items')
        def doc = parse(tagged)
        def untilDoc = parse(until)

        then:
        tagged.exitCode == 0
        taggedText.exitCode == 0
        doc.selection == [tags: ['items'], until: null, skipTags: [], withRequires: true, required: [], excluded: []]
        doc.steps*.selected == [false, true, false]
        doc.steps*.why == ['not selected by --tags', null, 'not selected by --tags']
        doc.steps*.verdict == [null, 'run', null]
        doc.steps[2].guards == []
        doc.counts == [steps: 3, run: 1, skip: 0, fail: 0, applied: 0, drifted: 0, notSelected: 2]
        taggedText.out =~ /(?m)^  pending\s+create shops  not selected by --tags: a run with these options leaves it out$/
        taggedText.out.contains('as a run with --tags items: 2 of 3 steps not selected')
        !taggedText.out.contains('guard at')
        taggedText.out.contains('1 would run, 0 would be skipped, 0 would fail, 0 applied earlier, 2 not selected')
        !cli('plan', '--tags', 'items', '-q').out.contains('create shops')

        and:
        untilDoc.selection == [tags: [], until: 'create items', skipTags: [], withRequires: true, required: [], excluded: []]
        untilDoc.steps*.selected == [true, true, false]
        untilDoc.steps*.why == [null, null, 'after --until']
        untilText.out =~ /(?m)^  pending\s+legacy cleanup  after --until: a run with these options leaves it out$/

        when: 'a tag or step the plan does not have: exit 2 as mig run, with the error document'
        def badTag = cli('plan', '--tags', 'itemz', '--format', 'json')
        def badUntil = cli('plan', '--until', 'nope')

        then:
        badTag.exitCode == 2
        parse(badTag).error.message == "--tags 'itemz': no step of plan 'shop' has this tag"
        badTag.err.contains("did you mean 'items'?")
        badUntil.exitCode == 2
        badUntil.err.contains("--until names no step of plan 'shop': 'nope'")
    }

    def "lint --format json: a finding with rule, severity, step, file:line, message and fix; counts; exit 1 as text"() {
        given: 'an index built without CONCURRENTLY on a table the plan does not create, on line 3 of its file'
        files.write('sql/orders_total.sql', '-- totals\n\nCREATE INDEX orders_total ON orders (total);\n')
        Path lintPlan = files.write('orders.groovy', """\
            plan('orders') {
                step('create shops') { sql 'CREATE TABLE shops (id bigint PRIMARY KEY)' }
                step('index totals') { sqlFile 'sql/orders_total.sql' }
            }
        """)

        when:
        def json = MigCli.run(['lint', '--no-target', '--format', 'json', lintPlan.toString()])
        def text = MigCli.run(['lint', '--no-target', lintPlan.toString()])
        def doc = parse(json)

        then:
        text.exitCode == 1
        json.exitCode == 1
        doc.schemaVersion == JsonDocument.SCHEMA_VERSION
        doc.command == 'lint'
        doc.exitCode == 1
        doc.counts == [findings: 1, errors: 0, warnings: 1, allowed: 0, steps: 2, stepsLinted: 2, stepsWithFindings: 1]
        doc.findings.size() == 1
        with(doc.findings[0] as Map) {
            rule == 'index-not-concurrently'
            severity == 'warning'
            step == 'index totals'
            file.endsWith('orders_total.sql')
            line == 3
            fix == ("use CREATE INDEX CONCURRENTLY in a step with transaction false; write instead, in the plan block:"
                    + " createIndex 'orders', 'total', name: 'orders_total'")
            text.out.contains("orders_total.sql:3 [warning] index-not-concurrently: ${message}")
        }
    }

    def "an error before the document: {\"error\": ...} on stdout, the text on stderr, the exit code of text mode, no password"() {
        given:
        Path broken = files.write('broken.groovy', "plan('broken') {\n  step('a') {\n    sqll 'SELECT 1'\n  }\n}\n")
        String secretUrl = "postgres://postgres:${SECRET}@localhost:1/${db}".toString()

        when:
        def badPlan = MigCli.run([command, '--url', url, '--format', 'json', broken.toString()])
        def badPlanText = MigCli.run([command, '--url', url, broken.toString()])
        def noServer = MigCli.run([command, '--url', secretUrl, '--format', 'json', plan.toString()])
        def noServerText = MigCli.run([command, '--url', secretUrl, plan.toString()])
        def noEnv = MigCli.run([command, '--env', 'nowhere', '--format', 'json', plan.toString()])

        then: 'a plan that does not load: exit 2, each problem with its file and line'
        badPlan.exitCode == 2
        badPlanText.exitCode == 2
        badPlan.err == badPlanText.err
        with(parse(badPlan)) {
            it.command == command
            exitCode == 2
            error.problems.size() >= 1
            error.problems[0].file.endsWith('broken.groovy')
            error.problems[0].line == 3
        }

        and: 'no server: the exit code of text mode, the password nowhere'
        noServer.exitCode == noServerText.exitCode
        noServer.exitCode == 6
        parse(noServer).error.message != null
        !noServer.output.contains(SECRET)
        !noServerText.output.contains(SECRET)

        and: '--env without a config: the document too'
        noEnv.exitCode == 2
        parse(noEnv).error.message.contains('nowhere') || parse(noEnv).error.message.contains('mig.groovy')

        where:
        command << ['status', 'plan', 'lint']
    }

    def "a password in the URL appears in no document; --format must be text or json"() {
        given:
        assert mig('--until', 'create shops', plan.toString()).exitCode == 0
        String secretUrl = "postgres://postgres:${SECRET}@localhost:${TestPostgres.port()}/${db}".toString()

        expect:
        ['status', 'plan', 'lint'].each { command ->
            def result = MigCli.run([command, '--url', secretUrl, '--format', 'json', plan.toString()])
            assert result.exitCode == 0, result.toString()
            assert parse(result).target == "postgresql://postgres@localhost:${TestPostgres.port()}/${db}".toString()
            assert !result.output.contains(SECRET)
            def wrong = MigCli.run([command, '--url', url, '--format', 'yaml', plan.toString()])
            assert wrong.exitCode == 2
            assert wrong.err.contains("unknown --format 'yaml'")
            assert wrong.out.isEmpty()
        }
    }

    def "docs/output.schema.json rejects a document whose shape drifted"() {
        given:
        assert mig('--until', 'create shops', plan.toString()).exitCode == 0
        Map doc = parse(cli('status', '--format', 'json'))
        doc.extra = 1
        doc.steps[0].state = 'done'
        doc.lock.remove('pid')

        expect:
        def errors = schemaErrors(new ObjectMapper().writeValueAsString(doc))
        errors.any { it.contains('extra') }
        errors.any { it.contains('state') }
        errors.any { it.contains('pid') }
    }

    def "what the plan's own code prints goes to stderr with --format json, so the process's stdout holds only the document"() {
        given: 'a plan that prints at its top level and in a guard; stdout is the process stdout (System.out), as in bin/mig'
        Path noisy = files.write('noisy.groovy', """\
            println 'loading the plan'
            plan('noisy') {
                step('a') {
                    guard { println 'asking the guard'; true }
                    sql 'CREATE TABLE a (id int)'
                }
            }
        """)
        def outBytes = new ByteArrayOutputStream()
        def errBytes = new ByteArrayOutputStream()
        def out = new PrintStream(outBytes, true, 'UTF-8')
        def err = new PrintStream(errBytes, true, 'UTF-8')
        PrintStream saved = System.out

        when:
        int code
        System.setOut(out)
        try {
            code = MigCommand.execute(['plan', '--url', url, '--format', 'json', noisy.toString()] as String[], [:],
                    files.dir, out, err)
        } finally {
            System.setOut(saved)
        }
        def result = [exitCode: code, out: outBytes.toString('UTF-8'), err: errBytes.toString('UTF-8')]

        then:
        code == 0
        new ObjectMapper().readValue(result.out, Map).steps[0].verdict == 'run'
        result.out.trim().startsWith('{')
        !result.out.contains('loading the plan')
        !result.out.contains('asking the guard')
        result.err.contains('loading the plan')
        result.err.contains('asking the guard')
        System.out.is(saved)
    }
}
