package dev.mig.config;

import dev.mig.text.DidYouMean;
import dev.mig.text.PgDuration;
import groovy.lang.Closure;
import groovy.lang.GroovyObjectSupport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The delegates of {@code mig.groovy} (see {@code dev.mig.dsl.ConfigScript}): Java, so that {@link ConfigFile} can use them. */
public final class ConfigDsl {

    public static final String BINDING_NAME = "migConfig";
    /** The binding of the {@code fleets { }} collector. */
    public static final String FLEETS_BINDING_NAME = "migFleets";

    private ConfigDsl() {
    }

    /** What {@code env('NAME')} returns: the value, and the knowledge that it came from the environment. */
    public static final class EnvValue {
        final String name;
        final String value;

        EnvValue(String name, String value) {
            this.name = name;
            this.value = value;
        }

        @Override
        public String toString() {
            return value;
        }
    }

    /** A mistake in the config file; the loader adds the file and line. */
    public static final class ConfigError extends RuntimeException {
        final String hint;

        ConfigError(String message, String hint) {
            super(message);
            this.hint = hint;
        }
    }

    /** The delegate of {@code environments { }}: each {@code NAME { }} block is kept, not run. */
    public static final class Collector extends GroovyObjectSupport {
        final Map<String, Closure<?>> blocks = new LinkedHashMap<>();
        private final Map<String, String> variables;
        /** "environment" or "fleet": what a block names, in messages. */
        private final String kind;

        Collector(Map<String, String> variables) {
            this(variables, "environment");
        }

        Collector(Map<String, String> variables, String kind) {
            this.variables = variables == null ? Map.of() : variables;
            this.kind = kind;
        }

        public Object env(String name) {
            String value = variables.get(name);
            if (value == null || value.isEmpty()) {
                throw new ConfigError("environment variable " + name + " is not set",
                        "set " + name + ", or give the target with --url");
            }
            return new EnvValue(name, value);
        }

        public Object methodMissing(String name, Object args) {
            Object[] a = (Object[]) args;
            if (a.length != 1 || !(a[0] instanceof Closure)) {
                throw new ConfigError(kind + " '" + name + "' needs a block: " + name
                        + (kind.equals("fleet") ? " { urls '...', '...' }" : " { url '...' }"), null);
            }
            if (blocks.containsKey(name)) {
                throw new ConfigError(kind + " '" + name + "' is defined twice", "give each " + kind + " one block");
            }
            blocks.put(name, (Closure<?>) a[0]);
            return null;
        }
    }

    /** The delegate of one environment's block: the settings it may give. */
    public static final class Settings extends GroovyObjectSupport {
        static final List<String> WORDS = List.of("url", "journalSchema", "lockTimeout", "lockRetryFor", "statementTimeout",
                "placeholders");
        private final Collector collector;
        final Map<String, Object> values = new LinkedHashMap<>();
        final Map<String, StackTraceElement[]> setAt = new LinkedHashMap<>();
        final Map<String, String> placeholders = new LinkedHashMap<>();

        Settings(Collector collector) {
            this.collector = collector;
        }

        public Object env(String name) {
            return collector.env(name);
        }

        public void url(Object value) {
            set("url", value);
        }

        public void journalSchema(Object value) {
            set("journalSchema", value);
        }

        /** Replaces the plan's default lockTimeout for runs in this environment (steps that set their own keep it). */
        public void lockTimeout(Object value) {
            set("lockTimeout", duration(value, "lockTimeout"));
        }

        /** Replaces the plan's budget of mig's lock-retry schedule for runs in this environment (steps that set their own keep it). */
        public void lockRetryFor(Object value) {
            set("lockRetryFor", duration(value, "lockRetryFor"));
        }

        /** Replaces the plan's default statementTimeout for runs in this environment. */
        public void statementTimeout(Object value) {
            set("statementTimeout", duration(value, "statementTimeout"));
        }

        /** {@code placeholders region: 'eu', bucket: env('BUCKET')}: values of the plan's placeholders in this environment. */
        public void placeholders(Map<String, Object> values) {
            values.forEach((name, value) -> {
                if (value == null) {
                    throw new ConfigError("placeholder '" + name + "' needs a value", "placeholders " + name + ": 'text'");
                }
                placeholders.put(name, value.toString());
            });
        }

        /** As plans write durations ({@link PgDuration}). */
        private static String duration(Object value, String word) {
            try {
                return PgDuration.parse(value, PgDuration.Bare.MILLISECONDS).setting();
            } catch (PgDuration.Invalid e) {
                throw new ConfigError(e.getMessage() + " for " + word, e.hint());
            }
        }

        private void set(String word, Object value) {
            if (value == null) {
                throw new ConfigError(word + " needs a value", null);
            }
            values.put(word, value);
            setAt.put(word, new Throwable().getStackTrace());
        }

