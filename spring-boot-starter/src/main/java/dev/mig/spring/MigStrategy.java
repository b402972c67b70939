package dev.mig.spring;

import dev.mig.LoadedPlan;
import dev.mig.MigResult;
import dev.mig.MigRunner;

import javax.sql.DataSource;

/**
 * What the starter does with each loaded plan at start-up. Define a bean of this type to replace
 * it (as Spring Boot's FlywayMigrationStrategy does for Flyway): {@link #RUN} applies the plan,
 * {@link #PLAN} is a dry run, {@link #CHECK} only loads and validates it.
 */
@FunctionalInterface
public interface MigStrategy {

    /** Returns the run's result, or null when nothing ran (a failed result stops the application). */
    MigResult migrate(LoadedPlan plan, MigRunner runner, DataSource dataSource);

    MigStrategy RUN = (plan, runner, dataSource) -> runner.run(dataSource);

    MigStrategy PLAN = (plan, runner, dataSource) -> runner.dryRun(true).run(dataSource);

    MigStrategy CHECK = (plan, runner, dataSource) -> null;

    static MigStrategy of(MigProperties.Mode mode) {
        return switch (mode) {
            case RUN -> RUN;
            case PLAN -> PLAN;
            case CHECK -> CHECK;
        };
    }
}
