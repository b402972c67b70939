package dev.mig.testing

import java.nio.file.Files
import java.nio.file.Path

/** Writes plan files (and files beside them) into a temporary folder. */
final class PlanFiles {

    final Path dir

    PlanFiles() {
        dir = Files.createTempDirectory('mig-plans')
    }

    Path write(String name, String text) {
        Path p = dir.resolve(name)
        Files.createDirectories(p.parent)
        Files.writeString(p, text.stripIndent())
        p
    }
}
