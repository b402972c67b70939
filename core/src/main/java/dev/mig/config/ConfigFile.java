package dev.mig.config;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.SourceLocation;
import dev.mig.plan.PlanException;
import dev.mig.plan.PlanProblem;
import dev.mig.plan.ScriptCompiler;
import dev.mig.text.DidYouMean;
import dev.mig.text.Redactor;
import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.GString;
import groovy.lang.Script;
import org.codehaus.groovy.runtime.InvokerHelper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mig.groovy}: named environments chosen with {@code --env}, see docs/DSL.md section 12,
 * "Environments". Compiled like a plan, under its real name, so errors carry file:line.
 */
public final class ConfigFile {

    public static final String FILE_NAME = "mig.groovy";
    static final String SCRIPT_BASE_CLASS = "dev.mig.dsl.ConfigScript";

    /** The settings of one environment; null for what it does not give. */
    /**
     * @param lockTimeout      replaces the plan's default lockTimeout in runs (null: the plan's)
     * @param statementTimeout replaces the plan's default statementTimeout in runs (null: the plan's)
     * @param placeholders     values of the plan's placeholders in this environment (win over the plan's)
     * @param lockRetryFor     replaces the plan's budget of the lock-retry schedule in runs (null: the plan's)
     */
    public record Environment(String name, Path file, String url, String urlSource, String journalSchema,
                              String lockTimeout, String statementTimeout, java.util.Map<String, String> placeholders,
                              String lockRetryFor) {
    }

    // a placeholder for text read with env(): what is left is what the file itself spells out
    private static final String FROM_ENV = "\u0000env\u0000";
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("://[^/@:\\s]*:([^@/\\s]*)@");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(?:^|[?&;\\s])password\\s*=\\s*([^&\\s;]*)");

    private ConfigFile() {
    }

    /** The config file to read: {@code --config}, else {@code mig.groovy} beside the plan (or in the current folder). */
    public static Path locate(Path configOption, Path planFile) {
        if (configOption != null) {
            return configOption;
        }
        // a plan on the class path (classpath:db/plan.groovy) has no folder: mig.groovy is then looked for here
        Path folder = planFile == null || planFile.toString().startsWith("classpath:") ? null : planFile.toAbsolutePath().getParent();
        return (folder == null ? Path.of("") : folder).resolve(FILE_NAME);
    }

    /** A fleet of {@code fleets { }}: its tenants' URLs, tenant files (absolute) and registry queries, in the order written. */
    public record Fleet(String name, Path file, List<String> urls, List<Path> files, List<Query> queries, List<Schemas> schemas) {
    }

    /** A registry query: the registry database's URL (and where it came from, for messages) and the SQL. */
    public record Query(String url, String urlSource, String sql) {
    }

    /** The schemas of one database whose names match globs, a tenant each: the database's URL (and where it came from) and the globs. */
    public record Schemas(String url, String urlSource, List<String> globs) {
    }

    /** The two collectors a run of the config script fills. */
    private record Evaluated(ConfigDsl.Collector environments, ConfigDsl.Collector fleets, Path display, String fileName) {
    }

