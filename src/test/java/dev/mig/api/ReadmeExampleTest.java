package dev.mig.api;

import dev.mig.LoadedPlan;
import dev.mig.Mig;
import dev.mig.MigResult;
import dev.mig.result.StepOutcome;
import dev.mig.result.StepResult;
import dev.mig.testkit.MigTestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Path;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's "mig as a library" example, line for line (only the plan's path differs). */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleRuns() {
        try (MigTestDatabase db = MigTestDatabase.embedded()) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(db.getJdbcUrl());
            MigResult result = readmeExample(dataSource);
            assertEquals(ExitCode.OK, result.exitCode());
            assertEquals(StepOutcome.APPLIED, result.steps().get(0).outcome());
            assertTrue(readmeExample(dataSource).steps().stream().allMatch(s -> s.outcome() == StepOutcome.ALREADY_APPLIED));
        }
    }

    private static MigResult readmeExample(DataSource dataSource) {
        // --- README: mig as a library ---
        LoadedPlan plan = Mig.plan(Path.of("src/test/resources/testkit/users.groovy"));  // compiles and checks: no database yet
        MigResult result = plan.runner()
                .journalSchema("mig")
                .printTo(System.out)                       // what mig run prints; silent() is the default
                .run(dataSource);                          // or .run("postgres://app@db:5432/shop")
        for (StepResult step : result.steps()) {
            System.out.println(step.name() + ": " + step.outcome() + " in " + step.durationMs() + " ms");
        }
        if (!result.succeeded()) {
            throw new IllegalStateException(result.failureSummary());
        }
        // --- end ---
        return result;
    }
}
