package dev.mig.testing

import dev.mig.cli.MigCommand

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path

/** Runs the mig command line in this JVM, as a user would, and keeps what it printed. */
final class MigCli {

    final int exitCode
    final String out
    final String err

    private MigCli(int exitCode, String out, String err) {
        this.exitCode = exitCode
        this.out = out
        this.err = err
    }

    String getOutput() { out + err }

    static MigCli run(List<String> args, Map<String, String> env = [:], Path home = null) {
        launch(args, env, home, false)
    }

    /** As if the output were a terminal: live lines and colours. */
    static MigCli onTerminal(List<String> args, Map<String, String> env = [:], Path home = null) {
        launch(args, env, home, true)
    }

    private static MigCli launch(List<String> args, Map<String, String> env, Path home, boolean terminal) {
        def outBytes = new ByteArrayOutputStream()
        def errBytes = new ByteArrayOutputStream()
        def out = new PrintStream(outBytes, true, StandardCharsets.UTF_8)
        def err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)
        Path h = home ?: Files.createTempDirectory('mig-home')
        int code = MigCommand.execute(args as String[], env, h, out, err, terminal)
        new MigCli(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8))
    }

    @Override
    String toString() { "exit ${exitCode}\n--- out\n${out}--- err\n${err}" }
}
