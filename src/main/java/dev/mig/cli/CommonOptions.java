package dev.mig.cli;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.run.RunOptions;
import dev.mig.target.Target;
import dev.mig.target.TargetResolver;
import picocli.CommandLine.Option;

/** Options every database command takes. */
final class CommonOptions {

    @Option(names = "--url", paramLabel = "URL",
            description = "Target database: jdbc:postgresql://..., postgres://user@host/db?sslmode=..., or jdbc:tc:postgresql:17:///db. "
                    + "Default: MIG_URL, then DATABASE_URL, then PGHOST/PGPORT/PGDATABASE/PGUSER/PGPASSWORD and ~/.pgpass.")
    String url;

    @Option(names = "--journal-schema", paramLabel = "SCHEMA", defaultValue = RunOptions.DEFAULT_JOURNAL_SCHEMA,
            description = "Schema of the journal (default: ${DEFAULT-VALUE}).")
    String journalSchema;

    @Option(names = "--stacktrace", description = "Print the stack trace of an error.")
    boolean stacktrace;

    /**
     * The target for a command that reads an existing database: with none given it is a usage
     * error (exit 2), since an embedded throwaway database would have nothing to show.
     */
    Target requireTarget(CliContext context, String command, String extraHint) {
        return new TargetResolver().resolve(url, context.env(), context.home())
                .orElseThrow(() -> new MigException(ExitCode.PLAN_ERROR, command + " needs a database: none was given",
                        "pass --url postgres://user@host/db, or set MIG_URL, DATABASE_URL or PGHOST"
                                + (extraHint == null ? "" : "; " + extraHint)));
    }
}
