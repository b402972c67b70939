package dev.mig.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The options of {@code mig run --fleet} and {@code mig undo --fleet}: which tenants, how many at once, in which waves (docs/DSL.md, "Fleets"). */
final class FleetOptions {

    static final int DEFAULT_PARALLEL = 4;

    @Option(names = "--fleet-file", paramLabel = "PATH",
            description = "The tenants of this file, one per line: URL, or ID URL, or ID URL WAVE; repeatable.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--fleet-schemas", paramLabel = "GLOB",
            description = "Run the plan on every schema of the --url database whose name matches (tenant_*), a tenant each; repeatable.")
    List<String> schemas = new ArrayList<>();

    /** Whether a fleet is given by these options (--fleet-file, --fleet-schemas). */
    boolean any() {
        return !files.isEmpty() || !schemas.isEmpty();
    }

    @Option(names = "--parallel", paramLabel = "N",
            description = "With a fleet: how many tenants run at once (default " + DEFAULT_PARALLEL + "; at most 2 connections each).")
    Integer parallel;

    @Option(names = "--canary", paramLabel = "N", description = "With a fleet: run the first N tenants alone first; the rest start only if they all succeed.")
    Integer canary;

    @Option(names = "--waves", paramLabel = "P%,...,100%",
            description = "With a fleet: cumulative waves, for example 10%%,100%%; a wave starts only if the one before succeeded.")
    String waves;

    @Option(names = "--max-failures", paramLabel = "K", description = "With a fleet: after K failed tenants, start no new one (running ones finish).")
    Integer maxFailures;

    @Option(names = "--shard", paramLabel = "I/N",
            description = "With a fleet: only the tenants whose id's CRC-32 modulo N is I (0 <= I < N), for N machines.")
    String shard;

    /** A fleet option used without a fleet: its name, else null. */
    String strayOption() {
        return parallel != null ? "--parallel" : canary != null ? "--canary" : waves != null ? "--waves"
                : maxFailures != null ? "--max-failures" : shard != null ? "--shard" : null;
    }
}
