package dev.mig.journal;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.catalog.Identifiers;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Brings a journal written by an older mig up to {@link Journal#SCHEMA_VERSION}, under {@link Journal#ensure}'s creation lock. */
final class JournalUpgrade {

    private JournalUpgrade() {
    }

    /**
     * Brings a journal written by an older mig up to {@link Journal#SCHEMA_VERSION}, under the creation
     * lock; a journal from a newer mig is refused rather than written in a shape it does not expect.
     */
    static void upgrade(Statement st, String schema, String schemaName) throws SQLException {
        int version;
        try (ResultSet rs = st.executeQuery("SELECT schema_version FROM " + schema + ".journal_meta WHERE id = 1")) {
            rs.next();
            version = rs.getInt(1);
        }
        if (version > Journal.SCHEMA_VERSION) {
            throw new MigException(ExitCode.STEP_FAILED, "the journal " + schemaName + " was written by a newer mig (journal version "
                    + version + ", this mig knows " + Journal.SCHEMA_VERSION + ")", "run this plan with that mig version or newer");
        }
        if (version < 2) {
            // version 2: what each guard read and answered
            st.execute("ALTER TABLE " + schema + ".steps ADD COLUMN IF NOT EXISTS guard_evidence jsonb");
            st.execute("ALTER TABLE " + schema + ".history ADD COLUMN IF NOT EXISTS guard_evidence jsonb");
        }
        if (version < 3) {
            // version 3: the placeholder values each attempt ran with
            st.execute("ALTER TABLE " + schema + ".history ADD COLUMN IF NOT EXISTS placeholders jsonb");
        }
        tenants(st, schema);
        if (version < Journal.SCHEMA_VERSION) {
            st.execute("UPDATE " + schema + ".journal_meta SET schema_version = " + Journal.SCHEMA_VERSION + " WHERE id = 1");
        }
    }

    /**
     * Version 5: the progress of each backfill step, one row per (plan, tenant, step), written in
     * the transaction of each batch ({@link BackfillProgress}). Created when missing, whatever the
     * version says, as the version-4 columns are.
     */
    static void progress(Statement st, String schema) throws SQLException {
        st.execute("CREATE TABLE IF NOT EXISTS " + schema + ".progress ("
                + " plan text NOT NULL,"
                + " tenant text NOT NULL DEFAULT '',"
                + " step text NOT NULL,"
                + " last_key text,"
                + " rows bigint NOT NULL DEFAULT 0,"
                + " batches int NOT NULL DEFAULT 0,"
                + " started_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
                + " updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
                + " finished_at timestamptz,"
                + " PRIMARY KEY (plan, tenant, step))");
    }

    /**
     * Version 4: the tenant of a schema-per-tenant fleet is part of a row's key. Done from what the
     * tables lack, not from the version alone: a journal whose tables came from elsewhere (a schema
     * copied into a shadow, with a meta row of this version) is made whole too.
     */
    private static void tenants(Statement st, String schema) throws SQLException {
        String steps = schema.replace("'", "''") + ".steps";
        String history = schema.replace("'", "''") + ".history";
        boolean stepsTenant;
        boolean historyTenant;
        String primaryKey;
        int keyColumns;
        String column = "EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '%s'::regclass AND attname = 'tenant' AND NOT attisdropped)";
        String key = "(SELECT %s FROM pg_constraint WHERE conrelid = '%s'::regclass AND contype = 'p')";
        try (ResultSet rs = st.executeQuery("SELECT " + String.format(column, steps) + ", " + String.format(column, history) + ", "
                + String.format(key, "conname", steps) + ", " + String.format(key, "coalesce(array_length(conkey, 1), 0)", steps))) {
            rs.next();
            stepsTenant = rs.getBoolean(1);
            historyTenant = rs.getBoolean(2);
            primaryKey = rs.getString(3);
            keyColumns = rs.getInt(4);
        }
        if (!stepsTenant) {
            st.execute("ALTER TABLE " + schema + ".steps ADD COLUMN tenant text NOT NULL DEFAULT ''");
        }
        if (!historyTenant) {
            st.execute("ALTER TABLE " + schema + ".history ADD COLUMN tenant text NOT NULL DEFAULT ''");
        }
        if (!stepsTenant || keyColumns != 3) {
            st.execute("ALTER TABLE " + schema + ".steps "
                    + (primaryKey == null ? "" : "DROP CONSTRAINT " + Identifiers.quote(primaryKey) + ", ")
                    + "ADD PRIMARY KEY (plan, tenant, step)");
        }
        st.execute("DROP INDEX IF EXISTS " + schema + ".history_plan_step_idx");
    }
}
