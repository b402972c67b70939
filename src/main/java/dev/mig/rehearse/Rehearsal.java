package dev.mig.rehearse;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.embedded.EmbeddedServer;
import dev.mig.model.Plan;
import dev.mig.result.RunResult;
import dev.mig.run.RunListener;
import dev.mig.run.RunOptions;
import dev.mig.run.Runner;
import dev.mig.target.Connections;
import dev.mig.target.Target;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * {@code mig rehearse}: runs a plan on a throwaway shadow database. With a target, the target's
 * roles (without passwords), schema and journal rows are copied into the shadow first, so only
 * the steps pending on the target run, as they will run there. The target is read on a read-only connection and by pg_dump, never written.
 */
public final class Rehearsal {

    /** The last line of every rehearsal, whatever its outcome. */
    public static final String LAST_LINE = "rehearsal on a throwaway database: the target was not changed";

    /** The target's schema as a SQL script (pg_dump in the command; a fixed script in tests). */
    @FunctionalInterface
    public interface SchemaSource {
        String dump(Target target, int serverVersionNum);
    }

    private final Plan plan;
    private final RunOptions options;
    private final RunListener listener;
    private final PrintStream out;
    private final String migVersion;
    private final IntFunction<Optional<Path>> localServers;

    public Rehearsal(Plan plan, RunOptions options, RunListener listener, PrintStream out, String migVersion) {
        this(plan, options, listener, out, migVersion, System.getenv());
    }

    /** @param env the environment whose PATH leads to pg_config, when looking for a local server of the target's version */
    public Rehearsal(Plan plan, RunOptions options, RunListener listener, PrintStream out, String migVersion,
                     Map<String, String> env) {
        this(plan, options, listener, out, migVersion, major -> ShadowBinaries.locate(major, env));
    }

    /** @param localServers the bin directory of a local PostgreSQL of a major version, if this machine has one */
    Rehearsal(Plan plan, RunOptions options, RunListener listener, PrintStream out, String migVersion,
              IntFunction<Optional<Path>> localServers) {
        this.localServers = localServers;
        this.plan = plan;
        this.options = options;
        this.listener = listener;
        this.out = out;
        this.migVersion = migVersion;
    }

    /**
     * @param target the database whose state to rehearse on, or empty for an empty shadow
     * @param shadow a shadow URL already parsed, or empty for an embedded server
     */
    public RunResult rehearse(Optional<Target> target, Optional<Target> shadow, SchemaSource schema) {
        if (target.isPresent() && shadow.isPresent() && ShadowCopy.sameDatabase(target.get(), shadow.get())) {
            throw new MigException(ExitCode.PLAN_ERROR, "the shadow " + shadow.get().display() + " is the target itself ("
                    + target.get().display() + "); rehearse would run the plan on the real database",
                    "give --shadow embedded (the default) or the URL of an empty throwaway database");
        }
        String script = null;
        int targetVersion = 0;
        if (target.isPresent()) {
            targetVersion = serverVersion(target.get());
            script = schema.dump(target.get(), targetVersion);
        }
        try {
            if (shadow.isPresent()) {
                return rehearseOn(shadow.get(), target, script, targetVersion);
            }
            try (EmbeddedServer server = startShadow(targetVersion / 10000)) {
                return rehearseOn(server.target(), target, script, targetVersion);
            }
        } finally {
            out.println(LAST_LINE);
            out.flush();
        }
    }

    /**
     * The embedded shadow: the bundled server, unless the target runs another major version and
     * this machine has a server of that version installed (see {@link ShadowBinaries}). A local
     * server that does not start (its initdb refuses to run as root, say) is reported and the
     * bundled one used; {@link #copy} then warns about the version difference.
     */
    EmbeddedServer startShadow(int targetMajor) {
        if (targetMajor == 0 || targetMajor == EmbeddedServer.bundledMajor()) {
            return EmbeddedServer.start();
        }
        Optional<Path> local = localServers.apply(targetMajor);
        if (local.isPresent()) {
            try {
                return EmbeddedServer.start(EmbeddedPostgres.builder()
                        .setPgBinaryResolver(new ShadowBinaries.LocalInstall(local.get()))
                        // a packaged server's default socket directory (/var/run/postgresql) may not be writable; TCP is enough
                        .setServerConfig("unix_socket_directories", "''"));
            } catch (MigException e) {
                out.println("mig rehearse: warning: the PostgreSQL " + targetMajor + " server in " + local.get()
                        + " did not start (" + e.getMessage() + "); the shadow runs the bundled server instead");
            }
        }
        return EmbeddedServer.start();
    }

