package dev.mig.target

import dev.mig.Mig

import java.nio.file.Path

/** {@code RunnerMain PLAN URL}: the library's MigRunner.run(url) in a child JVM (ConnectionConventionsSpec). */
final class RunnerMain {

    static void main(String[] args) {
        def result = Mig.plan(Path.of(args[0])).runner().run(args[1])
        System.exit(result.succeeded() ? 0 : 1)
    }
}
