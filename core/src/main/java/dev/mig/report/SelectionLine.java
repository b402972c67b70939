package dev.mig.report;

import dev.mig.result.SelectedSteps;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The line {@code mig run}, {@code plan} and {@code baseline} print under their header when a
 * selection narrows them: the options, how many steps they select, the steps taken because those
 * require them, and the steps {@code --skip-tags} leaves out, e.g.
 * {@code selection: --tags phase2 (3 steps) + 2 steps they require: 'a', 'b'}.
 */
public final class SelectionLine {

    private SelectionLine() {
    }

    public static String of(SelectedSteps s) {
        StringBuilder line = new StringBuilder("selection: ").append(options(s));
        line.append(" (").append(steps(s.selected().size())).append(')');
        if (!s.required().isEmpty()) {
            line.append(" + ").append(steps(s.required().size())).append(" they require: ").append(names(List.copyOf(s.required().keySet())));
        }
        List<String> excluded = s.excluded();
        if (!excluded.isEmpty()) {
            line.append("; --skip-tags leaves out ").append(excluded.size()).append(": ").append(names(excluded));
        }
        return line.toString();
    }

    /** {@code --tags a,b --skip-tags c --until 'x'}, and {@code --no-with-requires} when it was given. */
    public static String options(SelectedSteps s) {
        StringBuilder o = new StringBuilder();
        if (!s.tags().isEmpty()) {
            o.append(" --tags ").append(Printable.name(String.join(",", s.tags())));
        }
        if (!s.skipTags().isEmpty()) {
            o.append(" --skip-tags ").append(Printable.name(String.join(",", s.skipTags())));
        }
        if (s.until() != null) {
            o.append(" --until '").append(Printable.name(s.until())).append('\'');
        }
        if (!s.withRequires()) {
            o.append(" --no-with-requires");
        }
        return o.toString().strip();
    }

    private static String names(List<String> names) {
        return names.stream().map(n -> "'" + Printable.name(n) + "'").collect(Collectors.joining(", "));
    }

    private static String steps(int n) {
        return n + (n == 1 ? " step" : " steps");
    }
}
