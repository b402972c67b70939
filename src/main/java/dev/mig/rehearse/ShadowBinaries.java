package dev.mig.rehearse;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which PostgreSQL the embedded shadow runs. mig bundles one major version (zonky's binaries on
 * the class path); a target of another major is rehearsed on a local installation of the
 * target's major when this machine has one, because a step can behave differently across major
 * versions (syntax, catalogs, defaults). Otherwise the bundled server is used and the caller warns.
 */
final class ShadowBinaries {

    private static final Pattern MAJOR = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)");

    private ShadowBinaries() {
    }

    /**
     * The places a PostgreSQL of {@code major} is installed by the usual packages: Debian and
     * Ubuntu, the PGDG RPMs, Homebrew on Apple silicon and Intel; then {@code pg_config --bindir}
     * of the pg_config on the PATH (a source build or another layout).
     */
    static List<Path> candidates(int major, Map<String, String> env) {
        List<Path> dirs = new ArrayList<>(List.of(
                Path.of("/usr/lib/postgresql/" + major + "/bin"),
                Path.of("/usr/pgsql-" + major + "/bin"),
                Path.of("/opt/homebrew/opt/postgresql@" + major + "/bin"),
                Path.of("/usr/local/opt/postgresql@" + major + "/bin")));
        onPath("pg_config", env.get("PATH")).flatMap(ShadowBinaries::pgConfigBindir).ifPresent(dirs::add);
        return dirs;
    }

    /**
     * The first candidate holding a server of exactly {@code major} (initdb, pg_ctl and postgres,
     * and {@code postgres --version} says so); {@code version} runs a binary's --version.
     */
    static Optional<Path> locate(int major, List<Path> candidates, Function<Path, Optional<Integer>> version) {
        for (Path dir : candidates) {
            boolean complete = List.of("initdb", "pg_ctl", "postgres").stream()
                    .allMatch(name -> Files.isRegularFile(dir.resolve(name)) && Files.isExecutable(dir.resolve(name)));
            if (complete && version.apply(dir.resolve("postgres")).filter(v -> v == major).isPresent()) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** A local server of {@code major}, if this machine has one. */
    static Optional<Path> locate(int major, Map<String, String> env) {
        return locate(major, candidates(major, env), ShadowBinaries::majorOf);
    }

    /** The major version a PostgreSQL binary reports with --version, e.g. 15 for "postgres (PostgreSQL) 15.8". */
    static Optional<Integer> majorOf(Path binary) {
        return output(binary.toString(), "--version").flatMap(text -> {
            Matcher m = MAJOR.matcher(text);
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        });
    }

    private static Optional<Path> pgConfigBindir(Path pgConfig) {
        return output(pgConfig.toString(), "--bindir").map(String::strip).filter(s -> !s.isEmpty()).map(Path::of);
    }

    private static Optional<Path> onPath(String name, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = dir.isBlank() ? null : Path.of(dir, name);
            if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> output(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean done = process.waitFor(10, TimeUnit.SECONDS);
            return done && process.exitValue() == 0 ? Optional.of(text) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * zonky starts servers from a .txz archive of {@code bin/}, {@code lib/} and {@code share/}
     * that it unpacks into its working directory. For a local installation the archive holds one
     * symbolic link, {@code bin} to the installation's bin directory: the binaries resolve the
     * link and find their lib and share directories where the package put them.
     */
    record LocalInstall(Path bin) implements PgBinaryResolver {

        @Override
        public InputStream getPgBinary(String system, String machineHardware) throws IOException {
            ByteArrayOutputStream archive = new ByteArrayOutputStream();
            try (XZOutputStream xz = new XZOutputStream(archive, new LZMA2Options());
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(xz)) {
                TarArchiveEntry link = new TarArchiveEntry("bin", TarArchiveEntry.LF_SYMLINK);
                link.setLinkName(bin.toAbsolutePath().toString());
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
            return new ByteArrayInputStream(archive.toByteArray());
        }
    }
}
