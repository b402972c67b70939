package dev.mig.rehearse;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.model.Plan;
import dev.mig.run.RunListener;
import dev.mig.run.RunOptions;
import dev.mig.run.RunResult;
import dev.mig.run.Runner;
import dev.mig.target.Connections;
import dev.mig.target.EmbeddedServer;
import dev.mig.target.Target;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * {@code mig rehearse}: runs a plan on a throwaway shadow database. With a target, the target's
 * schema and journal rows are copied into the shadow first, so only the steps pending on the
 * target run. The target is read on a read-only connection and by pg_dump, never written.
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

    public Rehearsal(Plan plan, RunOptions options, RunListener listener, PrintStream out, String migVersion) {
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
        if (target.isPresent()) {
            script = schema.dump(target.get(), serverVersion(target.get()));
        }
        try {
            if (shadow.isPresent()) {
                return rehearseOn(shadow.get(), target, script);
            }
            try (EmbeddedServer server = EmbeddedServer.start()) {
                return rehearseOn(server.target(), target, script);
            }
        } finally {
            out.println(LAST_LINE);
            out.flush();
        }
    }

    private RunResult rehearseOn(Target shadow, Optional<Target> target, String script) {
        out.println("mig rehearse: shadow database: " + shadow.display());
        if (target.isPresent()) {
            copy(target.get(), shadow, script);
        } else {
            out.println("mig rehearse: no target given (--url, MIG_URL, DATABASE_URL or PG* variables): the shadow starts empty");
        }
        out.flush();
        Runner runner = new Runner(plan, options, listener, migVersion);
        return runner.run(() -> Connections.open(shadow), "shadow " + shadow.display());
    }

    private void copy(Target target, Target shadow, String script) {
        try (Connection from = readOnly(target); Connection to = Connections.open(shadow)) {
            int statements = ShadowCopy.restoreSchema(to, script);
            int rows = ShadowCopy.copyJournal(from, to, options.journalSchema());
            out.println("mig rehearse: copied the schema of " + target.display() + " (" + statements
                    + " statements, no data, owners or privileges)");
            out.println(rows < 0
                    ? "mig rehearse: the target has no journal (" + options.journalSchema() + ".steps): every step is pending"
                    : "mig rehearse: copied " + rows + " journal row" + (rows == 1 ? "" : "s") + " of " + options.journalSchema()
                    + ".steps: steps applied on the target count as applied in the shadow");
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "copying the journal into the shadow failed: " + e.getMessage(), null,
                    "run again with --stacktrace", e);
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
