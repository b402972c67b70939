package dev.mig.testkit

import dev.mig.LoadedPlan
import dev.mig.Mig
import dev.mig.MigResult
import dev.mig.catalog.Catalog
import dev.mig.catalog.CatalogView
import dev.mig.dsl.VerifyDelegate
import dev.mig.embedded.EmbeddedServer
import dev.mig.model.VerifyBlock
import dev.mig.plan.LoadContext
import dev.mig.plan.PlanException
import dev.mig.target.Connections
import dev.mig.target.Target
import dev.mig.target.TargetResolver
import dev.mig.verify.Verifier
import dev.mig.result.VerifyFailure

import java.nio.file.Path
import java.sql.Connection
import java.sql.Statement
import java.util.concurrent.atomic.AtomicInteger

/**
 * A database for testing plans and recipes in a team's own build (Spock or JUnit 5):
 * <pre>
 * def db = MigTestDatabase.embedded()          // a fresh database on an embedded PostgreSQL 17
 * db.migrate('src/test/resources/shop.groovy') // runs the plan; an AssertionError when it fails
 * db.verify { table('users') { columns 3; primaryKey 'id' } }
 * db.assertVerify("table('users') { columns 3 }")   // the same from Java
 * db.close()                                   // drops the database
 * </pre>
 * The embedded server is started once per JVM (zonky's binaries, nothing to install) and stopped
 * at JVM exit; each {@link #embedded()} creates a new database on it. {@link #at(String)} uses a
 * database the test made itself (e.g. {@code jdbc:tc:postgresql:17:///test} with Testcontainers), as is.
 */
class MigTestDatabase implements AutoCloseable {

    private static EmbeddedServer server
    private static final AtomicInteger counter = new AtomicInteger()

    private final Target target
    private final String url
    /** The database created for this instance on the embedded server, dropped at close; null for {@link #at}. */
    private final String created

    private MigTestDatabase(String url, String created) {
        this.url = url
        this.target = new TargetResolver().parse(url, 'MigTestDatabase', System.getenv(), Path.of(System.getProperty('user.home', '.')))
        this.created = created
    }

    /** A new, empty database on the JVM's embedded PostgreSQL. */
    static MigTestDatabase embedded() {
        EmbeddedServer s = embeddedServer()
        String name = 'mig_test_' + counter.incrementAndGet() + '_' + ProcessHandle.current().pid()
        Connection c = Connections.open(s.target())
        try {
            c.createStatement().withCloseable { Statement st -> st.execute('CREATE DATABASE "' + name + '"') }
        } finally {
            c.close()
        }
        new MigTestDatabase("jdbc:postgresql://127.0.0.1:${s.port()}/${name}?user=postgres".toString(), name)
    }

    /** A database the caller provides (a URL as {@code mig run --url} takes it); not dropped at close. */
    static MigTestDatabase at(String url) {
        new MigTestDatabase(url, null)
    }

    private static synchronized EmbeddedServer embeddedServer() {
        if (server == null) {
            server = EmbeddedServer.start()
            EmbeddedServer started = server
            Runtime.runtime.addShutdownHook(new Thread({ started.close() }))
        }
        server
    }

    /** The JDBC URL of this database. */
    String getJdbcUrl() {
        url
    }

    /** A new connection, for the test's own queries; the caller closes it. */
    Connection connect() {
        Connections.open(target)
    }

    /** Runs SQL (e.g. to seed rows or to make a name clash a recipe must clear). */
    void execute(String sql) {
        Connection c = connect()
        try {
            c.createStatement().withCloseable { Statement st -> st.execute(sql) }
        } finally {
            c.close()
        }
    }

    /** Runs a plan file and returns the result, whatever it is. */
    MigResult run(Path planFile) {
        run(Mig.plan(planFile))
    }

    MigResult run(String planFile) {
        run(Path.of(planFile))
    }

    MigResult run(LoadedPlan plan) {
        plan.runner().run(target)
    }

    /** Runs a plan file; an AssertionError naming each failed step and why when the run did not succeed. */
    MigResult migrate(Path planFile) {
        migrate(Mig.plan(planFile))
    }

    MigResult migrate(String planFile) {
        migrate(Path.of(planFile))
    }

    MigResult migrate(LoadedPlan plan) {
        MigResult result = run(plan)
        if (!result.succeeded()) {
            throw new AssertionError("plan '" + plan.name() + "' did not succeed: " + result.summary() + "\n" + result.failureSummary())
        }
        result
    }

    /**
     * Checks a verify block (the vocabulary of docs/DSL.md section 6) against this database:
     * an AssertionError listing every expectation that does not hold, expected against found.
     */
    void verify(@DelegatesTo(value = VerifyDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> expectations) {
        assertHolds(verifyFailures(expectations))
    }

    /** {@link #verify(Closure)} from Java: the block's body as text, e.g. {@code "table('users') { columns 3 }"}. */
    void assertVerify(String expectations) {
        assertHolds(verifyFailures(expectations))
    }

    /** The expectations that do not hold, each with its subject, expected, found and message; empty when all hold. */
    List<VerifyFailure> verifyFailures(@DelegatesTo(value = VerifyDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> expectations) {
        LoadContext context = LoadContext.detached(Path.of('verify'))
        Script script = new Script() {
            @Override
            Object run() { null }
        }
        VerifyDelegate delegate = new VerifyDelegate(context, script, 'verify')
        Closure<?> copy = (Closure<?>) expectations.clone()
        copy.resolveStrategy = Closure.DELEGATE_FIRST
        copy.delegate = delegate
        copy.call()
        if (!context.problems().isEmpty()) {
            throw new PlanException(context.problems())
        }
        check(delegate.build(''))
    }

    List<VerifyFailure> verifyFailures(String expectations) {
        // on the plan's first line, so that problems name the line of the text
        String text = "plan('verify') { verify { " + expectations + "\n} }\n"
        VerifyBlock block = Mig.planFromString('verify.groovy', text).model().verify()
        check(block)
    }

    private List<VerifyFailure> check(VerifyBlock block) {
        Connection c = connect()
        try {
            c.autoCommit = false
            c.readOnly = true
            Catalog catalog = new Catalog(c)
            return new Verifier().check(block, catalog, new CatalogView(catalog))
        } finally {
            c.rollback()
            c.close()
        }
    }

    private static void assertHolds(List<VerifyFailure> failures) {
        if (!failures.isEmpty()) {
            throw new AssertionError("verify failed, " + failures.size() + (failures.size() == 1 ? " expectation" : " expectations")
                    + " did not hold:\n" + failures.collect { '  ' + it.message() }.join('\n'))
        }
    }

    /** Drops the database this instance created (nothing for {@link #at}). */
    @Override
    void close() {
        if (created != null) {
            Connection c = Connections.open(embeddedServer().target())
            try {
                c.createStatement().withCloseable { Statement st -> st.execute('DROP DATABASE IF EXISTS "' + created + '" WITH (FORCE)') }
            } finally {
                c.close()
            }
        }
    }

    @Override
    String toString() {
        target.display()
    }
}
