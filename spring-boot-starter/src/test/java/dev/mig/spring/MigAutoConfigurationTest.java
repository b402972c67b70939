package dev.mig.spring;

import dev.mig.LoadedPlan;
import dev.mig.MigRunner;
import dev.mig.spring.jpa.JpaApplication;
import dev.mig.testkit.MigTestDatabase;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The starter in real application contexts on the embedded PostgreSQL 17 (issue 14 item 3). */
class MigAutoConfigurationTest {

    static final String SECRET = "Sekr1t-boot-password";

    MigTestDatabase db;
    MigTestDatabase other;

    @BeforeEach
    void databases() {
        db = MigTestDatabase.embedded();
        other = MigTestDatabase.embedded();
    }

    @AfterEach
    void drop() {
        db.close();
        other.close();
    }

    ApplicationContextRunner app() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
                        MigAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + db.getJdbcUrl(), "spring.jpa.hibernate.ddl-auto=validate",
                        "spring.jpa.open-in-view=false");
    }

    static boolean exists(MigTestDatabase database, String relation) throws Exception {
        try (Connection c = database.connect(); ResultSet rs = c.createStatement()
                .executeQuery("SELECT to_regclass('" + relation + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    static List<String> applied(MigTestDatabase database, String schema) throws Exception {
        List<String> steps = new ArrayList<>();
        try (Connection c = database.connect(); ResultSet rs = c.createStatement()
                .executeQuery("SELECT step FROM " + schema + ".steps WHERE status = 'applied' ORDER BY applied_at, position")) {
            while (rs.next()) {
                steps.add(rs.getString(1));
            }
        }
        return steps;
    }

    /** What the context logged: slf4j-simple (test scope) writes to standard error. */
    static String stderrOf(Runnable work) {
        PrintStream previous = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setErr(previous);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void thePlanRunsBeforeJpaValidatesItsTables() {
        app().withUserConfiguration(JpaApplication.class).run(context -> {
            assertNull(context.getStartupFailure(), () -> String.valueOf(context.getStartupFailure()));
            assertNotNull(context.getBean(EntityManagerFactory.class));
            assertEquals(List.of("create shop items", "create orders"), applied(db, "mig"));
            assertEquals(2, context.getBean(MigInitializer.class).results().get(0).steps().size());
        });
    }

    @Test
    void withoutMigJpaValidationFailsSoTheOrderingIsWhatMadeItPass() {
        // the failure Hibernate logs is expected here: captured, so the build's output shows no ERROR line
        String log = stderrOf(() -> app().withUserConfiguration(JpaApplication.class).withPropertyValues("mig.enabled=false").run(context -> {
            assertNotNull(context.getStartupFailure());
            assertTrue(String.valueOf(context.getStartupFailure()).contains("shop_items"), () -> String.valueOf(context.getStartupFailure()));
            assertFalse(exists(db, "shop_items"));
            assertFalse(exists(db, "mig.steps"));
        }));
        assertTrue(log.contains("missing table [shop_items]"), log);
    }

    @Test
    void journalSchemaLockWaitAndPlansAreTakenFromProperties() {
        app().withPropertyValues("mig.plans=classpath:db/plan.groovy,classpath:db/reports.groovy", "mig.journal-schema=deploy",
                "mig.lock-wait=5s").run(context -> {
            assertNull(context.getStartupFailure());
            assertTrue(exists(db, "reports"));
            assertTrue(exists(db, "deploy.steps"));
            assertFalse(exists(db, "mig.steps"));
            assertEquals(List.of("create shop items", "create orders", "create reports"), applied(db, "deploy"));
        });
    }

    @Test
    void placeholderPropertiesWinOverThePlansOwnValues() {
        app().withPropertyValues("mig.plans=classpath:db/placeholders.groovy", "mig.placeholders.label=from spring").run(context -> {
            assertNull(context.getStartupFailure(), () -> String.valueOf(context.getStartupFailure()));
            try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'labelled'::regclass")) {
                assertTrue(rs.next());
                assertEquals("'from spring'::text", rs.getString(1));
            }
        });
    }

    @Test
    void aFailingPlanStopsTheApplicationWithMigsFailureBlockAndNoPassword() {
        String[] log = new String[1];
        log[0] = stderrOf(() -> app().withPropertyValues("mig.plans=classpath:db/failing.groovy", "mig.url=" + db.getJdbcUrl(),
                "mig.password=" + SECRET).run(context -> {
            Throwable failure = context.getStartupFailure();
            assertNotNull(failure);
            Throwable cause = failure;
            while (!(cause instanceof MigStartupException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertInstanceOf(MigStartupException.class, cause, () -> String.valueOf(failure));
            String message = cause.getMessage();
            assertTrue(message.startsWith("mig: plan classpath:db/failing.groovy on mig.url failed: "), message);
            assertTrue(message.contains("step 'broken' FAILED"), message);
            assertTrue(message.contains("classpath:db/failing.groovy:4"), message);
            assertTrue(message.contains("no_such_table"), message);
            assertFalse(message.contains(SECRET));
        }));
        assertTrue(log[0].contains("step 'broken'"), log[0]);
        assertFalse(log[0].contains(SECRET));
    }

    @Test
    void aConnectionFailureOnMigUrlStopsTheApplicationWithoutThePassword() {
        String log = stderrOf(() -> app().withPropertyValues("mig.url=jdbc:postgresql://127.0.0.1:1/nowhere", "mig.user=deploy",
                "mig.password=" + SECRET).run(context -> {
            String failure = String.valueOf(context.getStartupFailure());
            assertTrue(failure.contains("mig: plan classpath:db/plan.groovy on mig.url failed: cannot connect"), failure);
            assertFalse(failure.contains(SECRET), failure);
            assertFalse(exists(db, "shop_items"));
        }));
        assertTrue(log.contains("cannot connect"), log);
        assertFalse(log.contains(SECRET), log);
    }

    @Test
    void aPlanThatDoesNotLoadStopsTheApplicationNamingTheClasspathFileAndLine() {
        String log = stderrOf(() -> {
            app().withPropertyValues("mig.plans=classpath:db/broken.groovy").run(context -> {
                String failure = String.valueOf(context.getStartupFailure());
                assertTrue(failure.contains("classpath:db/broken.groovy:3: sqlFile 'sql/missing.sql' not found"), failure);
                assertFalse(exists(db, "mig.steps"));
            });
            app().withPropertyValues("mig.plans=classpath:db/nope.groovy").run(context -> {
                String failure = String.valueOf(context.getStartupFailure());
                assertTrue(failure.contains("plan file not found on the class path (looked for db/nope.groovy in "), failure);
            });
        });
        // the log says it too (captured: a green build prints no ERROR line)
        assertTrue(log.contains("plan classpath:db/broken.groovy on the application's DataSource does not load"), log);
    }

    @Test
    void migEnabledFalseDoesNothing() {
        app().withPropertyValues("mig.enabled=false").run(context -> {
            assertNull(context.getStartupFailure());
            assertTrue(context.getBeansOfType(MigInitializer.class).isEmpty());
            assertFalse(exists(db, "shop_items"));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnInitializer {
        @Bean
        MigInitializer myInitializer() {
            return new MigInitializer(List.of(), new MigProperties(), MigStrategy.RUN, getClass().getClassLoader());
        }
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnInitializer() {
        app().withUserConfiguration(OwnInitializer.class).run(context -> {
            assertNull(context.getStartupFailure());
            assertEquals(List.of("myInitializer"), List.copyOf(context.getBeansOfType(MigInitializer.class).keySet()));
            assertFalse(exists(db, "shop_items"));
        });
    }

    static final List<String> STRATEGY_CALLS = new ArrayList<>();

    @Configuration(proxyBeanMethods = false)
    static class OwnStrategy {
        @Bean
        MigStrategy planOnly() {
            return (LoadedPlan plan, MigRunner runner, DataSource dataSource) -> {
                STRATEGY_CALLS.add(plan.name() + ":" + plan.stepNames());
                return MigStrategy.PLAN.migrate(plan, runner, dataSource);
            };
        }
    }

    @Test
    void aStrategyBeanReplacesTheRunAndModesPlanAndCheckChangeNothing() {
        STRATEGY_CALLS.clear();
        app().withUserConfiguration(OwnStrategy.class).run(context -> {
            assertNull(context.getStartupFailure());
            assertEquals(List.of("shop:[create shop items, create orders]"), STRATEGY_CALLS);
            assertTrue(context.getBean(MigInitializer.class).results().get(0).dryRun());
            assertFalse(exists(db, "shop_items"));
        });
        app().withPropertyValues("mig.mode=check").run(context -> {
            assertNull(context.getStartupFailure());
            assertTrue(context.getBean(MigInitializer.class).results().isEmpty());
            assertFalse(exists(db, "shop_items"));
        });
        app().withPropertyValues("mig.mode=plan").run(context -> {
            assertNull(context.getStartupFailure());
            assertFalse(exists(db, "shop_items"));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoDataSources {
        @Bean
        @Primary
        DataSource shopDataSource(org.springframework.core.env.Environment env) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(env.getProperty("test.shop-url"));
            return ds;
        }

        @Bean
        DataSource reportsDataSource(org.springframework.core.env.Environment env) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(env.getProperty("test.reports-url"));
            return ds;
        }
    }

    @Test
    void severalDataSourcesEachGetTheirPlans() {
        app().withUserConfiguration(TwoDataSources.class).withPropertyValues("test.shop-url=" + db.getJdbcUrl(),
                "test.reports-url=" + other.getJdbcUrl(), "mig.plans=", "mig.data-sources.shopDataSource=classpath:db/plan.groovy",
                "mig.data-sources.reportsDataSource=classpath:db/reports.groovy").run(context -> {
            assertNull(context.getStartupFailure(), () -> String.valueOf(context.getStartupFailure()));
            assertTrue(exists(db, "shop_items"));
            assertFalse(exists(db, "reports"));
            assertTrue(exists(other, "reports"));
            assertFalse(exists(other, "shop_items"));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class MarkedDataSource {
        @Bean
        @Primary
        DataSource appDataSource(org.springframework.core.env.Environment env) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(env.getProperty("test.shop-url"));
            return ds;
        }

        @Bean
        @MigDataSource
        DataSource migrationDataSource(org.springframework.core.env.Environment env) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(env.getProperty("test.reports-url"));
            return ds;
        }
    }

    @Test
    void aMigDataSourceBeanIsUsedInsteadOfThePrimaryOne() {
        app().withUserConfiguration(MarkedDataSource.class).withPropertyValues("test.shop-url=" + db.getJdbcUrl(),
                "test.reports-url=" + other.getJdbcUrl()).run(context -> {
            assertNull(context.getStartupFailure(), () -> String.valueOf(context.getStartupFailure()));
            assertTrue(exists(other, "shop_items"));
            assertFalse(exists(db, "shop_items"));
        });
    }

    @Test
    void springSqlInitScriptsRunAfterMigAsAfterFlyway() {
        app().withConfiguration(AutoConfigurations.of(DataSourceInitializationAutoConfiguration.class))
                .withPropertyValues("spring.sql.init.mode=always", "spring.sql.init.data-locations=classpath:seed-data.sql")
                .run(context -> {
                    assertNull(context.getStartupFailure(), () -> String.valueOf(context.getStartupFailure()));
                    try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery("SELECT name FROM shop_items")) {
                        assertTrue(rs.next());
                        assertEquals("seeded by spring.sql.init", rs.getString(1));
                    }
                });
    }
}
