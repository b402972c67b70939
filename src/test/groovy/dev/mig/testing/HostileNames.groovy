package dev.mig.testing

import java.nio.charset.StandardCharsets

/**
 * Names that break SQL built by concatenation: hand-picked ones, each a way quoting goes wrong,
 * and generated ones from a seeded Random over an alphabet of the same dangers. Every name here
 * is a legal PostgreSQL identifier once quoted. The quoting in this class is written out on its
 * own, so that tests of {@code Identifiers} do not take its word for what a quoted name is.
 */
final class HostileNames {

    /** PostgreSQL's NAMEDATALEN - 1. */
    static final int MAX_BYTES = 63

    static final List<String> FIXED = [
            'x"; DROP TABLE users; --',
            "x'; DROP TABLE users; --",
            '"', '""', "'", "''", 'a"b', "it's",
            'semi;colon', '-- line comment', '/* block comment */', '*/', '/*',
            'MixedCase', 'USERS', 'Users', 'public.users', 'users"', '"users"', 'a.b', '.',
            'select', 'table', 'user', 'default',
            '1leading_digit', '123',
            'with space', ' padded ', ' ',
            'back\\slash', '\\', '\\"', "\\'",
            '$1', '$$', '$$dollar$$', '$tag$ x $tag$', '${injected}',
            '?', '{fn now()}', '%I %s %L', ':name', '(', ')', ',', '\tTab',
            'é', 'Größe', '日本', 'emoji 🐘🚀',
            'é' * 31 + 'a',        // 63 bytes of two-byte characters
            '日' * 21,              // 63 bytes of three-byte characters
            '🐘' * 15 + 'abc',      // 63 bytes with four-byte characters
            'n' * 63,
            'L' * 70,              // longer than 63 bytes: the server keeps 63
            '本' * 25,              // 75 bytes: the server keeps 21 characters
    ].asImmutable()

    /** What generated names are built from. */
    static final List<String> ATOMS = [
            '"', '""', "'", ';', '--', '/*', '*/', ' ', '\\', '$', '$$', '$1', '.', ',', '(', ')', '?', '{', '}',
            '%', ':', '=', '`', '\t', 'é', 'ß', '日', '本', '🐘', 'A', 'Z', 'a', 'z', '0', '9', '_',
            'DROP TABLE users', 'users', 'public.', ' OR 1=1',
    ].asImmutable()

    private HostileNames() {}

    /**
     * {@code count} distinct names of at most 63 bytes, none of them one of {@link #FIXED} or
     * {@code users}; about one in five is padded to exactly 63 bytes.
     */
    static List<String> generate(long seed, int count) {
        Random random = new Random(seed)
        Set<String> names = new LinkedHashSet<>()
        while (names.size() < count) {
            StringBuilder name = new StringBuilder()
            int atoms = 1 + random.nextInt(8)
            for (int i = 0; i < atoms; i++) {
                name.append(ATOMS[random.nextInt(ATOMS.size())])
            }
            if (random.nextInt(5) == 0) {
                while (bytes(name.toString()) < MAX_BYTES) {
                    name.append(bytes(name.toString()) <= MAX_BYTES - 3 && random.nextBoolean() ? '日' : 'x')
                }
            }
            String text = name.toString()
            if (bytes(text) <= MAX_BYTES && !(text in FIXED) && text != 'users') {
                names.add(text)
            }
        }
        names.toList()
    }

    static int bytes(String s) {
        s.getBytes(StandardCharsets.UTF_8).length
    }

    /** The name as PostgreSQL stores it: cut to 63 bytes on a character boundary. */
    static String stored(String name) {
        StringBuilder out = new StringBuilder()
        int used = 0
        for (int cp : name.codePoints().toArray()) {
            String ch = new String(Character.toChars(cp))
            if (used + bytes(ch) > MAX_BYTES) {
                break
            }
            out.append(ch)
            used += bytes(ch)
        }
        out.toString()
    }

    /** SQL for the identifier: double quotes, embedded ones doubled. */
    static String sql(String name) {
        '"' + name.replace('"', '""') + '"'
    }

    static String sql(String schema, String name) {
        sql(schema) + '.' + sql(name)
    }

    /** A SQL string literal. */
    static String literal(String text) {
        "'" + text.replace("'", "''") + "'"
    }

    /** The name as a plan writes it for the DSL: quoted as in SQL, so it is kept exactly. */
    static String dsl(String schema, String name) {
        schema == null ? sql(name) : sql(schema, name)
    }

    /** A Groovy single-quoted string literal holding {@code text}, for writing plan files. */
    static String groovy(String text) {
        "'" + text.replace('\\', '\\\\').replace("'", "\\'") + "'"
    }
}
