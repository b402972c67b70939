package dev.mig.sql;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The type and function names of MySQL, SQL Server and Oracle that PostgreSQL does not have, with
 * what it writes instead. Unlike the syntax of {@link DialectScan}, a database can define any of
 * these itself ({@code CREATE DOMAIN datetime AS timestamp}), so they are never a plan error.
 */
final class DialectNames {

    private record Entry(String whose, String instead) {
    }

    private static final Map<String, Entry> TYPES = new HashMap<>();
    private static final Map<String, Entry> FUNCTIONS = new HashMap<>();

    static {
        type("datetime", "a MySQL and SQL Server type", "timestamp (or timestamptz, which keeps the time zone)");
        type("datetime2", "a SQL Server type", "timestamp");
        type("smalldatetime", "a SQL Server type", "timestamp(0)");
        type("datetimeoffset", "a SQL Server type", "timestamptz");
        type("tinyint", "a MySQL and SQL Server type", "smallint (boolean for MySQL's tinyint(1))");
        type("mediumint", "a MySQL type", "integer");
        type("tinytext", "a MySQL type", "text");
        type("mediumtext", "a MySQL type", "text");
        type("longtext", "a MySQL type", "text");
        type("tinyblob", "a MySQL type", "bytea");
        type("blob", "a MySQL type", "bytea");
        type("mediumblob", "a MySQL type", "bytea");
        type("longblob", "a MySQL type", "bytea");
        type("nvarchar", "a SQL Server type", "varchar(n), or text for nvarchar(max) (a UTF8 database stores all text as Unicode)");
        type("ntext", "a SQL Server type", "text");
        type("varbinary", "a MySQL and SQL Server type", "bytea");
        type("uniqueidentifier", "a SQL Server type", "uuid");
        type("double", "MySQL's spelling", "double precision");
        type("enum", "MySQL's inline ENUM", "CREATE TYPE name AS ENUM ('a', 'b') in an earlier statement, and that type for the column");

        function("getdate", "a SQL Server function", "now() (or CURRENT_TIMESTAMP)");
        function("getutcdate", "a SQL Server function", "now() AT TIME ZONE 'UTC'");
        function("sysdatetime", "a SQL Server function", "now() (the transaction's start) or clock_timestamp()");
        function("curdate", "a MySQL function", "CURRENT_DATE");
        function("curtime", "a MySQL function", "LOCALTIME");
        function("ifnull", "a MySQL function", "coalesce(a, b)");
        function("isnull", "a SQL Server function", "coalesce(a, b)");
        function("nvl", "an Oracle function", "coalesce(a, b)");
        function("len", "a SQL Server function", "length(s)");
        function("newid", "a SQL Server function", "gen_random_uuid() (PostgreSQL 13 and later)");
        function("last_insert_id", "a MySQL function", "INSERT ... RETURNING id, or lastval()");
    }

    private DialectNames() {
    }

    private static void type(String name, String whose, String instead) {
        TYPES.put(name, new Entry(whose, instead));
    }

    private static void function(String name, String whose, String instead) {
        FUNCTIONS.put(name, new Entry(whose, instead));
    }

    static boolean isType(String name) {
        return TYPES.containsKey(name.toLowerCase(Locale.ROOT));
    }

    static boolean isFunction(String name) {
        return FUNCTIONS.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** The use of type {@code name}, written as {@code written}; null when it is not one of these. */
    static OtherDialects.Use type(String name, String written, int offset) {
        Entry e = TYPES.get(name.toLowerCase(Locale.ROOT));
        return e == null ? null : new OtherDialects.Use(offset, written,
                e.whose + ": PostgreSQL has no such type (unless this database defines one)", "write " + e.instead,
                OtherDialects.Use.Kind.TYPE, name.toLowerCase(Locale.ROOT));
    }

    static OtherDialects.Use function(String name, String written, int offset) {
        Entry e = FUNCTIONS.get(name.toLowerCase(Locale.ROOT));
        return e == null ? null : new OtherDialects.Use(offset, written,
                e.whose + ": PostgreSQL has no such function (unless this database defines one)", "write " + e.instead,
                OtherDialects.Use.Kind.FUNCTION, name.toLowerCase(Locale.ROOT));
    }
}
