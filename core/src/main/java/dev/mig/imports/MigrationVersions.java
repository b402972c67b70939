package dev.mig.imports;

import java.math.BigInteger;
import java.util.ArrayList;
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
                Matcher code = CodeMigrations.FLYWAY.matcher(stepName);        // a Java/Kotlin migration: V2_5__X.java is 2.5
                yield m.matches() && m.group(1).equalsIgnoreCase("V") ? normal(m.group(2))
                        : code.matches() && code.group(1) != null ? normal(code.group(1)) : null;
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
            case LIQUIBASE, SQITCH -> stepName;     // author:id, and the change (change@tag for a reworked one's earlier version)
            default -> null;
        };
    }

    /** A dotted version as Flyway compares it: {@code 1_1}, {@code 1.1} and {@code 1.1.0} are one version. */
    public static String normal(String version) {
        List<BigInteger> parts = version(version.trim());
        return parts.stream().map(BigInteger::toString).collect(Collectors.joining("."));
    }

    /** Orders two normal versions part by part. */
    public static int compare(String a, String b) {
        return compareVersions(version(a), version(b));
    }

    /** A dotted or underscored version as its parts ({@code 2.1} and {@code 2_1} alike), trailing zero parts dropped. */
    static List<BigInteger> version(String text) {
        List<BigInteger> parts = new ArrayList<>();
        for (String part : text.split("[._]")) {
            parts.add(new BigInteger(part));
        }
        // Flyway reads 1.0 and 1 as the same version
        while (parts.size() > 1 && parts.get(parts.size() - 1).signum() == 0) {
            parts.remove(parts.size() - 1);
        }
        return parts;
    }

    /** Part by part, a missing part counting as zero. */
    static int compareVersions(List<BigInteger> a, List<BigInteger> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            BigInteger x = i < a.size() ? a.get(i) : BigInteger.ZERO;
            BigInteger y = i < b.size() ? b.get(i) : BigInteger.ZERO;
            int c = x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Names compared with runs of digits as numbers ({@code 2_x} before {@code 10_x}), then as written, so only equal names tie. */
    static int compareNatural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int ei = i;
                while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
                    ei++;
                }
                int ej = j;
                while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
                    ej++;
                }
                int c = new BigInteger(a.substring(i, ei)).compareTo(new BigInteger(b.substring(j, ej)));
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                int c = Character.compare(Character.toLowerCase(x), Character.toLowerCase(y));
                if (c != 0) {
                    return c;
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }
}