        public Object methodMissing(String name, Object args) {
            String hint = DidYouMean.suggest(name, WORDS).map(s -> "did you mean '" + s + "'?")
                    .orElse("an environment may give: " + String.join(", ", WORDS)
                           );
            throw new ConfigError("unknown setting '" + name + "' in an environment", hint);
        }

        public Object propertyMissing(String name) {
            throw new ConfigError("unknown name '" + name + "'", "quote text: url 'postgres://...', or read a variable: env('NAME')");
        }
    }

    /**
     * The delegate of one fleet's block ({@code fleets { customers { ... } }}): its tenants as
     * {@code urls '...', '...'}, {@code file 'tenants.txt'}, {@code query url: ..., sql: '...'} and
     * {@code schemas 'tenant_*', url: ...}; each may repeat.
     */
    public static final class FleetSettings extends GroovyObjectSupport {
        static final List<String> WORDS = List.of("urls", "file", "query", "schemas");
        private final Collector collector;
        final List<Object> urls = new java.util.ArrayList<>();
        final List<StackTraceElement[]> urlsAt = new java.util.ArrayList<>();
        final List<Object> files = new java.util.ArrayList<>();
        final List<Map<String, Object>> queries = new java.util.ArrayList<>();
        final List<Map<String, Object>> schemas = new java.util.ArrayList<>();

        FleetSettings(Collector collector) {
            this.collector = collector;
        }

        public Object env(String name) {
            return collector.env(name);
        }

        /** {@code urls 'postgres://db1/a', 'postgres://db1/b'} (or a list): one tenant each. */
        public void urls(Object... values) {
            for (Object value : values) {
                if (value instanceof Iterable<?> list) {
                    list.forEach(this::urls);
                } else if (value == null) {
                    throw new ConfigError("urls needs text: urls 'postgres://host/db1', 'postgres://host/db2'", null);
                } else {
                    urls.add(value);
                    urlsAt.add(new Throwable().getStackTrace());
                }
            }
        }

        /** {@code file 'tenants.txt'}: a file of tenants, relative to the config file's folder. */
        public void file(Object path) {
            if (path == null) {
                throw new ConfigError("file needs a path: file 'tenants.txt'", null);
            }
            files.add(path);
        }

        /** {@code query url: env('REGISTRY_URL'), sql: 'select id, url, wave from tenants'}. */
        public void query(Map<String, Object> args) {
            for (String key : args.keySet()) {
                if (!key.equals("url") && !key.equals("sql")) {
                    throw new ConfigError("query takes url: and sql:, not " + key + ":",
                            "query url: env('REGISTRY_URL'), sql: 'select id, url, wave from tenants'");
                }
            }
            if (args.get("url") == null || args.get("sql") == null) {
                throw new ConfigError("query needs both url: and sql:",
                        "query url: env('REGISTRY_URL'), sql: 'select id, url, wave from tenants'");
            }
            queries.add(new LinkedHashMap<>(args));
        }

        /** {@code schemas 'tenant_*'} without {@code url:}: which database's schemas is not said. */
        public void schemas(Object... globs) {
            throw new ConfigError("schemas needs the url: of the database that holds them", "schemas 'tenant_*', url: env('APP_URL')");
        }

        /** {@code schemas 'tenant_*', url: env('APP_URL')}: a tenant per schema of that database whose name matches a glob. */
        public void schemas(Map<String, Object> args, Object... globs) {
            String usage = "schemas 'tenant_*', url: env('APP_URL')";
            for (String key : args.keySet()) {
                if (!key.equals("url")) {
                    throw new ConfigError("schemas takes url:, not " + key + ":", usage);
                }
            }
            if (args.get("url") == null) {
                throw new ConfigError("schemas needs the url: of the database that holds them", usage);
            }
            List<String> names = new java.util.ArrayList<>();
            for (Object glob : globs) {
                if (glob instanceof Iterable<?> list) {
                    list.forEach(g -> names.add(String.valueOf(g)));
                } else if (glob == null || glob.toString().isBlank()) {
                    throw new ConfigError("schemas needs names or globs", usage);
                } else {
                    names.add(glob.toString());
                }
            }
            if (names.isEmpty()) {
                throw new ConfigError("schemas needs names or globs", usage);
            }
            Map<String, Object> entry = new LinkedHashMap<>(args);
            entry.put("globs", names);
            entry.put("at", new Throwable().getStackTrace());
            schemas.add(entry);
        }

        public Object methodMissing(String name, Object args) {
            String hint = DidYouMean.suggest(name, WORDS).map(s -> "did you mean '" + s + "'?")
                    .orElse("a fleet may give: " + String.join(", ", WORDS));
            throw new ConfigError("unknown setting '" + name + "' in a fleet", hint);
        }

        public Object propertyMissing(String name) {
            throw new ConfigError("unknown name '" + name + "'", "quote text: urls 'postgres://...', or read a variable: env('NAME')");
        }
    }
}
