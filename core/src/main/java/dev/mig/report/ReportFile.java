package dev.mig.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a report whole or not at all: the text goes to a temporary file next to the report,
 * which is then moved over it in one step, so a reader (a CI step, a person) never sees half a
 * report, and a report from an earlier run stays as it was when writing fails.
 */
public final class ReportFile {

    private ReportFile() {
    }

    public static void write(Path path, String text) throws IOException {
        Path absolute = path.toAbsolutePath();
        Path folder = absolute.getParent();
        if (folder != null) {
            Files.createDirectories(folder);
        }
        Path temp = Files.createTempFile(folder, ".mig-report", ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
