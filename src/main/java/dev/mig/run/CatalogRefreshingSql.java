package dev.mig.run;

import dev.mig.catalog.Catalog;
import groovy.sql.Sql;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The {@code db} of a {@code groovy { db -> }} block: a {@link Sql} on the step's connection that
 * makes the step's catalog snapshot read again whenever the block uses the database, because
 * what the block runs may change the schema its next catalog question asks about.
 */
final class CatalogRefreshingSql extends Sql {

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
