package dev.mig.target;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code pg_dump} that copies a target's schema for {@code mig rehearse}: found through
 * {@code --pg-dump}, else {@code MIG_PG_DUMP}, else {@code PATH}. It is run with
 * {@code --schema-only --no-owner --no-privileges}, the password in {@code PGPASSWORD} (never on
 * the command line), and refused up front when it is older than the server, which pg_dump itself
 * would refuse with "server version mismatch".
 */
public final class PgDump {

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");

    private final Path executable;
    private final String source;

    private PgDump(Path executable, String source) {
        this.executable = executable;
        this.source = source;
    }

    /** Finds pg_dump, or says where mig looked and how to point at one. */
    public static PgDump locate(String option, Map<String, String> env) {
        if (option != null) {
            return checked(Path.of(option), "--pg-dump");
        }
        String variable = env.get("MIG_PG_DUMP");
        if (variable != null && !variable.isBlank()) {
            return checked(Path.of(variable), "MIG_PG_DUMP");
        }
        return onPath(env.get("PATH")).map(p -> new PgDump(p, "PATH"))
                .orElseThrow(() -> new MigException(ExitCode.PLAN_ERROR,
                        "rehearse --url copies the target's schema with pg_dump, and there is no pg_dump on the PATH",
                        "install the PostgreSQL client tools (the same major version as the server, or newer), or point"
                                + " at a pg_dump with --pg-dump PATH or MIG_PG_DUMP; without --url, rehearse runs on an"
                                + " empty shadow database"));
    }

    static Optional<Path> onPath(String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, "pg_dump");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static PgDump checked(Path file, String source) {
        if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
            throw new MigException(ExitCode.PLAN_ERROR, "the pg_dump named by " + source + " (" + file
                    + ") does not exist or is not executable", "give the path of a pg_dump binary");
        }
        return new PgDump(file, source);
    }

    public Path executable() {
        return executable;
    }

    /** {@code pg_dump --version}, e.g. {@code 17.2}; the major version is the first number. */
    public String version() {
        Output output = execute(List.of(executable.toString(), "--version"), Map.of());
        Matcher m = VERSION.matcher(output.stdout);
        if (output.exit != 0 || !m.find()) {
            throw new MigException(ExitCode.PLAN_ERROR, executable + " (from " + source + ") does not answer --version like pg_dump: "
                    + Connections.oneLine(output.stdout + " " + output.stderr), "give the path of a pg_dump binary");
        }
        return m.group(1) + (m.group(2) == null ? "" : "." + m.group(2));
    }

    static int major(String version) {
        return Integer.parseInt(version.split("\\.")[0]);
    }

    /**
     * The target's schema as a plain SQL script. {@code serverVersionNum} is the target's
     * {@code server_version_num}, read by the caller, so an old pg_dump is refused with both
     * versions named instead of pg_dump's own one-liner.
     */
    public String dumpSchema(Target target, int serverVersionNum) {
        if (target.host() == null || target.database() == null) {
            throw new MigException(ExitCode.PLAN_ERROR, "pg_dump cannot reach " + target.display()
                    + ": its host and database are not known (a jdbc:tc: target lives only inside the JVM)",
                    "rehearse --url with a postgres:// or jdbc:postgresql:// target");
        }
        String version = version();
        int serverMajor = serverVersionNum / 10000;
        if (major(version) < serverMajor) {
            throw mismatch(version, serverMajor);
        }
        Properties props = target.connectionProperties();
        Map<String, String> env = new java.util.HashMap<>();
        if (props.getProperty("password") != null) {
            env.put("PGPASSWORD", props.getProperty("password"));
        }
        StringBuilder conninfo = new StringBuilder();
        conninfo.append("host=").append(quote(target.host()))
                .append(" port=").append(target.port())
                .append(" dbname=").append(quote(target.database()))
                .append(" user=").append(quote(props.getProperty("user", "postgres")))
                .append(" application_name=mig-rehearse");
        if (props.getProperty("sslmode") != null) {
            conninfo.append(" sslmode=").append(quote(props.getProperty("sslmode")));
        }
        List<String> command = List.of(executable.toString(), "--schema-only", "--no-owner", "--no-privileges",
                "--dbname=" + conninfo);
        Output output = execute(command, env);
        if (output.exit != 0) {
            if (output.stderr.contains("server version mismatch")) {
                throw mismatch(version, serverMajor);
            }
            throw new MigException(ExitCode.CONNECTION_FAILED, "pg_dump could not dump the schema of " + target.display()
                    + ": " + Connections.oneLine(output.stderr),
                    "check that " + executable + " can connect as mig does (host, user, password, pg_hba.conf)");
        }
        return output.stdout;
    }

    private MigException mismatch(String version, int serverMajor) {
        return new MigException(ExitCode.PLAN_ERROR, "pg_dump " + version + " (" + executable + ", from " + source
                + ") cannot dump a PostgreSQL " + serverMajor + " server: pg_dump must be the server's major version or newer",
                "install the PostgreSQL " + serverMajor + " client tools and point at their pg_dump with --pg-dump PATH or MIG_PG_DUMP");
    }

    // libpq conninfo values: single quotes, with \ and ' escaped
    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private record Output(int exit, String stdout, String stderr) {
    }

    private static Output execute(List<String> command, Map<String, String> extraEnv) {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
        builder.environment().putAll(extraEnv);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String out = read(process.getInputStream());
            int exit = process.waitFor();
            return new Output(exit, out, err.join());
        } catch (IOException e) {
            throw new MigException(ExitCode.PLAN_ERROR, "cannot run " + command.get(0) + ": " + Connections.oneLine(e.getMessage()),
                    "give the path of a pg_dump binary with --pg-dump PATH or MIG_PG_DUMP");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigException(ExitCode.PLAN_ERROR, "interrupted while running pg_dump", null);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
