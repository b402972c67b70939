package dev.mig.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What commands get from the outside world: the environment, home folder, output streams, and
 * whether the output is a terminal (the process asks {@code System.console()}; tests force it).
 */
record CliContext(Map<String, String> env, Path home, PrintStream out, PrintStream err, boolean terminal) {

    CliContext(Map<String, String> env, Path home, PrintStream out, PrintStream err) {
        this(env, home, out, err, false);
    }
}
