package dev.mig.cli;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
import dev.mig.catalog.SchemaFingerprint;
import dev.mig.embedded.EmbeddedServer;
import dev.mig.imports.ImportCheck;
import dev.mig.imports.MigrationFolder;
import dev.mig.model.Plan;
import dev.mig.rehearse.ShadowCopy;
import dev.mig.target.Connections;
import dev.mig.target.Target;
import dev.mig.target.TargetResolver;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code mig import --check [--shadow URL|embedded]}: two throwaway databases (in an embedded server, or made on the
 * --shadow server and dropped at the end even on failure), {@link ImportCheck} on them, and what it found.
 */
final class ImportCheckOutput {

    /** Differences printed; the count says how many there are in all. */
    static final int SHOWN = 20;

    private ImportCheckOutput() {
    }

    /** The --shadow server, parsed; null for the embedded one. Refused before any work when it is the --adopt database. */
    static Target shadow(CliContext context, boolean check, String shadow, String adopt) {
        if (shadow == null) {
            return null;
        }
        if (!check) {
            throw new MigException(ExitCode.PLAN_ERROR, "--shadow is where --check replays the import", "add --check, or leave out --shadow");
        }
        if (shadow.trim().equalsIgnoreCase("embedded")) {
            return null;
        }
        TargetResolver resolver = new TargetResolver();
        Target target = resolver.parse(shadow.trim(), "--shadow", context.env(), context.home());
        if (target.host() == null || target.database() == null) {
            throw new MigException(ExitCode.PLAN_ERROR, "--shadow " + target.display() + ": not a server mig can make databases on",
                    "give a postgres:// or jdbc:postgresql:// URL of a server where this role may CREATE DATABASE, or leave out --shadow");
        }
        if (adopt != null && ShadowCopy.sameDatabase(target, resolver.parse(adopt, "--adopt", context.env(), context.home()))) {
            throw new MigException(ExitCode.PLAN_ERROR, "--shadow " + target.display() + " is the --adopt database; the check never touches it",
                    "give --shadow the URL of another database (the check makes two throwaway ones on its server), or leave it out for an embedded one");
        }
        return target;
    }

    /** Runs the check and prints it; returns the exit code (0 same schema, 5 differences). */
    static int check(CliContext context, Plan plan, MigrationFolder.Result folder, Path source, Target shadow, String journalSchema) {
        PrintStream out = context.out();
        if (shadow != null) {
            return onServer(context, plan, folder, source, shadow, journalSchema);
        }
        long t0 = System.nanoTime();
        try (EmbeddedServer server = EmbeddedServer.start()) {
            out.println("check: started " + server.target().display() + " in " + seconds((System.nanoTime() - t0) / 1_000_000));
            return onServer(context, plan, folder, source, server.target(), journalSchema);
        }
    }

    private static int onServer(CliContext context, Plan plan, MigrationFolder.Result folder, Path source, Target server, String journalSchema) {
        String stem = "mig_check_" + Long.toHexString(new SecureRandom().nextLong() & Long.MAX_VALUE).toLowerCase(Locale.ROOT);
        List<String> made = new ArrayList<>();
        try {
            for (String side : List.of("plan", "files")) {
                execute(server, "CREATE DATABASE " + stem + "_" + side);
                made.add(stem + "_" + side);
            }
            context.out().println("check: the plan on database " + made.get(0) + ", the files by " + folder.format().cliName()
                    + "'s rules on " + made.get(1) + "; both on " + server.display() + ", dropped at the end");
            ImportCheck.Result r = ImportCheck.check(plan, folder, source, server.onDatabase(made.get(0)), server.onDatabase(made.get(1)),
                    journalSchema, MigVersion.get());
            return print(context.out(), r);
        } finally {
            for (String db : made) {
                drop(context, server, db);
            }
        }
    }

    private static int print(PrintStream out, ImportCheck.Result r) {
        if (!r.notReplayed().isEmpty()) {
            out.println("check: " + r.notReplayed().size() + " code migration" + (r.notReplayed().size() == 1 ? "" : "s")
                    + " not replayed: " + String.join(", ", r.notReplayed()) + " (neither side can run " + (r.notReplayed().size() == 1 ? "it" : "them")
                    + "; the check cannot prove what " + (r.notReplayed().size() == 1 ? "it does" : "they do") + ")");
        }
        String timings = "plan " + seconds(r.planMs()) + ", files " + seconds(r.filesMs());
        if (r.same()) {
            out.println("check: same schema (" + r.objects() + " objects and the row counts of " + r.tables() + " tables compared; " + timings + ")");
            return ExitCode.OK.code();
        }
        out.println("check: the schema differs (" + r.differences().size() + " difference" + (r.differences().size() == 1 ? "" : "s") + "; "
                + timings + "):");
        for (SchemaFingerprint.Difference d : r.differences().subList(0, Math.min(SHOWN, r.differences().size()))) {
            out.println("  only after the " + (d.mine() ? "plan: " : "files: ") + d.line().replaceAll("\\s*\\R\\s*", " "));
        }
        if (r.differences().size() > SHOWN) {
            out.println("  ... and " + (r.differences().size() - SHOWN) + " more");
        }
        r.hints().forEach(h -> out.println("  hint: " + h));
        out.println("  the plan is written; the import is not proven (exit 5)");
        return ExitCode.DRIFT.code();
    }

    private static void execute(Target server, String sql) {
        try (Connection c = Connections.open(server); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new MigException(ExitCode.CONNECTION_FAILED, "check: " + sql + " on " + server.display() + " failed: "
                    + Connections.oneLine(e.getMessage()), "give --shadow a server where this role may create databases (CREATEDB), or leave it out");
        }
    }

    /** Drops a throwaway database, closing what is still connected to it; a failure is a warning naming the database. */
    private static void drop(CliContext context, Target server, String db) {
        try (Connection c = Connections.open(server); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        } catch (SQLException | MigException e) {
            context.err().println("mig import: warning: could not drop the check's database " + db + " on " + server.display()
                    + " (" + Connections.oneLine(e.getMessage()) + "); drop it by hand");
        }
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
