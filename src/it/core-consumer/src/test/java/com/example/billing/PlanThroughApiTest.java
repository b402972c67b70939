package com.example.billing;

import dev.mig.Mig;
import dev.mig.MigResult;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An application runs its plan through mig-core's API on a database it was given. */
class PlanThroughApiTest {

    static final String PLAN = """
            plan('billing') {
                step('create invoices') {
                    sql 'CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric NOT NULL)'
                    verify { table('invoices') { columns 2; primaryKey 'id' } }
                }
            }
            """;

    @Test
    void thePlanCreatesItsTableAndJournalsTheStep() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres";

            MigResult result = Mig.planFromString("billing.groovy", PLAN).runner().run(url);

            assertTrue(result.succeeded(), result.failureSummary());
            try (Connection c = postgres.getPostgresDatabase().getConnection();
                 Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT to_regclass('public.invoices') IS NOT NULL")) {
                    rs.next();
                    assertTrue(rs.getBoolean(1), "the plan's table invoices exists");
                }
                try (ResultSet rs = st.executeQuery("SELECT plan, step, status FROM mig.steps")) {
                    assertTrue(rs.next(), "the journal has a row");
                    assertEquals("billing / create invoices / applied",
                            rs.getString(1) + " / " + rs.getString(2) + " / " + rs.getString(3));
                    assertTrue(!rs.next(), "the journal has one row");
                }
            }
        }
    }
}
