package dev.mig.cli;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.config.ConfigFile;
import dev.mig.model.PlaceholderResolution;
import dev.mig.model.Plan;
import dev.mig.run.RunOptions;
import dev.mig.target.Target;
import dev.mig.target.TargetResolver;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Options every database command takes. */
final class CommonOptions {

    @Option(names = "--url", paramLabel = "URL",
            description = "Target database: jdbc:postgresql://..., postgres://user@host/db?sslmode=..., key=value pairs"
                    + " (host=db dbname=app user=deploy), or jdbc:tc:postgresql:17:///db. Default: MIG_URL, then DATABASE_URL,"
                    + " then the PG* variables. What the target leaves out comes from PGHOST, PGPORT, PGDATABASE, PGUSER,"
                    + " PGPASSWORD, PGSSLMODE, ..., then PGPASSFILE or $HOME/.pgpass, as in psql; a host starting with / is a"
                    + " Unix-domain socket directory.")
    String url;

    @Option(names = "--journal-schema", paramLabel = "SCHEMA",
            description = "Schema of the journal (default: the environment's journalSchema, else " + RunOptions.DEFAULT_JOURNAL_SCHEMA + ").")
    String journalSchema;

    @Option(names = "--env", paramLabel = "NAME",
            description = "Take the target and journal schema of this environment of mig.groovy (beside the plan, or --config)."
                    + " --url and --journal-schema win over it.")
    String environment;

    @Option(names = "--config", paramLabel = "PATH", description = "The config file of --env (default: mig.groovy beside the plan).")
    Path config;

    @Option(names = "--stacktrace", description = "Print the stack trace of an error.")
    boolean stacktrace;

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "The value of placeholder ${NAME} in the plan's SQL; repeatable. Wins over --env's and the plan's.")
    Map<String, String> placeholders = new LinkedHashMap<>();

    /** The placeholder values of the chosen environment, and which it is. */
    Map<String, String> environmentPlaceholders = Map.of();
    String environmentSource;

    /**
     * The plan with the placeholder values of the environment and --set (--set > environment > plan)
     * in its SQL: an undefined placeholder is a plan error here, before any connection.
     */
    Plan withPlaceholders(Plan plan) {
        return PlaceholderResolution.resolve(plan.withPlaceholders(environmentPlaceholders, environmentSource)
                .withPlaceholders(placeholders, "--set"));
    }

    /**
     * For a fleet: the plan with the values of the environment and --set, not yet in its SQL, since
     * each tenant adds its own ({@code ${tenant}}, {@code ${tenant.schema}}); checked now with the
     * first tenant's, so that an undefined placeholder is exit 2 before any tenant.
     */
    Plan forFleet(Plan plan, java.util.List<dev.mig.fleet.Tenant> tenants) {
        Plan values = plan.withPlaceholders(environmentPlaceholders, environmentSource).withPlaceholders(placeholders, "--set");
        PlaceholderResolution.resolve(values.withPlaceholders(tenants.get(0).placeholders(), dev.mig.MigRunner.TENANT_SOURCE));
        return values;
    }

    /**
     * Fills in what {@code --env} gives and the command line did not (CLI > environment > default);
     * called once, after parsing and before the command runs. Without {@code --env} the config is not read.
     */
    void applyEnvironment(CliContext context, Path planFile) {
        if (environment != null) {
            ConfigFile.Environment chosen = ConfigFile.load(ConfigFile.locate(config, planFile), environment, context.env());
            if (url == null && chosen.url() != null) {
                url = chosen.url();
                urlSource = chosen.urlSource();
            }
            if (journalSchema == null) {
                journalSchema = chosen.journalSchema();
            }
            lockTimeout = chosen.lockTimeout();
            statementTimeout = chosen.statementTimeout();
            lockRetryFor = chosen.lockRetryFor();
            timeoutsSource = "environment '" + chosen.name() + "' of " + chosen.file();
            environmentPlaceholders = chosen.placeholders();
            environmentSource = timeoutsSource;
        } else if (config != null && !configReadElsewhere) {
            throw new MigException(ExitCode.PLAN_ERROR, "--config " + config + " without --env: the config is read only for an environment",
                    "add --env NAME");
        }
        if (journalSchema == null) {
            journalSchema = RunOptions.DEFAULT_JOURNAL_SCHEMA;
        }
    }

    /** The command reads --config for something else than --env (mig run --fleet NAME). */
    boolean configReadElsewhere;

    /** The chosen environment's replacements for the plan's default timeouts; null when it gives none. */
    String lockTimeout;
    String statementTimeout;
    /** The chosen environment's budget of the lock-retry schedule; null when it gives none. */
    String lockRetryFor;
    /** Where {@link #lockTimeout} and {@link #statementTimeout} came from, for hints. */
    String timeoutsSource;

    /** Where {@link #url} came from, for messages: --url, or an environment of the config file. */
    String urlSource = "--url";

    /**
     * The target for a command that reads an existing database: with none given it is a usage
     * error (exit 2), since an embedded throwaway database would have nothing to show.
     */
    Target requireTarget(CliContext context, String command, String extraHint) {
        return resolve(context)
                .orElseThrow(() -> new MigException(ExitCode.PLAN_ERROR, command + " needs a database: none was given",
                        "pass --url postgres://user@host/db (or host=... dbname=...), or set MIG_URL, DATABASE_URL or PGHOST"
                                + (extraHint == null ? "" : "; " + extraHint)));
    }

    /** As {@link TargetResolver#resolve}, with the URL an environment gave named as its source. */
    java.util.Optional<Target> resolve(CliContext context) {
        if (url != null && !urlSource.equals("--url")) {
            return java.util.Optional.of(new TargetResolver().parse(url, urlSource, context.env(), context.home()));
        }
        return new TargetResolver().resolve(url, context.env(), context.home());
    }
}
