package dev.mig.run;

import dev.mig.catalog.Catalog;
import groovy.sql.Sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * The {@code db} of a {@code groovy { db -> }} block: a {@link Sql} on the step's connection that
 * makes the step's catalog snapshot read again whenever the block uses the database, because
 * what the block runs may change the schema its next catalog question asks about.
 *
 * <p>{@link Sql} logs every failed statement as {@code WARNING: Failed to execute: ...} through
 * java.util.logging, which prints it raw on stderr. mig reports the failure itself, in the step's
 * failure block, so the line is dropped while a block runs ({@link #quietly}); the logger's other
 * records (a library user's own Sql) pass as before.
 */
final class CatalogRefreshingSql extends Sql {

    /** Held here: java.util.logging keeps loggers weakly, and a collected logger loses its filter. */
    private static final Logger SQL_LOG = Logger.getLogger(Sql.class.getName());
    private static final ThreadLocal<Boolean> QUIET = ThreadLocal.withInitial(() -> false);

    static {
        Filter before = SQL_LOG.getFilter();
        SQL_LOG.setFilter(record -> !QUIET.get() && (before == null || before.isLoggable(record)));
    }

    /** Runs a block with this thread's failed-statement warnings dropped. */
    static void quietly(Runnable block) {
        boolean was = QUIET.get();
        QUIET.set(true);
        try {
            block.run();
        } finally {
            QUIET.set(was);
        }
    }

    private final Catalog catalog;

    CatalogRefreshingSql(Connection connection, Catalog catalog) {
        super(connection);
        this.catalog = catalog;
    }

    @Override
    protected Connection createConnection() throws SQLException {
        catalog.refresh();
        return super.createConnection();
    }
}
