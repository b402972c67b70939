package dev.mig.catalog;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How a {@link Catalog} talks to the server: its queries (values always bound, failures a
 * MigException), counted for the tests of the snapshot, and the savepoints that keep a failed
 * read from aborting the caller's transaction.
 */
final class CatalogQueries {

    private final Connection conn;
    private int queriesRun;

    CatalogQueries(Connection conn) {
        this.conn = conn;
    }

    int queriesRun() {
        return queriesRun;
    }

    List<Map<String, Object>> query(String sql, Object... args) {
        queriesRun++;
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= md.getColumnCount(); c++) {
                        row.put(md.getColumnLabel(c), rs.getObject(c));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "catalog query failed: " + e.getMessage(), null,
                    "the query was: " + sql, e);
        }
    }

    void scan(String sql, Object[] args, CatalogSnapshot.RowReader reader) {
        queriesRun++;
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "catalog query failed: " + e.getMessage(), null,
                    "the query was: " + sql, e);
        }
    }

    Object value(String sql, Object... args) {
        Map<String, Object> row = first(sql, args);
        return row == null ? null : row.values().iterator().next();
    }

    <T> T attempt(Supplier<T> work) {
        Savepoint savepoint = savepoint();
        T result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            rollbackTo(savepoint, e);
            throw e;
        }
        release(savepoint);
        return result;
    }

    <T> void attemptEach(List<T> items, java.util.function.Consumer<T> work,
                                java.util.function.BiConsumer<T, RuntimeException> onFailure) {
        Savepoint savepoint = savepoint();
        for (T item : items) {
            try {
                work.accept(item);
            } catch (RuntimeException e) {
                rollbackTo(savepoint, e);
                if (savepoint != null) {
                    savepoint = savepoint();
                }
                onFailure.accept(item, e);
            }
        }
        release(savepoint);
    }

    /** Undoes what failed since the savepoint; a failure to do so is kept with the original error. */
    private void rollbackTo(Savepoint savepoint, RuntimeException failure) {
        if (savepoint != null) {
            try {
                conn.rollback(savepoint);
            } catch (SQLException rollbackFailed) {
                failure.addSuppressed(rollbackFailed);
            }
        }
    }

    private void release(Savepoint savepoint) {
        if (savepoint != null) {
            try {
                conn.releaseSavepoint(savepoint);
            } catch (SQLException e) {
                throw new MigException(ExitCode.STEP_FAILED, "could not release a savepoint: " + e.getMessage(), null, null, e);
            }
        }
    }

    /** A savepoint when inside a transaction; null in autocommit, where a failed statement aborts nothing. */
    private Savepoint savepoint() {
        try {
            return conn.getAutoCommit() ? null : conn.setSavepoint();
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "could not set a savepoint: " + e.getMessage(), null, null, e);
        }
    }

    Map<String, Object> first(String sql, Object... args) {
        List<Map<String, Object>> rows = query(sql, args);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private void bind(PreparedStatement ps, Object[] args) throws SQLException {
        if (args == null) {
            return;
        }
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            if (arg instanceof String[] strings) {
                Array array = conn.createArrayOf("text", strings);
                ps.setArray(i + 1, array);
            } else if (arg == null) {
                // untyped NULL: let the server infer the type from the statement
                ps.setNull(i + 1, java.sql.Types.OTHER);
            } else {
                ps.setObject(i + 1, arg);
            }
        }
    }
}
