package dev.mig.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** What commands get from the outside world: the environment, home folder and output streams. */
record CliContext(Map<String, String> env, Path home, PrintStream out, PrintStream err) {
}
