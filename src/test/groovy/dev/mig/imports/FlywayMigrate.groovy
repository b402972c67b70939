package dev.mig.imports

import org.flywaydb.core.Flyway
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension

/**
 * Real Flyway (the test-scoped dependency) migrating a folder, for scripts/bench-import.sh's adoption figure
 * (not used by the suite):  FlywayMigrate JDBC_URL USER FOLDER. Prints how many migrations Flyway ran.
 */
final class FlywayMigrate {

    static void main(String[] args) {
        if (args.length != 3) {
            System.err.println('usage: FlywayMigrate JDBC_URL USER FOLDER')
            System.exit(2)
        }
        // Flyway's transactional advisory lock keeps a transaction open that CREATE INDEX CONCURRENTLY waits for,
        // forever (flyway/flyway#3682): the generated history has such files, so the lock is a session one, as advised there
        def config = Flyway.configure().dataSource(args[0], args[1], null).locations('filesystem:' + args[2])
        config.getConfigurationExtension(PostgreSQLConfigurationExtension).transactionalLock = false
        def result = config.load().migrate()
        println "flyway ran ${result.migrationsExecuted} migrations"
    }
}
