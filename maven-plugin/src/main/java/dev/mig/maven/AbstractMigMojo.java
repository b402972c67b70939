package dev.mig.maven;

import dev.mig.LoadedPlan;
import dev.mig.Mig;
import dev.mig.MigRunner;
import dev.mig.api.MigException;
import dev.mig.config.ConfigFile;
import dev.mig.run.RunOptions;
import dev.mig.target.Target;
import dev.mig.target.TargetResolver;
import dev.mig.text.PgDuration;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every mig goal shares: the plan file, the target (url, user, password, or an environment
 * of mig.groovy), the journal schema, the lock wait and skip. The command line's precedence
 * holds: a parameter > the environment > MIG_URL, DATABASE_URL and the PG* variables.
 */
abstract class AbstractMigMojo extends AbstractMojo {

    /**
     * The plan file. The default is under src/main/resources so that the same file is in the
     * application's jar, where the classpath plans of the API and the starter find it.
     */
    @Parameter(property = "mig.plan", defaultValue = "${project.basedir}/src/main/resources/db/plan.groovy")
    String plan;

    /**
     * Several plan files, each in turn with the same parameters, in this order; the goal stops at
     * the first that fails. Replaces {@code plan} when given.
     */
    @Parameter
    List<String> plans;

    /**
     * Where {@code classpath:} plans are looked up, with mig's own jar (its shipped recipes) behind
     * them: the project's resources folder as it is (no process-resources needed) and its output folder.
     */
    @Parameter(defaultValue = "${project.basedir}/src/main/resources", readonly = true)
    File resourcesDirectory;

    @Parameter(defaultValue = "${project.build.outputDirectory}", readonly = true)
    File outputDirectory;

    /** A relative plan path is taken from here, as Maven takes a File parameter. */
    @Parameter(defaultValue = "${project.basedir}", readonly = true)
    File basedir;

    /** The database, as {@code mig --url} takes it; else the environment's, MIG_URL, DATABASE_URL or PG*. */
    @Parameter(property = "mig.url")
    String url;

    /** The user, when the URL does not name one (as PGUSER). */
    @Parameter(property = "mig.user")
    String user;

    /** The password, when the URL does not give one (as PGPASSWORD); never logged. */
    @Parameter(property = "mig.password")
    String password;

    /** An environment of mig.groovy beside the plan ({@code --env}). */
    @Parameter(property = "mig.env")
    String environment;

    /** The config file of {@code environment} ({@code --config}); default mig.groovy beside the plan. */
    @Parameter(property = "mig.config")
    File config;

    /** The journal's schema; default the environment's journalSchema, else {@code mig}. */
    @Parameter(property = "mig.journalSchema")
    String journalSchema;

    /** How long to wait for another run of the plan: 60s, 5m, 500ms, 0. */
    @Parameter(property = "mig.lockWait", defaultValue = "60s")
    String lockWait;

    /** Skip the goal ({@code -Dmig.skip}). */
    @Parameter(property = "mig.skip", defaultValue = "false")
    boolean skip;

    private ConfigFile.Environment chosen;

    /** The goal's name as messages say it: run, check, lint, status, plan. */
    abstract String goal();

