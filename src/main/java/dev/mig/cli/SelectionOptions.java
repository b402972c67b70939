package dev.mig.cli;

import dev.mig.MigRunner;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * The selection options of {@code run}, {@code plan} and {@code baseline}: which steps they take
 * (see docs/DSL.md "Selecting steps"). They are checked by {@link MigRunner}, so the three commands
 * refuse the same typos with the same messages.
 */
final class SelectionOptions {

    // null when not given: --tags '' names no tag, which is an error, not "every step"
    @Option(names = "--tags", split = ",", paramLabel = "TAG",
            description = "Only the steps with one of these tags (and the pending steps they require).")
    List<String> tags;

    @Option(names = "--skip-tags", split = ",", paramLabel = "TAG", description = "Leave out the steps with one of these tags.")
    List<String> skipTags;

    @Option(names = "--until", paramLabel = "STEP", description = "Stop after this step.")
    String until;

    @Option(names = "--with-requires", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also take the pending steps the selected ones require, transitively (default: on);"
                    + " with --no-with-requires a selected step whose requirement is not applied fails.")
    boolean withRequires = true;

    /** Sets them on {@code runner}; a tag no step has, or a step the plan does not have, is exit 2. */
    MigRunner applyTo(MigRunner runner) {
        runner.until(until).withRequires(withRequires);
        if (tags != null) {
            runner.tags(tags.toArray(String[]::new));
        }
        if (skipTags != null) {
            runner.skipTags(skipTags.toArray(String[]::new));
        }
        return runner;
    }
}
