package dev.mig.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Where an unqualified name is looked for: the schemas of the search path in order ({@code $user}
 * read from the server once per reading of the catalog), and which of several candidates wins.
 */
final class SchemaOrder {

    private final List<String> searchPath;
    private final CatalogQueries queries;
    private String currentUser;

    SchemaOrder(List<String> searchPath, CatalogQueries queries) {
        this.searchPath = searchPath;
        this.queries = queries;
    }

    /** As {@link Catalog#parseSearchPath}. */
    static List<String> parse(String setting) {
        if (setting == null || setting.isBlank()) {
            return List.of("public");
        }
        List<String> schemas = new ArrayList<>();
        // a comma inside a quoted name ('"a,b", public') is part of the name
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i <= setting.length(); i++) {
            if (i == setting.length() || (setting.charAt(i) == ',' && !quoted)) {
                schemas.add(QualifiedName.parseIdentifier(setting.substring(start, i)));
                start = i + 1;
            } else if (setting.charAt(i) == '"') {
                quoted = !quoted;
            }
        }
        return schemas;
    }

    List<String> searchPath() {
        return searchPath;
    }

    void refresh() {
        currentUser = null;
    }

    /** The schemas to look in, in the order that decides: the named one, else the search path. */
    String[] schemasFor(QualifiedName name, boolean withPgCatalog) {
        if (name.schema() != null) {
            return new String[]{name.schema()};
        }
        List<String> schemas = new ArrayList<>();
        for (String s : searchPath) {
            schemas.add("$user".equals(s) ? currentUser() : s);
        }
        if (withPgCatalog && !schemas.contains("pg_catalog")) {
            schemas.add("pg_catalog");
        }
        return schemas.toArray(String[]::new);
    }

    private String currentUser() {
        if (currentUser == null) {
            currentUser = (String) queries.value("SELECT current_user::text");
        }
        return currentUser;
    }

    /**
     * The candidate in the earliest schema of {@code schemas} that holds one, or null. Candidates
     * come in load order, so ties within a schema go to the first loaded (oid order).
     */
    static <T> T earliest(List<T> candidates, String[] schemas, Function<T, String> schemaOf) {
        T best = null;
        int bestRank = Integer.MAX_VALUE;
        for (T candidate : candidates) {
            int rank = rank(schemas, schemaOf.apply(candidate));
            if (rank < bestRank) {
                best = candidate;
                bestRank = rank;
            }
        }
        return best;
    }

    static int rank(String[] schemas, String schema) {
        for (int i = 0; i < schemas.length; i++) {
            if (schemas[i].equals(schema)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }
}
