package dev.mig.rehearse;

import dev.mig.catalog.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Recreates the target cluster's roles in the shadow, without passwords, so that a plan that
 * grants to {@code app_user} or sets a role rehearses as it will run. Roles belong to the
 * cluster, not to the database pg_dump copies, so the schema dump has none of them.
 *
 * <p>The roles are read from {@code pg_roles} and {@code pg_auth_members} on the read-only
 * target connection rather than taken from {@code pg_dumpall --roles-only}: any user can read
 * those views (pg_dumpall without {@code --no-role-passwords} needs a superuser), no second
 * binary of the right version is needed, and roles that already exist in the shadow (its own
 * superuser) are skipped instead of failing a script. {@code pg_roles} never shows a password,
 * so none can be copied.
 */
final class RoleCopy {

    /** What was done: the roles created, and the ones (or memberships) the shadow refused. */
    record Result(List<String> created, List<String> refused) {
    }

    private RoleCopy() {
    }

    static Result copy(Connection target, Connection shadow) throws SQLException {
        List<String> existing = names(shadow, "SELECT rolname FROM pg_roles");
        List<String> created = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        boolean autoCommit = shadow.getAutoCommit();
        // each role on its own: one the shadow refuses (no CREATEROLE on a --shadow URL) must not undo the others
        shadow.setAutoCommit(true);
        try (Statement read = target.createStatement();
             ResultSet rs = read.executeQuery("SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin,"
                     + " rolreplication, rolbypassrls, rolconnlimit FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY rolname")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (existing.contains(name)) {
                    continue;
                }
                String sql = "CREATE ROLE " + Identifiers.quote(name) + " WITH"
                        + flag(rs.getBoolean(2), "SUPERUSER") + flag(rs.getBoolean(3), "INHERIT")
                        + flag(rs.getBoolean(4), "CREATEROLE") + flag(rs.getBoolean(5), "CREATEDB")
                        + flag(rs.getBoolean(6), "LOGIN") + flag(rs.getBoolean(7), "REPLICATION")
                        + flag(rs.getBoolean(8), "BYPASSRLS") + " CONNECTION LIMIT " + rs.getInt(9);
                if (execute(shadow, sql, "role " + name, refused)) {
                    created.add(name);
                    existing.add(name);
                }
            }
        }
        try (Statement read = target.createStatement();
             ResultSet rs = read.executeQuery("SELECT r.rolname, m.rolname, a.admin_option FROM pg_auth_members a"
                     + " JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member"
                     + " WHERE m.rolname !~ '^pg_' ORDER BY 1, 2")) {
            while (rs.next()) {
                String role = rs.getString(1);
                String member = rs.getString(2);
                // a membership in a role the shadow lacks (a predefined role of a newer server) is left out, and said so
                if (!existing.contains(role) || !existing.contains(member)) {
                    refused.add("membership of " + member + " in " + role + ": the shadow has no role "
                            + (existing.contains(role) ? member : role));
                    continue;
                }
                if (isMember(shadow, member, role)) {
                    continue;
                }
                execute(shadow, "GRANT " + Identifiers.quote(role) + " TO " + Identifiers.quote(member)
                        + (rs.getBoolean(3) ? " WITH ADMIN OPTION" : ""), "membership of " + member + " in " + role, refused);
            }
        } finally {
            shadow.setAutoCommit(autoCommit);
        }
        return new Result(created, refused);
    }

    private static String flag(boolean on, String name) {
        return on ? " " + name : " NO" + name;
    }

    private static boolean execute(Connection shadow, String sql, String what, List<String> refused) {
        try (Statement st = shadow.createStatement()) {
            st.execute(sql);
            return true;
        } catch (SQLException e) {
            refused.add(what + ": " + ShadowCopy.oneLine(e.getMessage()));
            return false;
        }
    }

    private static boolean isMember(Connection shadow, String member, String role) throws SQLException {
        try (PreparedStatement ps = shadow.prepareStatement("SELECT EXISTS (SELECT FROM pg_auth_members a"
                + " JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member WHERE r.rolname = ? AND m.rolname = ?)")) {
            ps.setString(1, role);
            ps.setString(2, member);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static List<String> names(Connection connection, String query) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