    private static Evaluated evaluate(Path file, String option, Map<String, String> variables) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new MigException(ExitCode.PLAN_ERROR, option + ": config file " + file + " cannot be read"
                    + (Files.exists(file) ? ": " + e.getMessage() : " (it does not exist)"),
                    "environments and fleets live in mig.groovy beside the plan, or in the file given with --config");
        }
        Path display = file;
        ScriptCompiler.Compiled compiled = ScriptCompiler.compile(text, file.getFileName().toString(), display, SCRIPT_BASE_CLASS);
        Binding binding = new Binding();
        ConfigDsl.Collector collector = new ConfigDsl.Collector(variables);
        ConfigDsl.Collector fleets = new ConfigDsl.Collector(variables, "fleet");
        binding.setVariable(ConfigDsl.BINDING_NAME, collector);
        binding.setVariable(ConfigDsl.FLEETS_BINDING_NAME, fleets);
        Script script = InvokerHelper.createScript(compiled.scriptClass(), binding);
        String fileName = file.getFileName().toString();
        try {
            script.run();
        } catch (RuntimeException e) {
            throw located(e, display, fileName);
        }
        return new Evaluated(collector, fleets, display, fileName);
    }

    /** The fleet {@code name} of {@code fleets { }} ({@code mig run --fleet NAME}); its block runs now, so env() is read now. */
    public static Fleet loadFleet(Path file, String name, Map<String, String> variables) {
        Evaluated evaluated = evaluate(file, "--fleet " + name, variables);
        Map<String, Closure<?>> blocks = evaluated.fleets().blocks;
        Closure<?> block = blocks.get(name);
        if (block == null) {
            String known = blocks.isEmpty() ? "it defines none" : "it defines " + String.join(", ", blocks.keySet());
            throw new MigException(ExitCode.PLAN_ERROR, "no fleet '" + name + "' in " + file + ": " + known,
                    DidYouMean.suggest(name, blocks.keySet()).map(s -> "did you mean '" + s + "'? ").orElse("")
                            + "define fleets in " + file + ": fleets { " + name + " { urls 'postgres://host/db1', 'postgres://host/db2' } },"
                            + " or give the tenants with --fleet-file PATH");
        }
        ConfigDsl.FleetSettings settings = new ConfigDsl.FleetSettings(evaluated.fleets());
        runBlock(block, settings, evaluated.display(), evaluated.fileName());
        List<String> urls = new java.util.ArrayList<>();
        for (int i = 0; i < settings.urls.size(); i++) {
            Object url = settings.urls.get(i);
            if (hasPassword(literal(url))) {
                throw new MigException(ExitCode.PLAN_ERROR, evaluated.display() + ":" + lineOf(settings.urlsAt.get(i), evaluated.fileName())
                        + ": fleet '" + name + "' has a password written in a url: " + Redactor.redact(url.toString()),
                        "a config file is shared and committed: give the password with PGPASSWORD or ~/.pgpass");
            }
            urls.add(url.toString());
        }
        Path folder = file.toAbsolutePath().getParent();
        List<Path> files = settings.files.stream().map(f -> folder.resolve(f.toString())).toList();
        List<Query> queries = settings.queries.stream().map(q -> {
            Object url = q.get("url");
            String source = "the registry query of fleet '" + name + "' in " + evaluated.display()
                    + (url instanceof ConfigDsl.EnvValue v ? " (" + v.name + ")" : "");
            return new Query(url.toString(), source, q.get("sql").toString());
        }).toList();
        List<Schemas> schemas = new java.util.ArrayList<>();
        for (Map<String, Object> s : settings.schemas) {
            Object url = s.get("url");
            int line = lineOf((StackTraceElement[]) s.get("at"), evaluated.fileName());
            if (hasPassword(literal(url))) {
                throw new MigException(ExitCode.PLAN_ERROR, evaluated.display() + ":" + line + ": fleet '" + name
                        + "' has a password written in a url: " + Redactor.redact(url.toString()),
                        "a config file is shared and committed: give the password with PGPASSWORD or ~/.pgpass");
            }
            @SuppressWarnings("unchecked")
            List<String> globs = (List<String>) s.get("globs");
            schemas.add(new Schemas(url.toString(), "the schemas of fleet '" + name + "' in " + evaluated.display() + ":" + line
                    + (url instanceof ConfigDsl.EnvValue v ? " (" + v.name + ")" : ""), globs));
        }
        if (urls.isEmpty() && files.isEmpty() && queries.isEmpty() && schemas.isEmpty()) {
            throw new MigException(ExitCode.PLAN_ERROR, "fleet '" + name + "' in " + file + " names no tenant",
                    "give it urls '...', file 'tenants.txt', query url: ..., sql: '...' or schemas 'tenant_*', url: ...");
        }
        return new Fleet(name, file, urls, files, queries, schemas);
    }

    public static Environment load(Path file, String name, Map<String, String> variables) {
        Evaluated evaluated = evaluate(file, "--env " + name, variables);
        ConfigDsl.Collector collector = evaluated.environments();
        Path display = evaluated.display();
        String fileName = evaluated.fileName();
        Map<String, Closure<?>> blocks = collector.blocks;
        Closure<?> block = blocks.get(name);
        if (block == null) {
            String known = blocks.isEmpty() ? "it defines none" : "it defines " + String.join(", ", blocks.keySet());
            String hint = DidYouMean.suggest(name, blocks.keySet()).map(s -> "did you mean '" + s + "'? ").orElse("")
                    + "define environments in " + file + ": environments { " + name + " { url '...' } }";
            throw new MigException(ExitCode.PLAN_ERROR, "no environment '" + name + "' in " + file + ": " + known, hint);
        }
        ConfigDsl.Settings settings = new ConfigDsl.Settings(collector);
        runBlock(block, settings, display, fileName);
        Object url = settings.values.get("url");
        String urlText = url == null ? null : url.toString();
        String urlSource = null;
        if (url != null) {
            String literal = literal(url);
            int line = lineOf(settings.setAt.get("url"), fileName);
            if (hasPassword(literal)) {
                throw new MigException(ExitCode.PLAN_ERROR, display + ":" + line + ": environment '" + name
                        + "' has a password written in its url: " + Redactor.redact(urlText),
                        "a config file is shared and committed: give the password with PGPASSWORD or ~/.pgpass,"
                                + " or the whole url with env('NAME')");
            }
            urlSource = "environment '" + name + "' of " + display;
            if (url instanceof ConfigDsl.EnvValue v) {
                urlSource = urlSource + " (" + v.name + ")";
            }
        }
        Object schema = settings.values.get("journalSchema");
        Object lockTimeout = settings.values.get("lockTimeout");
        Object statementTimeout = settings.values.get("statementTimeout");
        Object lockRetryFor = settings.values.get("lockRetryFor");
        return new Environment(name, file, urlText, urlSource, schema == null ? null : schema.toString(),
                lockTimeout == null ? null : lockTimeout.toString(), statementTimeout == null ? null : statementTimeout.toString(),
                settings.placeholders, lockRetryFor == null ? null : lockRetryFor.toString());
    }

    /** The url as the file spells it, with each env() value replaced by a placeholder. */
    private static String literal(Object url) {
        if (url instanceof ConfigDsl.EnvValue) {
            return FROM_ENV;
        }
        if (url instanceof GString g) {
            StringBuilder b = new StringBuilder();
            String[] strings = g.getStrings();
            Object[] values = g.getValues();
            for (int i = 0; i < strings.length; i++) {
                b.append(strings[i]);
                if (i < values.length) {
                    b.append(values[i] instanceof ConfigDsl.EnvValue ? FROM_ENV : String.valueOf(values[i]));
                }
            }
            return b.toString();
        }
        return url.toString();
    }

    static boolean hasPassword(String literal) {
        for (Pattern p : List.of(USERINFO_PASSWORD, PASSWORD_PARAMETER)) {
            Matcher m = p.matcher(literal);
            while (m.find()) {
                String password = m.group(1).replace(FROM_ENV, "");
                if (!password.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int lineOf(StackTraceElement[] frames, String fileName) {
        for (StackTraceElement frame : frames) {
            if (fileName.equals(frame.getFileName()) && frame.getLineNumber() > 0) {
                return frame.getLineNumber();
            }
        }
        return 0;
    }

    /** Runs an environment's or a fleet's block on a copy, with {@code settings} first; what it throws is placed at its line. */
    private static void runBlock(Closure<?> block, Object settings, Path display, String fileName) {
        Closure<?> body = (Closure<?>) block.clone();
        body.setDelegate(settings);
        body.setResolveStrategy(Closure.DELEGATE_FIRST);
        try {
            body.call();
        } catch (RuntimeException e) {
            throw located(e, display, fileName);
        }
    }

    private static MigException located(RuntimeException e, Path display, String fileName) {
        int line = lineIn(e, fileName);
        String message;
        String hint = null;
        if (e instanceof ConfigDsl.ConfigError c) {
            message = c.getMessage();
            hint = c.hint;
        } else if (e instanceof groovy.lang.MissingMethodException m) {
            message = "unknown element '" + m.getMethod() + "'";
            hint = "mig.groovy holds environments { NAME { url '...'; journalSchema '...' } } and fleets { NAME { urls '...' } }";
        } else if (e instanceof groovy.lang.MissingPropertyException m) {
            message = "unknown name '" + m.getProperty() + "'";
            hint = "quote text, or read a variable with env('NAME')";
        } else {
            message = "the config file failed while loading: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return new PlanException(List.of(new PlanProblem(new SourceLocation(display, line), Redactor.redact(message), hint)));
    }

    private static int lineIn(Throwable e, String fileName) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (fileName.equals(frame.getFileName()) && frame.getLineNumber() > 0) {
                    return frame.getLineNumber();
                }
            }
        }
        return 0;
    }

}
