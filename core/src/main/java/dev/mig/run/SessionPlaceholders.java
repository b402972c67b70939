package dev.mig.run;

import dev.mig.model.PlaceholderResolution;
import dev.mig.model.Plan;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The built-in placeholders only the database knows, read once a run has its connection:
 * {@code ${mig:user}} (current_user), {@code ${mig:database}} (current_database()) and
 * {@code ${mig:schema}} (current_schema(), the first schema of the search_path that exists).
 * A plan whose SQL holds no {@code ${} asks nothing.
 */
public final class SessionPlaceholders {

    private SessionPlaceholders() {
    }

    public static Plan apply(Plan plan, Connection connection) throws SQLException {
        if (!PlaceholderResolution.mentionsAny(plan)) {
            return plan;
        }
        // what resolve() did before connecting (a no-op for a plan already resolved): the API's plans too
        Plan resolved = PlaceholderResolution.resolve(plan);
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_user, current_database(), current_schema()")) {
            rs.next();
            return PlaceholderResolution.session(resolved, rs.getString(1), rs.getString(2), rs.getString(3));
        }
    }
}
