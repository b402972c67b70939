package dev.mig.imports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The checksum Prisma Migrate stores in {@code _prisma_migrations.checksum}: the SHA-256 of the
 * migration.sql text, in lower-case hex. Like Prisma's {@code script_matches_checksum}, a file
 * whose only change is LF against CRLF line ends still matches, so a checkout with other line
 * ends is not drift.
 */
public final class PrismaChecksum {

    private PrismaChecksum() {
    }

    public static String of(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean matches(Path file, String checksum) {
        String script;
        try {
            script = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String lf = script.replace("\r\n", "\n");
        return checksum.equalsIgnoreCase(of(script)) || checksum.equalsIgnoreCase(of(lf))
                || checksum.equalsIgnoreCase(of(lf.replace("\n", "\r\n")));
    }
}
