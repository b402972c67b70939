package dev.mig.fleet;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The waves of a fleet run, in order: {@code --canary N} first (the first N tenants), then
 * {@code --waves 10%,100%} (cumulative shares of the rest), else the tenants' wave labels (in the
 * order each label first appears; tenants without one last), else one wave of all.
 */
public final class Waves {

    /** One wave: its name in messages and its tenants. */
    public record Wave(String name, List<Tenant> tenants) {
    }

    private Waves() {
    }

    /** {@code percents} is null or {@code --waves}' text ({@code 10%,50%,100%}). */
    public static List<Wave> of(List<Tenant> tenants, int canary, String percents) {
        if (canary < 0) {
            throw new MigException(ExitCode.PLAN_ERROR, "--canary " + canary + " is negative", "write --canary 1");
        }
        List<Wave> waves = new ArrayList<>();
        int first = Math.min(canary, tenants.size());
        if (first > 0) {
            waves.add(new Wave("canary", List.copyOf(tenants.subList(0, first))));
        }
        List<Tenant> rest = tenants.subList(first, tenants.size());
        if (rest.isEmpty()) {
            return waves;
        }
        if (percents != null) {
            int done = 0;
            List<Integer> shares = shares(percents);
            for (int i = 0; i < shares.size(); i++) {
                int upTo = (int) Math.ceil(rest.size() * shares.get(i) / 100.0);
                if (upTo > done) {
                    waves.add(new Wave("wave " + (i + 1) + " (" + shares.get(i) + "%)", List.copyOf(rest.subList(done, upTo))));
                    done = upTo;
                }
            }
            return waves;
        }
        Map<String, List<Tenant>> labelled = new LinkedHashMap<>();
        List<Tenant> unlabelled = new ArrayList<>();
        for (Tenant tenant : rest) {
            if (tenant.wave() == null) {
                unlabelled.add(tenant);
            } else {
                labelled.computeIfAbsent(tenant.wave(), w -> new ArrayList<>()).add(tenant);
            }
        }
        labelled.forEach((label, members) -> waves.add(new Wave("wave " + label, List.copyOf(members))));
        if (!unlabelled.isEmpty()) {
            waves.add(new Wave(labelled.isEmpty() ? "all" : "tenants without a wave", List.copyOf(unlabelled)));
        }
        return waves;
    }

    /** {@code 10%,50%,100%}: rising, each from 1 to 100, the last 100. */
    static List<Integer> shares(String text) {
        List<Integer> shares = new ArrayList<>();
        String hint = "write cumulative shares of the fleet, rising to 100%: --waves 10%,100% or --waves 5%,25%,100%";
        for (String part : text.split(",", -1)) {
            String p = part.strip();
            int value;
            try {
                value = Integer.parseInt(p.endsWith("%") ? p.substring(0, p.length() - 1).strip() : p);
            } catch (NumberFormatException e) {
                throw new MigException(ExitCode.PLAN_ERROR, "--waves '" + text + "': '" + p + "' is not a percentage", hint);
            }
            if (value < 1 || value > 100 || (!shares.isEmpty() && value <= shares.get(shares.size() - 1))) {
                throw new MigException(ExitCode.PLAN_ERROR, "--waves '" + text + "': " + value
                        + "% is not between the previous share and 100%", hint);
            }
            shares.add(value);
        }
        if (shares.get(shares.size() - 1) != 100) {
            throw new MigException(ExitCode.PLAN_ERROR, "--waves '" + text + "' stops before 100%: the rest of the fleet would never run",
                    hint);
        }
        return shares;
    }
}
