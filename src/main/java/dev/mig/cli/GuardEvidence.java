package dev.mig.cli;

import groovy.json.JsonSlurper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Guard evidence from the journal, as lines for {@code mig status}. */
final class GuardEvidence {

    private GuardEvidence() {
    }

    /**
     * {@code guard at plan.groovy:12 (skip) was false: "tenant column missing"} followed by one
     * indented line per catalog answer the guard read.
     */
    static List<String> describe(String json) {
        List<String> lines = new ArrayList<>();
        Object parsed;
        try {
            parsed = new JsonSlurper().parseText(json);
        } catch (RuntimeException unreadable) {
            return List.of("(guard evidence unreadable: " + unreadable.getMessage() + ")");
        }
        if (!(parsed instanceof List<?> guards)) {
            return lines;
        }
        for (Object g : guards) {
            if (!(g instanceof Map<?, ?> guard)) {
                continue;
            }
            Object answer = guard.get("answer");
            String said = "error".equals(answer) ? "threw" : "was " + answer;
            lines.add("guard at " + guard.get("at") + " (" + guard.get("onFalse") + ") " + said
                    + (guard.get("message") != null ? ": " + guard.get("message") : ""));
            if (guard.get("read") instanceof List<?> read) {
                if (read.isEmpty()) {
                    lines.add("  read nothing from the catalog");
                }
                for (Object r : read) {
                    lines.add("  read " + r);
                }
            }
        }
        return lines;
    }
}
