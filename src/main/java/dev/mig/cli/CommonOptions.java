package dev.mig.cli;

import dev.mig.run.RunOptions;
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
}
