package dev.mig.testing

import java.nio.charset.StandardCharsets
import java.util.concurrent.TimeUnit

/**
 * Runs a main class of this build in a new JVM with a chosen environment, for the code paths
 * that read the real process environment (System.getenv, user.home) and so cannot be driven
 * in-process.
 */
final class ChildJvm {

    final int exitCode
    final String output

    private ChildJvm(int exitCode, String output) {
        this.exitCode = exitCode
        this.output = output
    }

    /** The JVM options scripts/mig and bin/mig start mig with (docs/DSL.md, "Launchers"). */
    static final List<String> LAUNCHER_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xshare:auto', '-Xms16m'].asImmutable()

    /** java, the launchers' options, and this test JVM's class path: the start of a command that runs mig's code. */
    static List<String> java() {
        [System.getProperty('java.home') + '/bin/java'] + LAUNCHER_OPTIONS + ['-cp', System.getProperty('java.class.path')]
    }

    static ChildJvm run(String mainClass, List<String> args, Map<String, String> env, List<String> jvmOptions = []) {
        def command = java() + jvmOptions + [mainClass] + args
        def builder = new ProcessBuilder(command).redirectErrorStream(true)
        // start from the parent's environment without any libpq variable, so only env counts
        builder.environment().keySet().removeIf { it.startsWith('PG') || it in ['MIG_URL', 'DATABASE_URL'] }
        builder.environment().putAll(env)
        Process p = builder.start()
        String out = new String(p.inputStream.readAllBytes(), StandardCharsets.UTF_8)
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly()
            throw new IllegalStateException("${mainClass} did not end within 120 s:\n${out}")
        }
        new ChildJvm(p.exitValue(), out)
    }

    @Override
    String toString() { "exit ${exitCode}\n${output}" }
}