    /** The goal's work, after skip and the environment were handled. */
    abstract void migExecute() throws MojoExecutionException, MojoFailureException;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("mig " + goal() + ": skipped (mig.skip)");
            return;
        }
        List<String> files = plans == null || plans.isEmpty() ? List.of(plan) : List.copyOf(plans);
        for (String file : files) {
            plan = file;
            executeOne();
        }
    }

    private void executeOne() throws MojoExecutionException, MojoFailureException {
        chosen = null;
        try {
            if (environment != null) {
                chosen = ConfigFile.load(ConfigFile.locate(config == null ? null : config.toPath(), planPath()), environment, System.getenv());
            } else if (config != null) {
                throw MojoFailures.usage(goal(), "config " + config + " without environment: the config is read only for an environment",
                        "set <environment> (-Dmig.env=NAME) too");
            }
            migExecute();
        } catch (MigException e) {
            throw rethrow(MojoFailures.of(goal(), e));
        }
    }

    private static RuntimeException rethrow(Exception e) throws MojoExecutionException, MojoFailureException {
        if (e instanceof MojoFailureException f) {
            throw f;
        }
        throw (MojoExecutionException) e;
    }

    /** Loads the plan file (after checking that it is one), or a {@code classpath:} plan from the project's resources. */
    LoadedPlan loadPlan(boolean typeChecked) throws MojoExecutionException {
        if (plan.startsWith("classpath:")) {
            if (typeChecked) {
                throw MojoFailures.usage(goal(), "strict checks a plan file; plan '" + plan + "' is on the class path",
                        "give the plan's file for mig:check -Dmig.strict, e.g. src/main/resources/db/plan.groovy");
            }
            return Mig.plan(plan, projectClassLoader());
        }
        Path file = planPath();
        if (!Files.isRegularFile(file)) {
            throw MojoFailures.usage(goal(), "plan file " + file + " does not exist",
                    "put the plan at src/main/resources/db/plan.groovy or set <plan> (-Dmig.plan=PATH, or classpath:db/plan.groovy)");
        }
        return typeChecked ? Mig.planTypeChecked(file) : Mig.plan(file);
    }

    /** The plan as a path: relative to the project's folder; {@code classpath:...} as written (mig.groovy is then looked for in the working folder). */
    private Path planPath() {
        return plan.startsWith("classpath:") || basedir == null ? Path.of(plan) : basedir.toPath().resolve(plan);
    }

    private ClassLoader projectClassLoader() throws MojoExecutionException {
        List<java.net.URL> urls = new java.util.ArrayList<>();
        for (File dir : new File[]{resourcesDirectory, outputDirectory}) {
            if (dir != null && dir.isDirectory()) {
                try {
                    urls.add(dir.toURI().toURL());
                } catch (java.net.MalformedURLException e) {
                    throw new MojoExecutionException("mig " + goal() + ": " + dir + " is not a folder the class path can hold", e);
                }
            }
        }
        return new java.net.URLClassLoader(urls.toArray(new java.net.URL[0]), getClass().getClassLoader());
    }

    String journalSchema() {
        if (journalSchema != null) {
            return journalSchema;
        }
        return chosen != null && chosen.journalSchema() != null ? chosen.journalSchema() : RunOptions.DEFAULT_JOURNAL_SCHEMA;
    }

    Duration lockWait() throws MojoExecutionException {
        try {
            return Duration.ofMillis(PgDuration.parse(lockWait, PgDuration.Bare.SECONDS).millis());
        } catch (PgDuration.Invalid e) {
            throw MojoFailures.usage(goal(), "lockWait " + e.getMessage(), e.hint());
        }
    }

    /** The runner with the shared options: journal schema, lock wait, the environment's timeouts. */
    MigRunner runner(LoadedPlan loaded) throws MojoExecutionException {
        MigRunner runner = loaded.runner().journalSchema(journalSchema()).lockWait(lockWait());
        if (chosen != null) {
            runner.defaultTimeouts(chosen.lockTimeout(), chosen.statementTimeout(),
                    "environment '" + chosen.name() + "' of " + chosen.file())
                    .lockRetryFor(chosen.lockRetryFor(), "environment '" + chosen.name() + "' of " + chosen.file());
        }
        return runner;
    }

    /** The target, or empty when nothing names one. */
    Optional<Target> target() {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (user != null) {
            env.put("PGUSER", user);
        }
        if (password != null) {
            env.put("PGPASSWORD", password);
        }
        Path home = Path.of(System.getProperty("user.home", "."));
        TargetResolver resolver = new TargetResolver();
        if (url != null) {
            return Optional.of(resolver.parse(url, "the plugin's url", env, home));
        }
        if (chosen != null && chosen.url() != null) {
            return Optional.of(resolver.parse(chosen.url(), chosen.urlSource(), env, home));
        }
        return resolver.resolve(null, env, home);
    }

    /** The target; a goal that needs a database fails without one (the plugin starts no embedded server). */
    Target requireTarget() throws MojoExecutionException {
        return target().orElseThrow(() -> MojoFailures.usage(goal(), "no database given",
                "set <url> (-Dmig.url=jdbc:postgresql://host/db), an <environment> of mig.groovy, MIG_URL, DATABASE_URL or PG* variables"));
    }

    PrintStream console() {
        return LogStream.to(getLog());
    }
}
