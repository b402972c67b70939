package com.example.shop;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A project that tests with mig-testkit inherits no command-line parser, no container library and
 * no logging binding: picocli, Testcontainers and slf4j-nop belong to the command line (dev.mig:mig),
 * so the project's own SLF4J binding (logback, say) is the one that logs.
 */
class InheritedJarsTest {

    @Test
    void noCommandLineContainerOrLoggingBindingJar() {
        for (String className : List.of("picocli.CommandLine", "org.testcontainers.containers.PostgreSQLContainer",
                "org.slf4j.nop.NOPServiceProvider")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(className),
                    className + " came with mig-testkit into a project that depends on it");
        }
    }
}
