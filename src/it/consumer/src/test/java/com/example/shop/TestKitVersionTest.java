package com.example.shop;

import dev.mig.testkit.MigTestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The test kit in a consumer's build runs the PostgreSQL major version the README names. */
class TestKitVersionTest {

    @Test
    void theEmbeddedDatabaseIsPostgreSql17() throws Exception {
        try (MigTestDatabase db = MigTestDatabase.embedded();
             Connection c = db.connect();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int, version()")) {
            rs.next();
            assertEquals(17, rs.getInt(1) / 10000, "the test kit runs " + rs.getString(2));
        }
    }
}
