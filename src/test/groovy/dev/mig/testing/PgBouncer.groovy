package dev.mig.testing

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.util.concurrent.TimeUnit

/**
 * A PgBouncer in front of the embedded PostgreSQL, started by a test on a free port with the
 * pool mode it asks for, trusting every user. Tests that need it are skipped when no
 * {@code pgbouncer} is installed ({@link #available()}).
 */
final class PgBouncer implements Closeable {

    final int port
    final Path dir
    private final Process process

    private PgBouncer(int port, Path dir, Process process) {
        this.port = port
        this.dir = dir
        this.process = process
    }

    static String executable() {
        List<String> dirs = (System.getenv('PATH') ?: '').split(File.pathSeparator).toList() + ['/usr/sbin', '/usr/local/sbin']
        dirs.collect { new File(it, 'pgbouncer') }.find { it.isFile() && it.canExecute() }?.path
    }

    static boolean available() {
        executable() != null
    }

    /** Starts PgBouncer with {@code pool_mode} 'session' or 'transaction'; waits until it listens. */
    static PgBouncer start(String poolMode) {
        Path dir = Files.createTempDirectory('mig-pgbouncer')
        int port = new ServerSocket(0).withCloseable { it.localPort }
        Files.writeString(dir.resolve('userlist.txt'), '"postgres" ""\n')
        Files.writeString(dir.resolve('pgbouncer.ini'), """\
            [databases]
            * = host=127.0.0.1 port=${TestPostgres.port()}
            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = ${port}
            unix_socket_dir =
            auth_type = trust
            auth_file = ${dir.resolve('userlist.txt')}
            pool_mode = ${poolMode}
            default_pool_size = 4
            max_client_conn = 50
            ignore_startup_parameters = extra_float_digits,options
            """.stripIndent())
        // PgBouncer refuses to run as root; as root it is told to become postgres (or nobody), who must read its files
        List<String> command = [executable()]
        if (System.getProperty('user.name') == 'root') {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString('rwxr-xr-x'))
            command += ['-u', userExists('postgres') ? 'postgres' : 'nobody']
        }
        command << dir.resolve('pgbouncer.ini').toString()
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve('pgbouncer.log').toFile()).start()
        PgBouncer bouncer = new PgBouncer(port, dir, process)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15)
        while (!bouncer.listening()) {
            if (!process.alive || System.nanoTime() > deadline) {
                bouncer.close()
                throw new IllegalStateException("pgbouncer did not start:\n" + bouncer.log())
            }
            Thread.sleep(50)
        }
        bouncer
    }

    private static boolean userExists(String name) {
        new File('/etc/passwd').readLines().any { it.startsWith(name + ':') }
    }

    private boolean listening() {
        try {
            new Socket('127.0.0.1', port).close()
            true
        } catch (IOException ignored) {
            false
        }
    }

    String jdbcUrl(String database) {
        "jdbc:postgresql://127.0.0.1:${port}/${database}?user=postgres".toString()
    }

    String log() {
        Path log = dir.resolve('pgbouncer.log')
        Files.exists(log) ? Files.readString(log) : ''
    }

    @Override
    void close() {
        process.destroy()
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly()
        }
    }
}
