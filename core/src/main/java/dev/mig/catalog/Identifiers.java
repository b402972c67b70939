package dev.mig.catalog;

/**
 * The one place where an identifier becomes SQL text. Everything mig puts into a statement by
 * name goes through {@link #quote}, so a name like {@code x"; DROP TABLE users; --} stays a name.
 */
public final class Identifiers {

    private Identifiers() {
    }

    /**
     * Quotes like PostgreSQL's {@code quote_ident}, except that it always quotes: quoting a name
     * that did not need it is harmless, and deciding when it is needed means knowing every
     * keyword of every server version.
     */
    public static String quote(String ident) {
        if (ident == null) {
            throw new IllegalArgumentException("identifier is null");
        }
        if (ident.indexOf('\0') >= 0) {
            // PostgreSQL cannot store NUL in a name; rejecting it here beats a confusing server error
            throw new IllegalArgumentException("identifier contains a NUL character");
        }
        return '"' + ident.replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."name"}, or just {@code "name"} when schema is null. */
    public static String qualified(String schema, String name) {
        return schema == null ? quote(name) : quote(schema) + "." + quote(name);
    }
}
