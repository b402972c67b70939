package dev.mig.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The testkit from JUnit 5 (README, "Testing your plans"). */
class MigTestDatabaseTest {

    private MigTestDatabase db;

    @BeforeEach
    void freshDatabase() {
        db = MigTestDatabase.embedded();
    }

    @AfterEach
    void dropIt() {
        db.close();
    }

    @Test
    void thePlanMakesTheUsersTable() {
        db.migrate("src/test/resources/testkit/users.groovy");
        db.assertVerify("table('users') { columns 3; primaryKey 'id'; column('email') { notNull true } }\n"
                + "index('users_email_key') { unique true }");
    }

    @Test
    void aFailedExpectationSaysExpectedAndFound() {
        db.migrate("src/test/resources/testkit/users.groovy");
        AssertionError e = assertThrows(AssertionError.class, () -> db.assertVerify("table('users') { columns 4 }"));
        assertTrue(e.getMessage().contains("expected 4 columns, found 3"), e.getMessage());
    }
}
