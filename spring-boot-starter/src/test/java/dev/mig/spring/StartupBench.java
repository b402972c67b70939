package dev.mig.spring;

import dev.mig.testkit.MigTestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The starter's added start-up time: a Spring Boot application (a Hikari DataSource) started in a
 * fresh JVM each time, with mig running the 10-step db/bench/plan.groovy on a fresh database and
 * with mig.enabled=false; median of 5 each. Run with -Dmig.bench=true (not part of the suite).
 */
class StartupBench {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, MigAutoConfiguration.class})
    static class App {
    }

    /** In the child JVM: starts the application and prints how long SpringApplication.run took, in ms. */
    public static void main(String[] args) {
        long start = System.nanoTime();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .logStartupInfo(false).run("--spring.datasource.url=" + args[0], "--mig.enabled=" + args[1],
                        "--mig.plans=classpath:db/bench/plan.groovy")) {
            System.out.println("STARTED_MS " + (System.nanoTime() - start) / 1_000_000);
        }
    }

    static long child(String url, boolean mig) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StartupBench.class.getName(), url,
                String.valueOf(mig)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0 || !out.contains("STARTED_MS ")) {
            throw new IllegalStateException(out);
        }
        out.lines().filter(l -> l.contains("loaded in")).forEach(l -> System.out.println("BENCH mig " + l.substring(l.indexOf("mig: plan"))));
        String line = out.lines().filter(l -> l.startsWith("STARTED_MS ")).findFirst().orElseThrow();
        return Long.parseLong(line.substring("STARTED_MS ".length()).trim());
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    @Test
    @EnabledIfSystemProperty(named = "mig.bench", matches = "true")
    void startUpWithAndWithoutMig() throws Exception {
        List<Long> with = new ArrayList<>();
        List<Long> without = new ArrayList<>();
        List<Long> upToDate = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            try (MigTestDatabase db = MigTestDatabase.embedded()) {
                without.add(child(db.getJdbcUrl(), false));
                with.add(child(db.getJdbcUrl(), true));
                upToDate.add(child(db.getJdbcUrl(), true));
            }
        }
        System.out.println("BENCH without mig " + without + " median " + median(without) + " ms; with mig applying 10 steps "
                + with + " median " + median(with) + " ms (added " + (median(with) - median(without)) + " ms); with mig, all "
                + "applied earlier " + upToDate + " median " + median(upToDate) + " ms (added "
                + (median(upToDate) - median(without)) + " ms)");
    }
}
