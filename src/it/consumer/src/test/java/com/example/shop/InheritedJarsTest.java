package com.example.shop;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A project that depends on mig inherits no command-line parser, no container library and no
 * logging binding: picocli, Testcontainers and slf4j-nop are optional dependencies of mig, so
 * the application's own SLF4J binding (logback, say) is the one that logs.
 */
class InheritedJarsTest {

    @Test
    void noCommandLineContainerOrLoggingBindingJar() {
        for (String className : List.of("picocli.CommandLine", "org.testcontainers.containers.PostgreSQLContainer",
                "org.slf4j.nop.NOPServiceProvider")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(className),
                    className + " came with mig into a project that depends on it");
        }
    }
}
