package dev.mig.imports;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The folder layouts {@code mig import} reads, by the names the command line takes. */
public enum ImportFormat {
    FLYWAY("flyway"),
    GOLANG_MIGRATE("golang-migrate"),
    DBMATE("dbmate"),
    GOOSE("goose"),
    PRISMA("prisma"),
    POPX("popx"),
    SQLX("sqlx"),
    SQITCH("sqitch"),
    LIQUIBASE("liquibase"),
    PLAIN("plain"),
    AUTO("auto");

    private final String cliName;

    ImportFormat(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** The format named {@code name} on the command line; null when there is none. */
    public static ImportFormat named(String name) {
        for (ImportFormat f : values()) {
            if (f.cliName.equalsIgnoreCase(name)) {
                return f;
            }
        }
        return null;
    }

    public static String names() {
        return Arrays.stream(values()).map(ImportFormat::cliName).collect(Collectors.joining(", "));
    }
}
