package dev.mig.imports;

import java.math.BigInteger;
import java.util.List;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

/**
 * The version of an imported step as its tool's history table records it, in one normal form
 * ({@code 2.1}, {@code 20240101120000}): steps are named after whole file names, and this is the
 * one place that turns such a name back into the version the other tool wrote. Null for a step
 * with no version (a Flyway repeatable) or a format whose tool keeps none.
 */
public final class MigrationVersions {

    private MigrationVersions() {
    }

    public static String of(ImportFormat format, String stepName) {
        return switch (format) {
            case FLYWAY -> {
                Matcher m = MigrationFolder.FLYWAY_VERSIONED.matcher(stepName);
                yield m.matches() && m.group(1).equalsIgnoreCase("V") ? normal(m.group(2)) : null;
            }
            case GOLANG_MIGRATE -> {
                Matcher m = MigrationFolder.GOLANG.matcher(stepName);
                yield m.matches() ? new BigInteger(m.group(1)).toString() : null;
            }
            case DBMATE -> {
                Matcher m = MigrationFolder.DBMATE.matcher(stepName);
                yield m.matches() ? new BigInteger(m.group(1)).toString() : null;
            }
            case GOOSE -> {
                Matcher m = GooseFiles.NAME.matcher(stepName);
                yield m.matches() ? new BigInteger(m.group(1)).toString() : null;
            }
            case PRISMA -> stepName;    // _prisma_migrations keys a migration by its folder's name, the step's name
            default -> null;
        };
    }

    /** A dotted version as Flyway compares it: {@code 1_1}, {@code 1.1} and {@code 1.1.0} are one version. */
    public static String normal(String version) {
        List<BigInteger> parts = MigrationFolder.version(version.trim());
        return parts.stream().map(BigInteger::toString).collect(Collectors.joining("."));
    }

    /** Orders two normal versions part by part. */
    public static int compare(String a, String b) {
        return MigrationFolder.compareVersions(MigrationFolder.version(a), MigrationFolder.version(b));
    }
}
