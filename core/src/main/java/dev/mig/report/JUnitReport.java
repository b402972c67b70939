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
 * is one test case {@code run} with an {@code <error>}.
 */
final class JUnitReport {

    static final String PLAN_VERIFY = "plan verify";

    private JUnitReport() {
    }

    static void write(Path path, RunResult result) throws IOException {
        String plan = result.plan().name();
        // a plan with a plan-level verify has its test case on every run: passed, failed, or skipped when not checked
        boolean planVerify = result.planVerify().expectations() > 0 || !result.planVerifyFailures().isEmpty();
        long failures = result.failedCount() + (result.planVerifyFailures().isEmpty() ? 0 : 1);
        long skipped = result.steps().stream().filter(s -> !s.outcome().failed() && s.outcome() != StepOutcome.APPLIED).count()
                + (planVerify && !result.planVerify().checked() && result.planVerifyFailures().isEmpty() ? 1 : 0);
        long tests = result.steps().size() + (planVerify ? 1 : 0);
        ReportFile.write(path, xml(x -> {
            suite(x, plan, tests, failures, 0, skipped, result.durationMs());
            properties(x, result.target(), result.plan().location().displayFile(), result.exitCode().code(),
                    result.dryRun(), result.keepGoing());
            for (StepResult r : result.steps()) {
                x.writeStartElement("testcase");
                x.writeAttribute("classname", clean(Printable.name(plan)));
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
            if (planVerify) {
                x.writeStartElement("testcase");
                x.writeAttribute("classname", clean(Printable.name(plan)));
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
        }));
    }

    static void writeStopped(Path path, Plan plan, String target, MigException error) throws IOException {
        String name = plan == null ? "mig" : plan.name();
        ReportFile.write(path, xml(x -> {
            suite(x, name, 1, 0, 1, 0, 0);
            properties(x, target, plan == null ? null : plan.location().displayFile(), error.exitCode().code(), false, false);
            x.writeStartElement("testcase");
            x.writeAttribute("classname", clean(Printable.name(name)));
            x.writeAttribute("name", "run");
            x.writeAttribute("time", seconds(0));
            String text = ReportRequest.stoppedText(error);
            failure(x, "error", text.lines().findFirst().orElse(""), "mig", text.lines().toList());
            x.writeEndElement();
        }));
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
        return text.toString().replace("><testcase", ">\n  <testcase").replace("><properties", ">\n  <properties")
                .replace("><property ", ">\n    <property ").replace("></testsuite>", ">\n</testsuite>") + "\n";
    }

    private static void suite(XMLStreamWriter x, String name, long tests, long failures, long errors, long skipped,
                              long durationMs) throws XMLStreamException {
        x.writeStartElement("testsuite");
        x.writeAttribute("name", clean(Printable.name(name)));
        x.writeAttribute("tests", Long.toString(tests));
        x.writeAttribute("failures", Long.toString(failures));
        x.writeAttribute("errors", Long.toString(errors));
        x.writeAttribute("skipped", Long.toString(skipped));
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
