package dev.mig.target;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a libpq password file: {@code hostname:port:database:username:password} per line,
 * {@code *} matching anything in the first four fields, {@code \:} and {@code \\} as escapes,
 * {@code #} starting a comment line. The first matching line wins, as in libpq.
 *
 * <p>The host is matched literally (plus {@code *}); a socket directory is looked up as
 * {@code localhost}, as libpq does. An unreadable or missing file is ignored, as libpq does.
 */
final class PgPass {

    private PgPass() {
    }

    /**
     * The file libpq would read: {@code PGPASSFILE}, else {@code $HOME/.pgpass}; {@code home} (the
     * JVM's user.home) only when HOME is unset. CI runners, containers and sudo set HOME to
     * somewhere else than the account's home, and libpq follows HOME.
     */
    static Path location(java.util.Map<String, String> env, Path home) {
        String override = env.get("PGPASSFILE");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String homeVariable = env.get("HOME");
        if (homeVariable != null && !homeVariable.isBlank()) {
            return Path.of(homeVariable).resolve(".pgpass");
        }
        return home == null ? null : home.resolve(".pgpass");
    }

    static Optional<String> find(Path file, String host, int port, String database, String user) {
        if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
            return Optional.empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        String[] wanted = {host, String.valueOf(port), database, user};
        for (String line : lines) {
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            List<String> fields = split(line);
            if (fields.size() < 5) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < 4 && match; i++) {
                String f = fields.get(i);
                match = f.equals("*") || f.equals(wanted[i]);
            }
            if (match) {
                return Optional.of(fields.get(4));
            }
        }
        return Optional.empty();
    }

    // Four ':'-separated fields, then the password as the rest of the line (libpq keeps an
    // unescaped ':' in the password); backslash escapes the next character everywhere.
    private static List<String> split(String line) {
        List<String> fields = new ArrayList<>(5);
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                current.append(line.charAt(++i));
            } else if (c == ':' && fields.size() < 4) {
                fields.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        fields.add(current.toString());
        return fields;
    }
}
