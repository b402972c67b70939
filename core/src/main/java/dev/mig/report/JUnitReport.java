package dev.mig.report;

import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
import dev.mig.model.Plan;
import dev.mig.result.RunResult;
import dev.mig.result.StepFailure;
import dev.mig.result.StepOutcome;
import dev.mig.result.StepResult;
import dev.mig.result.VerifyFailure;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code --report junit:PATH}: the run as JUnit XML for CI servers, one {@code <testcase>} per step
 * of the plan (docs/DSL.md section 13, "Reports"):
 * <ul>
 * <li>applied: passed;</li>
 * <li>FAILED: one {@code <failure>}, type the SQL State (or {@code mig} for mig's own failures,
 *     a false {@code onFalse: 'fail'} guard included), its text the failure block;</li>
 * <li>VERIFY FAILED: one {@code <failure type="verify">} listing every expectation that failed, one a
 *     line: CI servers show one failure per test case, and passing expectations are not listed
 *     by a run, so a test case per expectation would come and go between runs;</li>
 * <li>skipped, applied earlier, not run, blocked: {@code <skipped>} with the reason.</li>
 * </ul>
 * A plan with a plan-level verify has a test case {@code plan verify}: passed when it held, a
 * failure when it failed, skipped when this run did not check it. A run stopped before its steps
 * is one test case {@code run} with an {@code <error>}. Several runs (a fleet's tenants) are one
 * {@code <testsuites>} of such suites ({@link #writeSuites}).
 */
public final class JUnitReport {

    static final String PLAN_VERIFY = "plan verify";

    /** Tests, failures, errors and skipped of a stopped run's suite, of a not started one's. */
    private static final long[] STOPPED = {1, 0, 1, 0};
    private static final long[] NOT_RUN = {1, 0, 0, 1};

    private JUnitReport() {
    }

    static void write(Path path, RunResult result) throws IOException {
        ReportFile.write(path, xml(x -> ranSuite(x, result.plan().name(), result)));
    }

    /** One suite of a report of several runs: a fleet's tenants, one suite each, named by the tenant. */
    public sealed interface Suite permits Ran, Stopped, NotRun {
        String name();
    }

    /** A run that went through its steps: a test case per step, as {@code --report junit:} writes for one run. */
    public record Ran(String name, RunResult result) implements Suite {
    }

    /** A run stopped before its steps (connection, lock, drift): one test case {@code run} with an {@code <error>}. */
    public record Stopped(String name, Plan plan, String target, MigException error) implements Suite {
    }

    /** A run that did not start: one test case {@code run}, {@code <skipped message="not started: REASON"/>}. */
    public record NotRun(String name, Plan plan, String target, String reason) implements Suite {
    }

    /**
     * {@code <testsuites name="NAME">} holding one {@code <testsuite>} per run, in the given order;
     * its totals add up the suites' and {@code time} is {@code durationMs}.
     */
    public static void writeSuites(Path path, String name, List<Suite> suites, long durationMs) throws IOException {
        long[] totals = new long[4];
        for (Suite suite : suites) {
            long[] counts = suite instanceof Ran r ? counts(r.result()) : suite instanceof Stopped ? STOPPED : NOT_RUN;
            for (int i = 0; i < totals.length; i++) {
                totals[i] += counts[i];
            }
        }
        ReportFile.write(path, xml(x -> {
            x.writeStartElement("testsuites");
            x.writeAttribute("name", clean(Printable.name(name)));
            totals(x, totals, durationMs);
            for (Suite suite : suites) {
                if (suite instanceof Ran r) {
                    ranSuite(x, r.name(), r.result());
                } else if (suite instanceof Stopped st) {
                    stoppedSuite(x, st.name(), st.plan(), st.target(), st.error());
                } else if (suite instanceof NotRun n) {
                    notRunSuite(x, n.name(), n.plan(), n.target(), n.reason());
                }
                x.writeEndElement();
            }
        }));
    }

    /** Whether a run's suite has a test case {@code plan verify}: a plan with a plan-level verify has it on every run. */
    private static boolean hasPlanVerify(RunResult result) {
        return result.planVerify().expectations() > 0 || !result.planVerifyFailures().isEmpty();
    }

    /** Tests, failures, errors and skipped of a run's suite. */
    private static long[] counts(RunResult result) {
        boolean planVerify = hasPlanVerify(result);
        long failures = result.failedCount() + (result.planVerifyFailures().isEmpty() ? 0 : 1);
        long skipped = result.steps().stream().filter(s -> !s.outcome().failed() && s.outcome() != StepOutcome.APPLIED).count()
                + (planVerify && !result.planVerify().checked() && result.planVerifyFailures().isEmpty() ? 1 : 0);
        long tests = result.steps().size() + (planVerify ? 1 : 0);
        return new long[]{tests, failures, 0, skipped};
    }

    /** The suite of a run that went through its steps, named {@code name} (its test cases' class name too), left open. */
    private static void ranSuite(XMLStreamWriter x, String name, RunResult result) throws XMLStreamException {
        suite(x, name, counts(result), result.durationMs());
        properties(x, result.target(), result.plan().location().displayFile(), result.exitCode().code(),
                result.dryRun(), result.keepGoing());
        for (StepResult r : result.steps()) {
            x.writeStartElement("testcase");
            x.writeAttribute("classname", clean(Printable.name(name)));
            x.writeAttribute("name", clean(Printable.name(r.step().name())));
            x.writeAttribute("time", seconds(r.durationMs()));
            if (r.outcome() == StepOutcome.FAILED) {
                StepFailure f = r.failure();
                failure(x, "failure", FailureBlock.summary(r),
                        f != null && f.sqlState() != null ? f.sqlState() : "mig", FailureBlock.lines(r));
            } else if (r.outcome() == StepOutcome.VERIFY_FAILED) {
                failure(x, "failure", FailureBlock.summary(r), "verify", FailureBlock.lines(r));
            } else if (r.outcome() != StepOutcome.APPLIED) {
                x.writeEmptyElement("skipped");
                x.writeAttribute("message", clean(r.outcome().word() + (r.reason() != null ? ": " + r.reason() : "")));
            }
            x.writeEndElement();
        }
        if (hasPlanVerify(result)) {
            x.writeStartElement("testcase");
            x.writeAttribute("classname", clean(Printable.name(name)));
            x.writeAttribute("name", PLAN_VERIFY);
            x.writeAttribute("time", seconds(0));
            List<VerifyFailure> v = result.planVerifyFailures();
            if (!v.isEmpty()) {
                failure(x, "failure", FailureBlock.firstOf(v), "verify", FailureBlock.texts(v));
            } else if (!result.planVerify().checked()) {
                x.writeEmptyElement("skipped");
                x.writeAttribute("message", clean(PlanVerifyLine.outcome(result)));
            }
            x.writeEndElement();
        }
    }

    static void writeStopped(Path path, Plan plan, String target, MigException error) throws IOException {
        ReportFile.write(path, xml(x -> stoppedSuite(x, plan == null ? "mig" : plan.name(), plan, target, error)));
    }

    private static void stoppedSuite(XMLStreamWriter x, String name, Plan plan, String target, MigException error)
            throws XMLStreamException {
        suite(x, name, STOPPED, 0);
        properties(x, target, plan == null ? null : plan.location().displayFile(), error.exitCode().code(), false, false);
        x.writeStartElement("testcase");
        x.writeAttribute("classname", clean(Printable.name(name)));
        x.writeAttribute("name", "run");
        x.writeAttribute("time", seconds(0));
        String text = ReportRequest.stoppedText(error);
        failure(x, "error", text.lines().findFirst().orElse(""), "mig", text.lines().toList());
        x.writeEndElement();
    }

    private static void notRunSuite(XMLStreamWriter x, String name, Plan plan, String target, String reason)
            throws XMLStreamException {
        suite(x, name, NOT_RUN, 0);
        properties(x, target, plan == null ? null : plan.location().displayFile(), 0, false, false);
        x.writeStartElement("testcase");
        x.writeAttribute("classname", clean(Printable.name(name)));
        x.writeAttribute("name", "run");
        x.writeAttribute("time", seconds(0));
        x.writeEmptyElement("skipped");
        x.writeAttribute("message", clean("not started: " + reason));
        x.writeEndElement();
    }

    private interface Body {
        void write(XMLStreamWriter x) throws XMLStreamException;
    }

    private static String xml(Body body) throws IOException {
        StringWriter text = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            body.write(x);
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write the JUnit report: " + e.getMessage(), e);
        }
        // one element a line reads better in a diff or a CI log; the writer adds no whitespace of its own
        return text.toString().replace("><testsuite ", ">\n<testsuite ").replace("><testcase", ">\n  <testcase")
                .replace("><properties", ">\n  <properties").replace("><property ", ">\n    <property ")
                .replace("></testsuite>", ">\n</testsuite>").replace("></testsuites>", ">\n</testsuites>") + "\n";
    }

    private static void suite(XMLStreamWriter x, String name, long[] counts, long durationMs) throws XMLStreamException {
        x.writeStartElement("testsuite");
        x.writeAttribute("name", clean(Printable.name(name)));
        totals(x, counts, durationMs);
    }

    private static void totals(XMLStreamWriter x, long[] counts, long durationMs) throws XMLStreamException {
        x.writeAttribute("tests", Long.toString(counts[0]));
        x.writeAttribute("failures", Long.toString(counts[1]));
        x.writeAttribute("errors", Long.toString(counts[2]));
        x.writeAttribute("skipped", Long.toString(counts[3]));
        x.writeAttribute("time", seconds(durationMs));
    }

    private static void properties(XMLStreamWriter x, String target, String file, int exitCode, boolean dryRun,
                                   boolean keepGoing) throws XMLStreamException {
        x.writeStartElement("properties");
        property(x, "mig", MigVersion.get());
        property(x, "target", target);
        property(x, "file", file);
        property(x, "exitCode", Integer.toString(exitCode));
        property(x, "dryRun", Boolean.toString(dryRun));
        property(x, "keepGoing", Boolean.toString(keepGoing));
        x.writeEndElement();
    }

    private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        if (value == null) {
            return;
        }
        x.writeEmptyElement("property");
        x.writeAttribute("name", name);
        x.writeAttribute("value", clean(value));
    }

    private static void failure(XMLStreamWriter x, String element, String message, String type, List<String> lines)
            throws XMLStreamException {
        x.writeStartElement(element);
        x.writeAttribute("message", clean(message));
        x.writeAttribute("type", clean(type));
        x.writeCharacters(clean(String.join("\n", lines)));
        x.writeEndElement();
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.3f", ms / 1000.0);
    }

    /**
     * Text as a CI page shows it: what would act on the display is escaped ({@link Printable#text},
     * names go through {@link Printable#name} first); then characters XML 1.0 cannot hold at all,
     * should any be left, become U+FFFD; the writer escapes the rest ({@code < & "}).
     */
    static String clean(String raw) {
        if (raw == null) {
            return "";
        }
        String s = Printable.text(raw);
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c)) {
                ok = i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                if (ok) {
                    out.append(c).append(s.charAt(++i));
                    continue;
                }
            } else if (Character.isLowSurrogate(c)) {
                ok = false;
            } else {
                ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c != 0xFFFE && c != 0xFFFF);
            }
            out.append(ok ? c : '\uFFFD');
        }
        return out.toString();
    }
}
