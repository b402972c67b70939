import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import org.flywaydb.core.Flyway;

/**
 * Real Flyway and real Liquibase for scripts/bench-run.sh, each through its Java API with its defaults
 * (the build has no command line of either), one tool per JVM:
 *
 *   BenchTool flyway    JDBC_URL USER FOLDER            Flyway.configure()...migrate() of FOLDER's V*.sql
 *   BenchTool liquibase JDBC_URL USER BASE CHANGELOG    liquibase update of CHANGELOG (relative to BASE)
 *
 * Compiled by the script with javac against the tools' classpath (scripts/lib/bench-tools/pom.xml).
 * Liquibase's anonymous usage analytics are off (an offline machine would wait on them); its log and
 * its console lines stay as they are.
 */
public class BenchTool {

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("flyway")) {
            var result = Flyway.configure().dataSource(args[1], args[2], null)
                    .locations("filesystem:" + args[3]).load().migrate();
            System.out.println("flyway ran " + result.migrationsExecuted + " migrations");
        } else if (args.length == 5 && args[0].equals("liquibase")) {
            System.setProperty("liquibase.analytics.enabled", "false");
            Connection connection = DriverManager.getConnection(args[1], args[2], null);
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            try (Liquibase liquibase = new Liquibase(args[4], new DirectoryResourceAccessor(new File(args[3])), database)) {
                liquibase.update(new Contexts(), new LabelExpression());
            }
            System.out.println("liquibase update done");
        } else {
            System.err.println("usage: BenchTool flyway JDBC_URL USER FOLDER | liquibase JDBC_URL USER BASE CHANGELOG");
            System.exit(2);
        }
    }
}
