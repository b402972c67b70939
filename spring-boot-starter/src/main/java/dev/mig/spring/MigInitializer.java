package dev.mig.spring;

import dev.mig.LoadedPlan;
import dev.mig.Mig;
import dev.mig.MigResult;
import dev.mig.MigRunner;
import dev.mig.api.InvalidPlanException;
import dev.mig.api.MigException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.InitializingBean;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs plans on DataSources when the application context starts. Spring Boot orders it before
 * JPA's EntityManagerFactory and the other beans that depend on database initialisation
 * ({@link MigDatabaseInitializerDetector}). A plan that does not load, or a run that fails, stops
 * the application: the exception and the log carry mig's failure block, never a password.
 * Define a bean of this type to replace the auto-configured one.
 */
public class MigInitializer implements InitializingBean {

    private static final Log LOG = LogFactory.getLog(MigInitializer.class);

    /** A database and the plans it gets, in order. */
    public record Target(String name, DataSource dataSource, List<String> plans) {
        public Target {
            Objects.requireNonNull(dataSource, "dataSource");
            plans = List.copyOf(plans);
        }
    }

    private final List<Target> targets;
    private final MigProperties properties;
    private final MigStrategy strategy;
    private final ClassLoader classLoader;
    private final List<MigResult> results = new ArrayList<>();

    public MigInitializer(List<Target> targets, MigProperties properties, MigStrategy strategy, ClassLoader classLoader) {
        this.targets = List.copyOf(targets);
        this.properties = properties;
        this.strategy = strategy;
        this.classLoader = classLoader;
    }

    @Override
    public void afterPropertiesSet() {
        for (Target target : targets) {
            for (String location : target.plans()) {
                MigResult result = migrate(target, location);
                if (result != null) {
                    results.add(result);
                }
            }
        }
    }

    /** What each plan's run gave, in order (none for {@code mig.mode=check}). */
    public List<MigResult> results() {
        return List.copyOf(results);
    }

    private MigResult migrate(Target target, String location) {
        String what = "mig: plan " + location + " on " + target.name();
        LoadedPlan plan;
        long started = System.nanoTime();
        try {
            plan = Mig.plan(location, classLoader);
        } catch (InvalidPlanException e) {
            String problems = e.getMessage();
            LOG.error(what + " does not load:\n" + problems);
            throw new MigStartupException(what + " does not load:\n" + problems, null);
        }
        long loadMs = (System.nanoTime() - started) / 1_000_000;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        MigRunner runner = plan.runner().printTo(new PrintStream(printed, true, StandardCharsets.UTF_8));
        if (properties.getJournalSchema() != null) {
            runner.journalSchema(properties.getJournalSchema());
        }
        if (properties.getLockWait() != null) {
            runner.lockWait(properties.getLockWait());
        }
        if (!properties.getPlaceholders().isEmpty()) {
            runner.placeholders(properties.getPlaceholders(), "mig.placeholders.*");
        }
        MigResult result;
        try {
            result = strategy.migrate(plan, runner, target.dataSource());
        } catch (MigException e) {
            String message = what + " failed: " + e.getMessage() + (e.hint() == null ? "" : "\n  hint: " + e.hint());
            LOG.error(message + "\n" + output(printed));
            throw new MigStartupException(message, null);
        }
        String output = output(printed);
        if (result != null && !result.succeeded()) {
            String message = what + " failed: " + result.summary() + "\n" + result.failureSummary();
            LOG.error(message + output);
            throw new MigStartupException(message, null);
        }
        long totalMs = (System.nanoTime() - started) / 1_000_000;
        if (!output.isEmpty()) {
            LOG.info(what + " (loaded in " + loadMs + " ms, " + totalMs + " ms in all):\n" + output);
        } else if (result == null) {
            LOG.info(what + " loaded and validated (" + plan.stepNames().size() + " steps) in " + loadMs + " ms");
        }
        return result;
    }

    private static String output(ByteArrayOutputStream printed) {
        return printed.toString(StandardCharsets.UTF_8).stripTrailing();
    }
}
