package com.example.billing;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What an application that depends on mig-core ships: no command-line parser (picocli), no
 * container library (Testcontainers, docker-java), no embedded server (io.zonky) and no logging
 * binding that would take over the application's own logging. Prints the count and size of the
 * run-time jars (the measure of "a few MB besides Groovy").
 */
class RuntimeJarsTest {

    static final Pattern FORBIDDEN = Pattern.compile(
            "picocli|testcontainers|docker-java|/io/zonky/|slf4j-nop|slf4j-simple|logback-classic|log4j-slf4j");
    static final double MIB = 1024 * 1024;

    @Test
    void mig_coreBringsNoCommandLineContainerEmbeddedServerOrLoggingBindingJar() throws Exception {
        String classpath = Files.readString(Path.of(System.getProperty("runtimeClasspathFile"))).trim();
        // junixsocket-core is a pom that gathers its jars: listed too, but nothing to ship
        List<String> jars = Arrays.stream(classpath.split(File.pathSeparator)).filter(s -> s.endsWith(".jar")).toList();

        List<String> forbidden = jars.stream().filter(j -> FORBIDDEN.matcher(j.replace('\\', '/')).find()).toList();
        long bytes = 0;
        long groovyBytes = 0;
        for (String jar : jars) {
            long size = Files.size(Path.of(jar));
            bytes += size;
            if (jar.replace('\\', '/').contains("/org/apache/groovy/")) {
                groovyBytes += size;
            }
        }
        System.out.printf("mig-core run-time class path: %d jars, %.1f MiB (%.1f MiB besides Groovy)%n",
                jars.size(), bytes / MIB, (bytes - groovyBytes) / MIB);

        assertEquals(List.of(), forbidden, "mig-core brought these into an application's run-time class path");
    }
}
