package dev.mig.plan;

import dev.mig.api.SourceLocation;
import dev.mig.model.Action;
import dev.mig.model.Placeholders;
import dev.mig.model.Plan;
import dev.mig.model.PlanSettings;
import dev.mig.model.ResolvedSettings;
import dev.mig.model.Step;
import dev.mig.model.VerifyBlock;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The loaded model of a literal plan ({@link LiteralSteps#literalPlan}), kept in the plan cache so
 * that the next command with the same plan builds it without Groovy: no runtime to start, no
 * classes to define, no script to run. Such a plan depends on its text (in the entry's key) and on
 * the SQL files its steps name: the entry holds each file's path and the SHA-256 of its text, and
 * every file is read again when the entry is used, its text checked against that digest; a file
 * that changed, went missing or cannot be read makes the entry a miss (the plan then loads as
 * always, and reports what is wrong). Only a plan that loaded without a problem is kept.
 *
 * <p>The model is what {@link PlanLoader} returns, field for field (LiteralPlansSpec compares the
 * two), so everything after loading (checksums, drift, the run, every report) is unchanged.
 */
final class LiteralPlans {

    private LiteralPlans() {
    }

    /** The entry for {@code plan}, or null when it holds something an entry cannot (it then is not kept). */
    static byte[] encode(Plan plan) {
        if (!plan.verify().equals(VerifyBlock.EMPTY) || !plan.recipes().isEmpty() || !plan.hooks().isEmpty()
                || !plan.placeholders().sources().keySet().equals(plan.placeholders().values().keySet())
                || !plan.defaults().equals(ResolvedSettings.declared(plan.settings())) || plan.settings().lockRetryFor() != null
                || plan.steps().stream().anyMatch(s -> s.lockRetryFor() != null)) {
            return null; // lockRetryFor is no literal word: such a plan is not one of these
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            MessageDigest sha = PlanCache.sha256();
            text(out, plan.name());
            text(out, plan.description());
            path(out, plan.file());
            location(out, plan.location());
            PlanSettings settings = plan.settings();
            text(out, settings.lockTimeout());
            text(out, settings.statementTimeout());
            text(out, settings.searchPath());
            out.writeInt(settings.retries());
            texts(out, settings.owns());
            placeholders(out, plan.placeholders());
            out.writeInt(plan.steps().size());
            for (Step step : plan.steps()) {
                if (!step.guards().isEmpty() || !step.cleanup().isEmpty() || !step.verify().equals(VerifyBlock.EMPTY)
                        || !step.recipes().isEmpty() || !step.lintAllowed().isEmpty()) {
                    return null;
                }
                text(out, step.name());
                out.writeInt(step.index());
                location(out, step.location());
                text(out, step.description());
                texts(out, step.requires());
                if (!actions(out, step.actions(), sha) || !actions(out, step.undo(), sha)) {
                    return null;
                }
                out.writeBoolean(step.transactional());
                text(out, step.lockTimeout());
                text(out, step.statementTimeout());
                out.writeBoolean(step.retries() != null);
                out.writeInt(step.retries() == null ? 0 : step.retries());
                out.writeBoolean(step.runAlways());
                texts(out, List.copyOf(step.tags()));
                text(out, step.checksum());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            return null;
        }
    }

    /** The plan of an entry, its SQL files read again; null when a file changed or anything does not read back. */
    static Plan decode(byte[] entry) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry));
            MessageDigest sha = PlanCache.sha256();
            String name = text(in);
            String description = text(in);
            Path file = path(in);
            SourceLocation location = location(in);
            PlanSettings settings = new PlanSettings(text(in), text(in), text(in), in.readInt(), texts(in));
            Placeholders placeholders = placeholders(in);
            int count = in.readInt();
            List<Step> steps = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String stepName = text(in);
                int index = in.readInt();
                SourceLocation at = location(in);
                String stepDescription = text(in);
                List<String> requires = texts(in);
                List<Action> actions = actions(in, sha);
                List<Action> undo = actions(in, sha);
                if (actions == null || undo == null) {
                    return null;
                }
                boolean transactional = in.readBoolean();
                String lockTimeout = text(in);
                String statementTimeout = text(in);
                boolean hasRetries = in.readBoolean();
                int retries = in.readInt();
                boolean runAlways = in.readBoolean();
                Set<String> tags = new LinkedHashSet<>(texts(in));
                String checksum = text(in);
                steps.add(new Step(stepName, index, at, stepDescription, requires, List.of(), List.of(), actions,
                        VerifyBlock.EMPTY, undo, transactional, lockTimeout, statementTimeout, hasRetries ? retries : null,
                        runAlways, tags, List.of(), checksum, List.of()));
            }
            if (in.read() != -1) {
                return null;
            }
            return new Plan(name, description, file, location, settings, steps, VerifyBlock.EMPTY, List.of(),
                    ResolvedSettings.declared(settings), List.of(), placeholders);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The plan's own placeholders: whether to replace, where they were declared, each name's value and source, in order. */
    private static void placeholders(DataOutputStream out, Placeholders placeholders) throws IOException {
        out.writeBoolean(placeholders.replace());
        out.writeBoolean(placeholders.declaredAt() != null);
        if (placeholders.declaredAt() != null) {
            location(out, placeholders.declaredAt());
        }
        out.writeInt(placeholders.values().size());
        for (Map.Entry<String, String> value : placeholders.values().entrySet()) {
            text(out, value.getKey());
            text(out, value.getValue());
            text(out, placeholders.sources().get(value.getKey()));
        }
    }

    private static Placeholders placeholders(DataInputStream in) throws IOException {
        boolean replace = in.readBoolean();
        SourceLocation declaredAt = in.readBoolean() ? location(in) : null;
        int count = in.readInt();
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = text(in);
            values.put(name, text(in));
            sources.put(name, text(in));
        }
        return new Placeholders(values, sources, declaredAt, replace);
    }

    /** SQL actions: inline text as it is; a file's path and the digest of the text it had. */
    private static boolean actions(DataOutputStream out, List<Action> actions, MessageDigest sha) throws IOException {
        out.writeInt(actions.size());
        for (Action action : actions) {
            if (!(action instanceof Action.Sql sql) || !sql.secrets().isEmpty()
                    || (sql.fromFile() && sql.file().toString().startsWith(Source.CLASSPATH))) {
                return false;
            }
            location(out, sql.location());
            out.writeBoolean(sql.fromFile());
            if (sql.fromFile()) {
                path(out, sql.file());
                out.write(sha.digest(sql.text().getBytes(StandardCharsets.UTF_8)));
            } else {
                text(out, sql.text());
            }
        }
        return true;
    }

    private static List<Action> actions(DataInputStream in, MessageDigest sha) throws IOException {
        int count = in.readInt();
        List<Action> actions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SourceLocation at = location(in);
            if (!in.readBoolean()) {
                actions.add(new Action.Sql(text(in), null, at));
                continue;
            }
            Path file = path(in);
            byte[] digest = in.readNBytes(32);
            // read as sqlFile reads it: the same file, the same checks
            Optional<String> text = Source.of(file).read();
            if (text.isEmpty() || !Arrays.equals(digest, sha.digest(text.get().getBytes(StandardCharsets.UTF_8)))) {
                return null;
            }
            actions.add(new Action.Sql(text.get(), file, at));
        }
        return actions;
    }

    private static void location(DataOutputStream out, SourceLocation location) throws IOException {
        path(out, location.file());
        out.writeInt(location.line());
    }

    private static SourceLocation location(DataInputStream in) throws IOException {
        return new SourceLocation(path(in), in.readInt());
    }

    private static void path(DataOutputStream out, Path path) throws IOException {
        text(out, path == null ? null : path.toString());
    }

    private static Path path(DataInputStream in) throws IOException {
        String text = text(in);
        return text == null ? null : Path.of(text);
    }

    private static void texts(DataOutputStream out, List<String> texts) throws IOException {
        out.writeInt(texts.size());
        for (String text : texts) {
            text(out, text);
        }
    }

    private static List<String> texts(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            texts.add(text(in));
        }
        return texts;
    }

    /** Text of any length, or null (-1). */
    private static void text(DataOutputStream out, String text) throws IOException {
        if (text == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String text(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException("truncated");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
