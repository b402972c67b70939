package dev.mig.diagnose;

import java.util.HashMap;
import java.util.Map;

/**
 * Which extension provides a well-known type, function, operator class or index access method.
 * PostgreSQL cannot say this for an extension that is not installed ({@code pg_available_extensions}
 * lists extensions, not what they contain), so mig keeps a table of the common ones; the hint then
 * checks the extension against the server.
 */
final class KnownExtensions {

    private static final Map<String, String> TYPES = new HashMap<>();
    private static final Map<String, String> FUNCTIONS = new HashMap<>();
    private static final Map<String, String> OPERATOR_CLASSES = new HashMap<>();
    private static final Map<String, String> ACCESS_METHODS = new HashMap<>();

    static {
        put(TYPES, "vector", "vector", "halfvec", "sparsevec");
        put(TYPES, "citext", "citext");
        put(TYPES, "hstore", "hstore");
        put(TYPES, "ltree", "ltree", "lquery", "ltxtquery");
        put(TYPES, "cube", "cube");
        put(TYPES, "earthdistance", "earth");
        put(TYPES, "seg", "seg");
        put(TYPES, "isn", "isbn", "isbn13", "ismn", "ismn13", "issn", "issn13", "ean13", "upc");
        put(TYPES, "postgis", "geometry", "geography", "box2d", "box3d");
        put(TYPES, "postgis_raster", "raster");
        put(TYPES, "lo", "lo");

        put(FUNCTIONS, "uuid-ossp", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v3", "uuid_generate_v4",
                "uuid_generate_v5", "uuid_nil", "uuid_ns_dns", "uuid_ns_url", "uuid_ns_oid", "uuid_ns_x500");
        put(FUNCTIONS, "pg_trgm", "similarity", "word_similarity", "strict_word_similarity", "show_trgm", "show_limit",
                "set_limit");
        put(FUNCTIONS, "pgcrypto", "crypt", "gen_salt", "digest", "hmac", "pgp_sym_encrypt", "pgp_sym_decrypt",
                "pgp_pub_encrypt", "pgp_pub_decrypt", "gen_random_bytes", "armor", "dearmor");
        put(FUNCTIONS, "fuzzystrmatch", "levenshtein", "levenshtein_less_equal", "soundex", "difference", "metaphone",
                "dmetaphone", "dmetaphone_alt", "daitch_mokotoff");
        put(FUNCTIONS, "unaccent", "unaccent");
        put(FUNCTIONS, "earthdistance", "earth_distance", "ll_to_earth", "earth_box", "latitude", "longitude");
        put(FUNCTIONS, "tablefunc", "crosstab", "normal_rand", "connectby");
        put(FUNCTIONS, "dblink", "dblink", "dblink_exec", "dblink_connect", "dblink_disconnect");
        put(FUNCTIONS, "hstore", "hstore", "akeys", "avals", "skeys", "svals", "hstore_to_json", "hstore_to_jsonb");
        put(FUNCTIONS, "ltree", "nlevel", "subltree", "subpath", "lca", "text2ltree", "ltree2text");
        put(FUNCTIONS, "cube", "cube", "cube_distance", "cube_dim");
        put(FUNCTIONS, "vector", "l2_distance", "cosine_distance", "inner_product", "l1_distance", "vector_dims",
                "vector_norm", "l2_normalize", "subvector", "binary_quantize");
        put(FUNCTIONS, "pg_stat_statements", "pg_stat_statements", "pg_stat_statements_reset");

        put(OPERATOR_CLASSES, "pg_trgm", "gin_trgm_ops", "gist_trgm_ops");
        put(OPERATOR_CLASSES, "vector", "vector_l2_ops", "vector_ip_ops", "vector_cosine_ops", "vector_l1_ops",
                "halfvec_l2_ops", "halfvec_ip_ops", "halfvec_cosine_ops", "halfvec_l1_ops", "sparsevec_l2_ops",
                "sparsevec_ip_ops", "sparsevec_cosine_ops", "sparsevec_l1_ops", "bit_hamming_ops", "bit_jaccard_ops");
        put(OPERATOR_CLASSES, "ltree", "gist_ltree_ops", "gist__ltree_ops");
        put(OPERATOR_CLASSES, "hstore", "gist_hstore_ops", "gin_hstore_ops");
        put(OPERATOR_CLASSES, "intarray", "gin__int_ops", "gist__int_ops", "gist__intbig_ops");

        put(ACCESS_METHODS, "vector", "hnsw", "ivfflat");
        put(ACCESS_METHODS, "bloom", "bloom");
        put(ACCESS_METHODS, "rum", "rum");
    }

    private KnownExtensions() {
    }

    private static void put(Map<String, String> map, String extension, String... names) {
        for (String name : names) {
            map.put(name, extension);
        }
    }

    static String forType(String type) {
        return TYPES.get(type);
    }

    /** PostGIS names its functions {@code st_*}; the rest come from the table. */
    static String forFunction(String function) {
        if (function.startsWith("st_") && function.length() > 3) {
            return "postgis";
        }
        return FUNCTIONS.get(function);
    }

    static String forOperatorClass(String opclass) {
        return OPERATOR_CLASSES.get(opclass);
    }

    static String forAccessMethod(String method) {
        return ACCESS_METHODS.get(method);
    }

    /** How people know it, where that differs from the extension's name. */
    static String display(String extension) {
        return switch (extension) {
            case "vector" -> "vector (pgvector)";
            case "postgis_raster" -> "postgis_raster (PostGIS)";
            default -> extension;
        };
    }
}