    private RunResult rehearseOn(Target shadow, Optional<Target> target, String script, int targetVersion) {
        out.println("mig rehearse: shadow database: " + shadow.display());
        if (target.isPresent()) {
            copy(target.get(), shadow, script, targetVersion);
        } else {
            out.println("mig rehearse: no target given (--url, MIG_URL, DATABASE_URL or PG* variables): the shadow starts empty");
        }
        out.flush();
        Runner runner = new Runner(plan, options, listener, migVersion);
        return runner.run(() -> Connections.open(shadow), "shadow " + shadow.display());
    }

    private void copy(Target target, Target shadow, String script, int targetVersion) {
        try (Connection from = readOnly(target); Connection to = Connections.open(shadow)) {
            versionWarning(targetVersion, versionOf(to)).ifPresent(out::println);
            // roles first: the dump's policies name them, and the plan's GRANTs will
            RoleCopy.Result roles = RoleCopy.copy(from, to);
            out.println("mig rehearse: copied " + roles.created().size() + " role" + (roles.created().size() == 1 ? "" : "s")
                    + " of the target's server, without passwords" + roleNames(roles.created()));
            roles.refused().forEach(r -> out.println("mig rehearse: warning: the shadow refused the " + r));
            int statements = ShadowCopy.restoreSchema(to, script);
            int rows = ShadowCopy.copyJournal(from, to, options.journalSchema());
            out.println("mig rehearse: copied the schema of " + target.display() + " (" + statements
                    + " statements, no data, owners or privileges)");
            out.println(rows < 0
                    ? "mig rehearse: the target has no journal (" + options.journalSchema() + ".steps): every step is pending"
                    : "mig rehearse: copied " + rows + " journal row" + (rows == 1 ? "" : "s") + " of " + options.journalSchema()
                    + ".steps: steps applied on the target count as applied in the shadow");
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "copying the target's roles or journal into the shadow failed: " + e.getMessage(), null,
                    "run again with --stacktrace", e);
        }
    }

    /** ": a, b, c", the first 20 names only: a server can have thousands of roles. */
    private static String roleNames(List<String> names) {
        if (names.isEmpty()) {
            return "";
        }
        int shown = Math.min(names.size(), 20);
        return ": " + String.join(", ", names.subList(0, shown)) + (shown < names.size() ? " and " + (names.size() - shown) + " more" : "");
    }

    /**
     * The line that says the shadow's major version differs from the target's, and what to do;
     * empty when they match. Versions are server_version_num values (150008 for 15.8).
     */
    static Optional<String> versionWarning(int targetVersion, int shadowVersion) {
        int target = targetVersion / 10000;
        int shadow = shadowVersion / 10000;
        if (target == shadow) {
            return Optional.empty();
        }
        return Optional.of("mig rehearse: warning: the shadow runs PostgreSQL " + shadow + " and the target " + target
                + ": a step can behave differently on " + target + " (syntax, catalogs, defaults); to rehearse on " + target
                + ", install its server package (mig looks in /usr/lib/postgresql/" + target + "/bin, /usr/pgsql-" + target
                + "/bin, Homebrew's postgresql@" + target + " and pg_config --bindir) or give --shadow the URL of an empty"
                + " PostgreSQL " + target + " database");
    }

    private static int versionOf(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int serverVersion(Target target) {
        try (Connection c = readOnly(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
            rs.next();
            int version = rs.getInt(1);
            c.rollback();
            return version;
        } catch (SQLException e) {
            throw new MigException(ExitCode.CONNECTION_FAILED, "cannot read the server version of " + target.display()
                    + ": " + e.getMessage(), null, "check the target", e);
        }
    }

    private static Connection readOnly(Target target) throws SQLException {
        Connection c = Connections.open(target);
        c.setAutoCommit(false);
        c.setReadOnly(true);
        return c;
    }
}
